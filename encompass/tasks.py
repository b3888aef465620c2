from celery import shared_task
from celery.signals import worker_ready
from django.utils import timezone

from encompass.accounts import users_deactivate_unused
from encompass.models import Heartbeat


def heartbeat(name: str) -> None:
    Heartbeat.objects.update_or_create(name=name, defaults={"seen_at": timezone.now()})


@shared_task(bind=True)
def beat_heartbeat(self):
    # Sent by beat and run by a worker: proves both are alive.
    heartbeat("beat")
    heartbeat(f"worker@{self.request.hostname}")


@worker_ready.connect
def _worker_started(sender=None, **kwargs):
    heartbeat(f"worker@{getattr(sender, 'hostname', 'unknown')}")


@shared_task
def deactivate_unused_accounts():
    users_deactivate_unused()
