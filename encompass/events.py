"""Writing the event record. Every state change and every access calls `event_record`."""

from django.db import models

from encompass.client_address import client_ip  # noqa: F401 (views record it with the event)
from encompass.models import Event


def event_record(
    *,
    verb: str,
    obj: models.Model,
    actor=None,
    purpose: str = "",
    ip_address: str | None = None,
    **data,
) -> Event:
    return Event.objects.create(
        verb=verb,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        actor=actor if actor is not None and actor.is_authenticated else None,
        purpose=purpose,
        ip_address=ip_address,
        data=data,
    )


def events_for(obj: models.Model):
    return Event.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).select_related(
        "actor"
    )
