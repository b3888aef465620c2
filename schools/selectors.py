from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Max, Min, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from encompass.models import Event, Role
from schools.models import Enrolment, KeyAdult, KeyAdultRole, Partnership, School, TermPeriod, TermPeriodKind

GENERIC_MAILBOXES = {"office", "admin", "info", "enquiries", "enquiry"}
TRAINING_VALID_YEARS = 2


def schools_for_key_adult(user) -> QuerySet[School]:
    return School.objects.filter(key_adults__user=user, key_adults__is_active=True).distinct()


def enrolment_on(*, pupil, on: date) -> Enrolment | None:
    return _enrolments_on(pupil, on).select_related("school__local_authority__partnership").first()


def school_urn_on(*, pupil_id: int, on: date) -> int | None:
    """The URN of the school the pupil was enrolled at on that day: one light query, for bulk use."""
    return _enrolments_on(pupil_id, on).values_list("school__urn", flat=True).first()


def school_urns_on(wanted: Iterable[tuple[int, date]]) -> dict[tuple[int, date], int]:
    """school_urn_on for many (pupil id, day) pairs at once: one query per distinct day."""
    by_day: dict[date, set[int]] = {}
    for pupil_id, on in wanted:
        by_day.setdefault(on, set()).add(pupil_id)
    urns = {}
    for on, pupil_ids in by_day.items():
        rows = (
            Enrolment.objects.filter(_enrolled_on(on), pupil_id__in=pupil_ids)
            .order_by("pupil_id", "entry_date")
            .values_list("pupil_id", "school__urn")
        )
        for pupil_id, urn in rows:
            urns[(pupil_id, on)] = urn  # the latest entry date wins, as in school_urn_on
    return urns


def _enrolments_on(pupil, on: date) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(_enrolled_on(on), pupil=pupil).order_by("-entry_date")


def _enrolled_on(on: date) -> Q:
    return Q(entry_date__lte=on) & (Q(leaving_date__isnull=True) | Q(leaving_date__gte=on))


# --- the coordinator's pages: everything is fetched through these, 404 for outsiders ------


def partnership_get_for_coordinator(user, pk: int) -> Partnership:
    allowed = user.is_authenticated and (
        user.role == Role.ADMIN or (user.role == Role.COORDINATOR and user.partnership_id == pk)
    )
    if not allowed:
        raise Http404
    return get_object_or_404(Partnership, pk=pk)


def schools_of_partnership(partnership: Partnership) -> QuerySet[School]:
    return (
        School.objects.filter(local_authority__partnership=partnership)
        .select_related("local_authority")
        .annotate(active_key_adults=Count("key_adults", filter=Q(key_adults__is_active=True)))
        .order_by("name")
    )


def school_get_for_coordinator(partnership: Partnership, urn: int) -> School:
    return get_object_or_404(
        School.objects.select_related("local_authority__partnership"),
        urn=urn,
        local_authority__partnership=partnership,
    )


def key_adult_get_for_coordinator(partnership: Partnership, pk: int) -> KeyAdult:
    return get_object_or_404(
        KeyAdult.objects.select_related("user", "school"),
        pk=pk,
        school__local_authority__partnership=partnership,
    )


def key_adults_of_school(school: School) -> QuerySet[KeyAdult]:
    return school.key_adults.select_related("user").order_by("-is_active", "role", "user__full_name")


# --- the problems page ------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    school: School
    message: str


@dataclass
class ProblemGroup:
    message: str
    schools: list[School]


def problems_grouped(problems: list[Problem]) -> list[ProblemGroup]:
    """One line per problem, with every school that has it: "No term dates" for 60 schools
    is one thing to fix, not 60. The most widespread first, then in the order found."""
    groups: dict[str, ProblemGroup] = {}
    for problem in problems:
        groups.setdefault(problem.message, ProblemGroup(problem.message, [])).schools.append(problem.school)
    return sorted(groups.values(), key=lambda group: -len(group.schools))


def is_generic_mailbox(email: str) -> bool:
    return email.split("@", 1)[0].lower() in GENERIC_MAILBOXES


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def key_adult_problems(partnership: Partnership, *, today: date) -> list[Problem]:
    """What would stop a participating school's Key Adults being told in time: in three queries."""
    schools = list(
        schools_of_partnership(partnership).filter(participating=True).prefetch_related("key_adults__user")
    )
    covered = _schools_with_term_dates_on(schools, today)
    training_cut_off = _years_before(today, TRAINING_VALID_YEARS)
    problems = []
    for school in schools:
        active = [k for k in school.key_adults.all() if k.is_active]
        if not any(k.role == KeyAdultRole.DSL for k in active):
            problems.append(Problem(school, "No active designated safeguarding lead"))
        if len(active) == 1:
            problems.append(Problem(school, "Only one active Key Adult: nobody covers their absence"))
        for k in active:
            if is_generic_mailbox(k.user.email):
                problems.append(
                    Problem(school, f"{k.user.full_name} has a shared mailbox address ({k.user.email})")
                )
            if k.trained_on is None:
                problems.append(Problem(school, f"{k.user.full_name} has no training date recorded"))
            elif k.trained_on < training_cut_off:
                problems.append(Problem(school, f"{k.user.full_name} was last trained over two years ago"))
            if k.delivery_failed_at:
                problems.append(
                    Problem(school, f"Alerts to {k.user.full_name} are failing: {k.delivery_failure}")
                )
        if school.pk not in covered and not school.is_team:
            problems.append(
                Problem(
                    school,
                    "No term dates for today: school days are assumed to be weekdays less bank holidays",
                )
            )
    return problems


def _schools_with_term_dates_on(schools: list[School], day: date) -> set[int]:
    """Schools whose own or authority's terms span `day` (see schools.calendar)."""
    spans = (
        TermPeriod.objects.filter(kind=TermPeriodKind.TERM)
        .filter(Q(school__in=schools) | Q(local_authority__in={s.local_authority_id for s in schools}))
        .values("school_id", "local_authority_id")
        .annotate(first=Min("starts_on"), last=Max("ends_on"))
    )
    own, authority = {}, {}
    for span in spans:
        if span["school_id"]:
            own[span["school_id"]] = span
        else:
            authority[span["local_authority_id"]] = span
    covered = set()
    for school in schools:
        span = own.get(school.pk) or authority.get(school.local_authority_id)
        if span and span["first"] <= day <= span["last"]:
            covered.add(school.pk)
    return covered


CHANGE_WORDS = {
    "school.signed_up": "Signed up to Operation Encompass",
    "school.withdrawn": "Withdrawn from Operation Encompass",
    "la_team.created": "Local authority team created",
    "key_adult.added": "Key Adult added",
    "key_adult.changed": "Key Adult changed",
}
FIELD_WORDS = {
    "email": "e-mail address",
    "role": "role",
    "is_active": "receives alerts",
    "phone": "phone",
    "trained_on": "training date",
}


@dataclass
class Change:
    at: object
    what: str
    actor: str


def school_changes(school: School, *, limit: int = 20) -> list[Change]:
    """The school's sign-up history and its Key Adult register's changes, newest first, in words."""
    key_adults = {str(k.pk): k.user.full_name for k in school.key_adults.select_related("user")}
    events = (
        Event.objects.filter(
            Q(object_type=School._meta.label_lower, object_id=str(school.pk))
            | Q(object_type=KeyAdult._meta.label_lower, object_id__in=list(key_adults))
        )
        .select_related("actor")
        .order_by("-at", "-id")[:limit]
    )
    changes = []
    for event in events:
        what = CHANGE_WORDS.get(event.verb, event.verb.replace("_", " ").replace(".", ": "))
        if event.object_type == KeyAdult._meta.label_lower:
            what += f": {key_adults.get(event.object_id, 'a former Key Adult')}"
            fields = [FIELD_WORDS.get(name, name) for name in event.data.get("fields", [])]
            if fields:
                what += f" ({', '.join(fields)})"
        changes.append(Change(event.at, what, event.actor.full_name if event.actor else ""))
    return changes
