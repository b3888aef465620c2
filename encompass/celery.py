import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "encompass.settings")

app = Celery("encompass")
app.config_from_object("django.conf:settings", namespace="CELERY")


def _sweep_every() -> float:
    from django.conf import settings

    return settings.DELIVERY_SWEEP_EVERY


def _poll_every() -> float:
    from django.conf import settings

    return settings.NOTIFY_POLL_EVERY


app.conf.update(
    # Delivery contract: a task is acknowledged only after it finished, and a worker that
    # dies mid-task gives its message back to the broker. Messages are taken one at a time,
    # so a dead worker holds at most one per process (the sweeper resends it well before
    # the broker's visibility timeout would).
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_ignore_result=True,
    task_serializer="json",
    accept_content=["json"],
    # A request must never hang on a broker that is down: publishing gives up within about
    # two seconds (with the socket timeouts in settings) and the sweeper sends what was not
    # enqueued. The worker, on the other hand, keeps reconnecting for as long as it takes.
    broker_connection_timeout=2,
    broker_connection_retry_on_startup=True,
    broker_connection_max_retries=None,
    task_publish_retry=True,
    task_publish_retry_policy={
        "max_retries": 1,
        "interval_start": 0.2,
        "interval_step": 0.5,
        "interval_max": 0.5,
    },
    timezone="Europe/London",
)
app.autodiscover_tasks()


@app.on_after_finalize.connect
def _beat_schedule(sender, **kwargs):
    every = _sweep_every()
    sender.conf.beat_schedule = {
        "sweep-deliveries": {"task": "notifications.tasks.sweep", "schedule": every},
        "escalate": {"task": "notifications.tasks.escalate", "schedule": every},
        "poll-receipts": {"task": "notifications.tasks.receipts_poll", "schedule": _poll_every()},
        "heartbeat-beat": {"task": "encompass.tasks.beat_heartbeat", "schedule": min(every, 30.0)},
        "statistics-rebuild": {
            "task": "notifications.tasks.statistics_rebuild",
            "schedule": crontab(hour=2, minute=30),
        },
        # Schools that moved authority or phase take their statistics with them.
        "statistics-follow-schools": {
            "task": "notifications.tasks.statistics_follow_schools",
            "schedule": 600.0,
        },
        # Children the census shows at a new school take their history with them.
        "transfers-find": {"task": "notifications.tasks.transfers_find", "schedule": 600.0},
        "apply-retention": {"task": "notifications.tasks.apply_retention", "schedule": 24 * 3600.0},
        "deactivate-unused-accounts": {
            "task": "encompass.tasks.deactivate_unused_accounts",
            "schedule": crontab(hour=3, minute=15),
        },
    }
