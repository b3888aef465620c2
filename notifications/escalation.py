"""The escalation policy (README "Delivery and escalation"). Fixed, with its times in settings:

  step 0  alerted      every active Key Adult (and the school's webhooks) at once; outside
                       term also the partnership's holiday-cover address
  step 1  reminded     at DELIVERY_REMINDER_AT (07:30) on the due day, if still unacknowledged
  step 2  escalated    at due_at: the partnership coordinator(s) (and holiday cover outside term)
  step 3  phone        at due_at + DELIVERY_PHONE_AFTER: on the coordinators' "phone the school"
                       list of the operations page

The next step's time is stored on the notification (`next_action_at`) and swept by a beat task;
nothing waits in a delayed Celery task. A school nobody can be told about goes to step 2 at once.
"""

from datetime import datetime
from enum import IntEnum

from django.conf import settings

from encompass.london import LONDON


class Step(IntEnum):
    ALERTED = 0
    REMINDED = 1
    ESCALATED = 2
    PHONE = 3


def reminder_at(due_at: datetime) -> datetime:
    local_due = due_at.astimezone(LONDON)
    return datetime.combine(local_due.date(), settings.DELIVERY_REMINDER_AT, tzinfo=LONDON)


def action_after(step: Step, *, due_at: datetime, now: datetime) -> datetime | None:
    """When the step after `step` is due, or None at the end of the policy."""
    if step == Step.ALERTED:
        remind = reminder_at(due_at)
        return remind if now < remind < due_at else due_at
    if step == Step.REMINDED:
        return due_at
    if step == Step.ESCALATED:
        return due_at + settings.DELIVERY_PHONE_AFTER
    return None


def step_due(step: int, *, due_at: datetime, now: datetime) -> Step | None:
    """The step to take now, for a notification at `step` whose next action has come."""
    if step < Step.REMINDED and now < due_at:
        return Step.REMINDED
    if step < Step.ESCALATED:
        return Step.ESCALATED
    if step < Step.PHONE:
        return Step.PHONE
    return None
