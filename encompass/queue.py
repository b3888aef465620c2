"""Enqueueing Celery tasks after commit, without ever failing or holding up the request that
caused them."""

import logging
import time

from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)

# After a failed publish, this process stops trying for a while: every publish to a broker that
# is down costs up to a couple of seconds, and the sweeper sends the rows later anyway.
BROKER_RESTING_SECONDS = 15.0
_broker_down_until = 0.0


def enqueue_on_commit(task, *args) -> None:
    """Send `task(*args)` once the current transaction commits. If the broker is down the
    row is already stored and the sweeper sends it later, so a failure here is only logged."""
    transaction.on_commit(lambda: enqueue_now(task, *args))


def enqueue_now(task, *args) -> bool:
    global _broker_down_until
    if time.monotonic() < _broker_down_until:
        return False
    try:
        task.apply_async(args=args)
        return True
    except (OperationalError, OSError):
        _broker_down_until = time.monotonic() + BROKER_RESTING_SECONDS
        logger.warning("broker unreachable: enqueue of %s failed; the sweeper will send it", task.name)
    except Exception:  # noqa: BLE001 (the row is stored: the request must not fail for this)
        logger.exception("enqueue of %s failed; the sweeper will send it", task.name)
    return False
