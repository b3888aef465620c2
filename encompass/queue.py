"""Enqueueing Celery tasks after commit, without ever failing the request that caused them."""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_on_commit(task, *args) -> None:
    """Send `task(*args)` once the current transaction commits. If the broker is down the
    row is already stored and the sweeper sends it later, so a failure here is only logged."""

    def send():
        try:
            task.apply_async(args=args)
        except Exception:  # noqa: BLE001 (any broker failure: the sweeper catches up)
            logger.warning("enqueue failed for %s%s; the sweeper will retry", task.name, args)

    transaction.on_commit(send)
