"""The coordinator's list of children who moved to a school not on Encompass: their history
could not follow them automatically, so the coordinator passes the file on and marks it handled.
Coordinators of the partnership the transfer was routed to only (404 for everyone else)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from encompass.models import Role
from notifications.models import Transfer, TransferStatus
from notifications.transfers import transfer_handle


def _routed_to_coordinator(user):
    if user.role != Role.COORDINATOR or user.partnership_id is None:
        raise Http404
    return Transfer.objects.filter(
        status=TransferStatus.ROUTED, routed_to_id=user.partnership_id
    ).select_related("pupil", "from_school", "to_school", "handled_by")


def transfers(request):
    routed = list(_routed_to_coordinator(request.user).order_by("handled_at", "-created_at")[:500])
    context = {
        "waiting": [t for t in routed if t.handled_at is None],
        "handled": [t for t in routed if t.handled_at is not None][:50],
    }
    return render(request, "notifications/transfers.html", context)


@require_POST
def transfer_handled(request, transfer_pk: int):
    transfer = get_object_or_404(_routed_to_coordinator(request.user), pk=transfer_pk)
    note = " ".join(request.POST.get("note", "").split())[:1000]
    if not note:
        messages.error(
            request, "Say what was done (for example: file sent to the new school's DSL by secure e-mail)."
        )
    else:
        transfer_handle(transfer=transfer, note=note, actor=request.user)
        messages.success(request, f"Transfer {transfer.pk} marked handled.")
    return redirect("notifications:transfers")
