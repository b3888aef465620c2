"""Enqueueing Celery tasks after commit, without ever failing or holding up the request that
caused them."""

import logging
import time

from celery import current_app
from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)

# After a failed publish, this process stops trying for a while: every publish to a broker that
# is down costs up to a couple of seconds, and the sweeper sends the rows later anyway.
BROKER_RESTING_SECONDS = 15.0
_broker_down_until = 0.0


def enqueue_on_commit(task_name: str, *args) -> None:
    """Send the task named `task_name` with `args` once the current transaction commits. By
    name, so that a service never imports the tasks that call it. If the broker is down the
    row is already stored and the sweeper sends it later, so a failure here is only logged."""
    transaction.on_commit(lambda: enqueue_now(task_name, *args))


def enqueue_now(task_name: str, *args) -> bool:
    global _broker_down_until
    if time.monotonic() < _broker_down_until:
        return False
    try:
        # Each app registers its tasks when it is ready (apps.py), so the task is known here
        # and runs in-process when CELERY_TASK_ALWAYS_EAGER is set.
        current_app.tasks[task_name].apply_async(args=args)
        return True
    except (OperationalError, OSError):
        _broker_down_until = time.monotonic() + BROKER_RESTING_SECONDS
        logger.warning("broker unreachable: enqueue of %s failed; the sweeper will send it", task_name)
    except Exception:  # noqa: BLE001 (the row is stored: the request must not fail for this)
        logger.exception("enqueue of %s failed; the sweeper will send it", task_name)
    return False
