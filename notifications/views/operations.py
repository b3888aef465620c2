"""The operations page: is delivery working, and who cannot be reached?"""

from datetime import timedelta

from django.shortcuts import render
from django.utils import timezone

from encompass.models import Heartbeat
from notifications import selectors
from notifications.escalation import Step

# Beat proves itself every 30 seconds at most; three minutes of silence is a real outage.
HEARTBEAT_LATE = timedelta(minutes=3)


def operations(request):
    schools = selectors.operations_schools(request.user)
    now = timezone.now()
    overdue = list(selectors.notifications_overdue(schools, now)[:200])
    context = {
        "now": now,
        "heartbeats": [(h, h.seen_at < now - HEARTBEAT_LATE) for h in Heartbeat.objects.order_by("name")],
        "queue_depth": selectors.queue_depth(),
        "attempts": selectors.attempts_for_operations(schools),
        "backend": selectors.alert_backend(),
        "receipts": selectors.receipts_recent(schools),
        "unreachable": selectors.schools_without_reachable_key_adult(schools),
        "failed_key_adults": selectors.key_adults_with_failed_delivery(schools)[:100],
        "phone_list": [n for n in overdue if n.escalation_step >= Step.PHONE],
        "overdue": overdue,
        "forces_routing_nobody": selectors.forces_routing_nobody(request.user),
    }
    return render(request, "operations/index.html", context)
