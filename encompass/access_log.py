"""The record of access as CSV: who consulted or disclosed a force's data, when, from where
and why (Data Protection Act 2018, s. 62)."""

import json

from encompass.csv_files import csv_writer
from encompass.london import LONDON

HEADER = ["at", "actor", "actor_role", "verb", "object_type", "object_id", "purpose", "ip_address", "data"]


def access_log_write_csv(events, stream) -> int:
    writer = csv_writer(stream)
    writer.writerow(HEADER)
    count = 0
    for event in events.iterator(chunk_size=2000):
        actor = event.actor
        writer.writerow(
            [
                event.at.astimezone(LONDON).isoformat(timespec="seconds"),
                actor.email if actor else "system",
                actor.role if actor else "",
                event.verb,
                event.object_type,
                event.object_id,
                event.purpose,
                event.ip_address or "",
                json.dumps(event.data, sort_keys=True),
            ]
        )
        count += 1
    return count
