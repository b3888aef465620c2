"""Writing match decisions: the matcher's, a police reviewer's, and a coordinator marking a
routed child handled, a school returning a child. Each decision is a MatchDecision row
(score, reason, candidates by id) and an event with ids only. Telling the school about a
match is the police app's path (police/services.py), in the same transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from encompass.events import event_record
from incidents.matcher import (
    MatchResult,
    child_match,
    incident_date,
    result_route_to_area,
    route_to_register_team,
    route_to_school,
)
from incidents.models import IncidentChild, LabelSource, MatchDecision, MatchLabel, MatchStatus, PassOnMethod
from schools.models import Pupil, RegisteredChild

ROUTED = (
    MatchStatus.NO_MATCH,
    MatchStatus.NOT_SCHOOL_AGE,
    MatchStatus.NOT_PARTICIPATING,
    MatchStatus.OUT_OF_AREA,
    MatchStatus.HOME_EDUCATED,
)


def match_result_apply(
    *, child: IncidentChild, result: MatchResult, actor=None, reviewed: bool = False, kept: dict | None = None
):
    """Store the decision on the child and as its current MatchDecision."""
    child.match_status = result.status
    child.pupil = result.pupil
    child.school = result.school
    child.registered_child = result.registered_child
    child.match_score = result.score
    detail = {**result.detail, **(kept or {})}
    if reviewed:
        # Kept so that statistics can tell matches made by a person from automatic ones.
        detail["review"] = {"by": actor.pk, "at": timezone.now().isoformat()}
    child.match_detail = detail
    child.save(
        update_fields=["match_status", "pupil", "school", "registered_child", "match_score", "match_detail"]
    )
    MatchDecision.objects.filter(child=child, is_current=True).update(is_current=False)
    decision = MatchDecision.objects.create(
        child=child,
        decided_by=actor if reviewed else None,
        outcome=result.status,
        score=result.score,
        reason=result.reason,
        candidates=result.candidates,
        pupil=result.pupil,
        school=result.school,
        registered_child=result.registered_child,
        routed_to=result.routed_to,
        route_reason=result.route_reason,
    )
    return decision


def child_match_decide(*, child: IncidentChild, actor=None) -> MatchDecision:
    """The matcher's decision for the child, kept with its score, reason and candidates; a
    child needing review is told to nobody until a reviewer confirms."""
    result = child_match(child)
    decision = match_result_apply(child=child, result=result, actor=actor)
    event_record(
        verb="child.match_decided", obj=child, actor=actor, outcome=result.status, decision=decision.pk
    )
    return decision


def child_return_to_review(
    *, child: IncidentChild, school_urn: str, reason: str, note: str, actor
) -> MatchDecision:
    """A school said the child is not its pupil: back to the police review queue, with the
    school's reason kept for the reviewer (the note is free text, so it stays with the child's
    match record, never in the events), and the return recorded as a decision of its own."""
    locked = IncidentChild.objects.select_for_update().get(pk=child.pk)
    before = current_decision(locked)
    result = MatchResult(
        MatchStatus.REVIEW,
        pupil=locked.pupil,
        school=locked.school,
        registered_child=locked.registered_child,
        score=locked.match_score,
        reason=f"returned by the school: {reason}",
        candidates=before.candidates if before else [],
    )
    returned = {"school": school_urn, "reason": reason, "note": note, "at": timezone.now().isoformat()}
    decision = match_result_apply(
        child=locked, result=result, actor=actor, kept={"returned_by_school": returned}
    )
    returned_pupil = [cand for cand in result.candidates if cand["pupil"] == locked.pupil_id]
    match_labels_record(
        decision=decision, considered=returned_pupil, same_child_pupil=None,
        source=LabelSource.SCHOOL_RETURNED, actor=actor,
    )  # fmt: skip
    event_record(
        verb="match.returned_to_review",
        obj=locked,
        actor=actor,
        purpose="school says the child is not its pupil",
        decision=decision.pk,
        reason=reason,
    )
    child.refresh_from_db()
    return decision


def _locked_for_review(child: IncidentChild) -> IncidentChild:
    locked = IncidentChild.objects.select_for_update().select_related("incident").get(pk=child.pk)
    if locked.match_status != MatchStatus.REVIEW:
        raise ValidationError("This child has already been decided.")
    return locked


def current_decision(child: IncidentChild) -> MatchDecision | None:
    return MatchDecision.objects.filter(child=child, is_current=True).first()


def _review_started(child: IncidentChild, reason: str) -> tuple[IncidentChild, list[dict], str]:
    """What every reviewer's decision begins with: a reason given, the child locked and still
    in review, and the candidates the reviewer was shown."""
    reason = _reason_required(reason)
    locked = _locked_for_review(child)
    before = current_decision(locked)
    return locked, (before.candidates if before else []), reason


def _reason_required(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Say why you decided this.")
    return reason


@transaction.atomic
def child_review_confirm(*, child: IncidentChild, pupil_id: int, reason: str, actor) -> MatchDecision:
    """A reviewer says the child is this candidate: routed like an automatic match, and the
    school is notified at once when it takes part."""
    locked, considered, reason = _review_started(child, reason)
    score = _chosen_score(considered, "pupil", pupil_id)
    result = MatchResult(MatchStatus.MATCHED, score=score, candidates=considered)
    result.reason = f"confirmed by a reviewer: {reason}"
    result = route_to_school(child=locked, pupil=Pupil.objects.get(pk=pupil_id), result=result)
    decision = match_result_apply(child=locked, result=result, actor=actor, reviewed=True)
    match_labels_record(
        decision=decision, considered=considered, same_child_pupil=pupil_id,
        source=LabelSource.REVIEWER_CONFIRMED, actor=actor,
    )  # fmt: skip
    event_record(
        verb="child.review_confirmed",
        obj=locked,
        actor=actor,
        purpose="police reviewer decides an uncertain match",
        decision=decision.pk,
        pupil=pupil_id,
        outcome=result.status,
        school=result.school.urn if result.school else None,
    )
    return decision


@transaction.atomic
def child_review_reject(*, child: IncidentChild, reason: str, actor) -> MatchDecision:
    """A reviewer says the child is none of the candidates: no match, routed to a coordinator."""

    locked, considered, reason = _review_started(child, reason)
    result = result_route_to_area(
        MatchResult(MatchStatus.NO_MATCH, reason=f"none of the candidates, says a reviewer: {reason}"), locked
    )
    result.candidates = considered
    decision = match_result_apply(child=locked, result=result, actor=actor, reviewed=True)
    match_labels_record(
        decision=decision, considered=considered, same_child_pupil=None,
        source=LabelSource.REVIEWER_REJECTED, actor=actor,
    )  # fmt: skip
    event_record(
        verb="child.review_rejected",
        obj=locked,
        actor=actor,
        purpose="police reviewer decides an uncertain match",
        decision=decision.pk,
        routed_to=decision.routed_to_id,
    )
    return decision


@transaction.atomic
def child_review_confirm_registered(
    *, child: IncidentChild, registered_child_id: int, reason: str, actor
) -> MatchDecision:
    """A reviewer says the child is this entry of an authority's register: routed like an
    automatic register match (the authority's team, or its coordinator)."""
    locked, considered, reason = _review_started(child, reason)
    score = _chosen_score(considered, "registered_child", registered_child_id)
    result = MatchResult(MatchStatus.MATCHED, score=score, candidates=considered)
    result.reason = f"confirmed by a reviewer: {reason}"
    entry = RegisteredChild.objects.select_related("local_authority__partnership").get(pk=registered_child_id)
    result = route_to_register_team(child=locked, entry=entry, result=result)
    decision = match_result_apply(child=locked, result=result, actor=actor, reviewed=True)
    event_record(
        verb="child.review_confirmed",
        obj=locked,
        actor=actor,
        purpose="police reviewer decides an uncertain match",
        decision=decision.pk,
        registered_child=registered_child_id,
        outcome=result.status,
        school=result.school.urn if result.school else None,
    )
    return decision


def match_labels_record(
    *, decision: MatchDecision, considered: list[dict], same_child_pupil: int | None, source: str, actor
) -> list[MatchLabel]:
    """Each pair a person has just judged, as a labelled pair for estimate_match_weights: the
    pupil they confirmed is the same child, every other candidate they saw is not."""
    pupils = [cand for cand in considered if cand.get("pupil") and cand.get("levels")]  # not register entries
    labels = [
        MatchLabel(
            child=decision.child,
            pupil_id=cand["pupil"],
            same_child=cand["pupil"] == same_child_pupil,
            levels=cand["levels"],
            # Beside the one confirmed, each other candidate shown was turned down.
            source=source if cand["pupil"] == same_child_pupil else _other_source(source),
            decision=decision,
            labelled_by=actor,
        )
        for cand in pupils
    ]
    return MatchLabel.objects.bulk_create(labels)


def _other_source(source: str) -> str:
    return LabelSource.REVIEWER_REJECTED if source == LabelSource.REVIEWER_CONFIRMED else source


def _chosen_score(candidates: list[dict], key: str, chosen: int) -> float | None:
    """The score of the candidate the reviewer chose (a pupil, or a register entry), which must
    be one of those shown."""
    for cand in candidates:
        if cand.get(key) == chosen:
            return cand["score"]
    raise ValidationError("Choose one of the candidates shown.")


@transaction.atomic
def match_decision_handle(*, decision: MatchDecision, note: str, actor) -> MatchDecision:
    """A coordinator has dealt with a routed child (told the other area, the LA, the school)."""
    note = (note or "").strip()
    if not note:
        raise ValidationError("Say what was done.")
    locked = MatchDecision.objects.select_for_update().get(pk=decision.pk)
    if locked.handled_at is not None:
        return locked
    locked.handled_at = timezone.now()
    locked.handled_by = actor
    locked.handled_note = note
    locked.save(update_fields=["handled_at", "handled_by", "handled_note"])
    event_record(
        verb="match.routing_handled",
        obj=locked.child,
        actor=actor,
        purpose="coordinator acts on a child routed to the partnership",
        decision=locked.pk,
        partnership=locked.routed_to_id,
    )
    return locked


@transaction.atomic
def match_decision_pass_on(
    *, decision: MatchDecision, passed_to: str, passed_how: str, note: str = "", actor
) -> MatchDecision:
    """A coordinator passed a routed child on: to whom and how are kept, the child counts as
    handled, and the police see it on the child's progress. Once only."""
    passed_to = " ".join((passed_to or "").split())
    if not passed_to:
        raise ValidationError("Say who the child was passed on to.")
    if passed_how not in PassOnMethod.values:
        raise ValidationError("Say how the child was passed on.")
    locked = MatchDecision.objects.select_for_update().get(pk=decision.pk)
    if locked.handled_at is not None:
        return locked
    locked.handled_at = timezone.now()
    locked.handled_by = actor
    how = PassOnMethod(passed_how).label.lower()
    locked.handled_note = f"Passed on to {passed_to} by {how}." + (f" {note.strip()}" if note.strip() else "")
    locked.passed_to = passed_to
    locked.passed_how = passed_how
    locked.save(update_fields=["handled_at", "handled_by", "handled_note", "passed_to", "passed_how"])
    event_record(
        verb="match.passed_on",
        obj=locked.child,
        actor=actor,
        purpose="coordinator passes on a child routed to the partnership",
        decision=locked.pk,
        partnership=locked.routed_to_id,
        how=passed_how,
    )
    return locked


__all__ = [
    "ROUTED",
    "child_match_decide",
    "child_return_to_review",
    "child_review_confirm",
    "child_review_confirm_registered",
    "child_review_reject",
    "incident_date",
    "match_decision_handle",
    "match_decision_pass_on",
]
