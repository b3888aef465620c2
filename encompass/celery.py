import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "encompass.settings")

app = Celery("encompass")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    # Delivery contract: a task is acknowledged only after it finished, and a worker that
    # dies mid-task gives its message back to the broker.
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_ignore_result=True,
    task_serializer="json",
    accept_content=["json"],
    # A request must never hang on a broker that is down: publishing gives up quickly and
    # the sweeper sends what was not enqueued.
    broker_connection_timeout=2,
    broker_connection_retry_on_startup=True,
    task_publish_retry=True,
    task_publish_retry_policy={
        "max_retries": 2,
        "interval_start": 0,
        "interval_step": 0.5,
        "interval_max": 1,
    },
    timezone="Europe/London",
    beat_schedule={
        "sweep-deliveries": {"task": "notifications.tasks.sweep", "schedule": 60.0},
        "heartbeat-beat": {"task": "encompass.tasks.beat_heartbeat", "schedule": 60.0},
        "apply-retention": {"task": "encompass.tasks.apply_retention", "schedule": 24 * 3600.0},
    },
)
app.autodiscover_tasks()
