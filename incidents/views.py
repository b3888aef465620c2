"""The coordinator's routing queue at /routing/: children of the partnership's area that no
school was told about (no match, not of school age, school not participating, out of area),
each with its reason, to act on and mark handled. Coordinators of that partnership only."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from incidents import review_selectors as selectors
from incidents.forms import HandledForm
from incidents.match_services import match_decision_handle


def queue(request):
    decisions = list(selectors.decisions_routed_to(request.user)[:500])
    context = {
        "waiting": [d for d in decisions if d.handled_at is None],
        "handled": [d for d in decisions if d.handled_at is not None][:50],
    }
    return render(request, "routing/queue.html", context)


@require_POST
def handle(request, decision_pk: int):
    decision = selectors.decision_for_coordinator(request.user, decision_pk)
    form = HandledForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("Say what was done before marking the child handled.")
        match_decision_handle(decision=decision, note=form.cleaned_data["note"], actor=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"Child {decision.child_id} marked handled.")
    return redirect("routing:queue")
