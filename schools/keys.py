"""How a blocking key is stored: as a 64-bit hash, so the key table and its index stay small.

The matching engine speaks keys as text ("dl:2016-05-14:S530"); PupilKey stores key_hash(key)
of each. Whoever stores keys and whoever looks them up must both go through key_hash. Two
different keys sharing a hash (odds about 1 in 3,000 across 100 million distinct keys) would
only add a pupil to another key's candidates, which scoring then turns down."""

from __future__ import annotations

from hashlib import blake2b


def key_hash(key: str) -> int:
    """A stable signed 64-bit integer for a blocking key (PostgreSQL's BIGINT range)."""
    return int.from_bytes(blake2b(key.encode(), digest_size=8).digest(), "big", signed=True)
