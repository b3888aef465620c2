"""The partnership figures. Each function takes the Facts of a Scope (filters.py: the
counts, read from the statistics tables when first needed and shared by every figure of a
page) and returns a Figure with disclosure control already applied (disclosure.py): nothing
here returns a row about one child. The rules below are applied when the statistics rows are
written (maintenance.py).

What is counted (also in the README, "Partnership statistics"):

- A notification belongs to a partnership when its school's local authority does; it is
  dated by its incident (Europe/London date of `occurred_at`), so "notifications per month"
  means notifications about incidents in that month. Withdrawn notifications (incident
  entered in error) are not counted.
- Incidents: incidents with at least one counted notification. Children: distinct pupils
  with a counted notification.
- Match outcomes count the children of submitted incidents. A child counts for a
  partnership when its routing school (`IncidentChild.school`: the matched school, or the
  school that is not participating or out of area) is in the partnership, or, when it has
  none, its `known_school` is. Children with neither are in the coordinator's routing
  queue; they are counted from that queue (current decisions routed to the partnership,
  dated by the incident), for the whole partnership only, since they have no school to
  filter by. "Matched after review" is a matched child with a review
  decision: an event on the child whose verb starts "child.review", or a "review" key in
  its `match_detail`.
- Escalated: `escalation_step > 0`, or an event on the notification whose verb starts
  "notification.escalated".
"""

from collections import Counter
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from functools import cached_property

from django.db import connection
from django.db.models import Aggregate, Count, Exists, FloatField, OuterRef, Q, QuerySet, Sum
from django.http import Http404

from incidents.models import IncidentStatus, MatchDecision, MatchStatus
from notifications.models import (
    COUNTED,
    ChildStatistic,
    NotificationStatistic,
    SupportType,
    Transfer,
    TransferStatus,
)
from notifications.statistics import disclosure
from notifications.statistics.disclosure import Cell, Figure, Row
from notifications.statistics.filters import Scope, schools_in
from notifications.statistics.maintenance import LONDON, MATCHED_AUTO, MATCHED_REVIEW
from schools.models import KeyAdult, KeyAdultRole, RecipientKind, School, SchoolStatus

HOUR = 3600
DURATIONS = ["delivery_seconds", "acknowledgement_seconds"]
# What each day of the statistics table adds up to. Rows are counted by `occurred_on` (never
# null), not by the primary key, so that PostgreSQL reads the covering index alone. Distinct
# incidents per day add up, because all the notifications of an incident share its day.
DELIVERED = Q(delivery_seconds__isnull=False)
DAY_COUNTS = {
    "incidents": Count("incident_id", distinct=True),
    "notifications": Count("occurred_on"),
    "delivered": Count("occurred_on", filter=DELIVERED),
    "in_time": Count("occurred_on", filter=DELIVERED & Q(acknowledged_in_time=True)),
    "late": Count(
        "occurred_on", filter=DELIVERED & Q(acknowledgement_seconds__isnull=False, acknowledged_in_time=False)
    ),
    "not_acknowledged": Count("occurred_on", filter=DELIVERED & Q(acknowledgement_seconds=None)),
    "escalated": Count("occurred_on", filter=Q(escalated=True)),
    **{kind: Sum(field) for kind, field in NotificationStatistic.SUPPORT_FIELDS.items()},
}
SCHOOL_COUNTS = ["notifications", "in_time", "escalated"]


def in_scope(rows: QuerySet, scope: Scope) -> QuerySet:
    rows = rows.filter(occurred_on__range=(scope.start, scope.end))
    if scope.partnership is not None:
        rows = rows.filter(partnership_id=scope.partnership.pk)
    if scope.local_authority is not None:
        rows = rows.filter(local_authority_id=scope.local_authority.pk)
    if scope.phase:
        rows = rows.filter(phase=scope.phase)
    if scope.school is not None:
        rows = rows.filter(school_id=scope.school.pk)
    return rows


def statistics_rows(scope: Scope) -> QuerySet[NotificationStatistic]:
    """The notifications a scope counts (withdrawn ones are not: incident entered in error)."""
    return in_scope(NotificationStatistic.objects.filter(COUNTED), scope)


class Facts:
    """The counts behind the figures of one scope, each read when first needed and then
    kept: the whole overview takes five queries of the statistics tables. The day counts and
    the children are read once for this period and the two it is compared with (the previous
    period of the same length, and the same dates a year earlier), in one scan each."""

    def __init__(self, scope: Scope):
        self.scope = scope
        self.previous = scope.previous_period()
        self.year_before = scope.year_before()

    @property
    def _compared(self) -> Scope:
        """This period together with both it is compared with."""
        return replace(self.scope, start=min(self.previous.start, self.year_before.start))

    @cached_property
    def _all_days(self) -> dict[date, dict[str, int]]:
        rows = statistics_rows(self._compared).values("occurred_on").annotate(**DAY_COUNTS).order_by()
        return {row.pop("occurred_on"): row for row in rows}

    @cached_property
    def days(self) -> dict[date, dict[str, int]]:
        start, end = self.scope.start, self.scope.end
        return {day: counts for day, counts in self._all_days.items() if start <= day <= end}

    def totals_in(self, period: Scope) -> Counter:
        totals = Counter(dict.fromkeys(DAY_COUNTS, 0))
        for day, counts in self._all_days.items():
            if period.start <= day <= period.end:
                totals.update(counts)
        return totals

    @cached_property
    def totals(self) -> Counter:
        return self.totals_in(self.scope)

    @cached_property
    def children(self) -> dict[str, int]:
        """Distinct children notified once, and more than once, in this period; and the
        distinct children notified in each period it is compared with."""
        periods = {"n": self.scope, "n_previous": self.previous, "n_year_before": self.year_before}
        per_child = (
            statistics_rows(self._compared)
            .exclude(pupil_id=None)
            .values("pupil_id")
            .annotate(
                **{
                    name: Count("occurred_on", filter=Q(occurred_on__range=(p.start, p.end)))
                    for name, p in periods.items()
                }
            )
            .order_by()
        )
        return per_child.aggregate(
            once=Count("pupil_id", filter=Q(n=1)),
            more=Count("pupil_id", filter=Q(n__gt=1)),
            previous=Count("pupil_id", filter=Q(n_previous__gt=0)),
            year_before=Count("pupil_id", filter=Q(n_year_before__gt=0)),
        )

    @cached_property
    def schools(self) -> dict[int, dict[str, int]]:
        """Counts per school in this period."""
        counts = {key: DAY_COUNTS[key] for key in SCHOOL_COUNTS}
        rows = statistics_rows(self.scope).values("school_id").annotate(**counts).order_by()
        return {row.pop("school_id"): row for row in rows}

    @cached_property
    def durations(self) -> dict[str, tuple[int, float | None, float | None]]:
        return duration_percentiles(statistics_rows(self.scope))

    @cached_property
    def outcomes(self) -> dict[str, int]:
        rows = in_scope(ChildStatistic.objects.all(), self.scope)
        outcomes = Counter(dict(rows.values_list("outcome").annotate(n=Count("*")).order_by()))
        if not self.filtered_below_partnership:
            outcomes.update(
                dict(self._without_school().values_list("outcome").annotate(n=Count("*")).order_by())
            )
        return dict(outcomes)

    @property
    def filtered_below_partnership(self) -> bool:
        return (
            self.scope.local_authority is not None or bool(self.scope.phase) or self.scope.school is not None
        )

    def _without_school(self) -> QuerySet[MatchDecision]:
        """Children in the routing queue with no school at all: the same children the
        coordinator sees there, so that the figure and the queue agree."""
        start = datetime.combine(self.scope.start, time.min, tzinfo=LONDON)
        end = datetime.combine(self.scope.end + timedelta(days=1), time.min, tzinfo=LONDON)
        decisions = MatchDecision.objects.filter(
            is_current=True,
            child__incident__status=IncidentStatus.SUBMITTED,
            child__school=None,
            child__known_school=None,
            child__incident__occurred_at__gte=start,
            child__incident__occurred_at__lt=end,
        )
        if self.scope.partnership is None:
            return decisions.exclude(routed_to=None)
        return decisions.filter(routed_to=self.scope.partnership)


def scope_schools(scope: Scope):
    schools = schools_in(scope.partnership)
    if scope.local_authority is not None:
        schools = schools.filter(local_authority=scope.local_authority)
    if scope.phase:
        schools = schools.filter(phase=scope.phase)
    if scope.school is not None:
        schools = schools.filter(pk=scope.school.pk)
    return schools


def _count_cell(n: int) -> Cell:
    return disclosure.count_cell(n, disclosure.PRIMARY if disclosure.is_small(n) else "")


def summary_figure(facts: Facts) -> Figure:
    periods = [facts.scope, facts.previous, facts.year_before]
    children = [
        facts.children["once"] + facts.children["more"],
        facts.children["previous"],
        facts.children["year_before"],
    ]
    counts = {
        "Incidents": [facts.totals_in(p)["incidents"] for p in periods],
        "Notifications to schools": [facts.totals_in(p)["notifications"] for p in periods],
        "Children notified": children,
    }
    cells = {label: [_count_cell(n) for n in values] for label, values in counts.items()}
    rows = [Row(label, row) for label, row in cells.items()]
    rows.append(
        Row(
            "Children per incident",
            [
                disclosure.ratio_cell(children, incidents)
                for children, incidents in zip(cells["Children notified"], cells["Incidents"], strict=True)
            ],
        )
    )
    return Figure(
        key="summary",
        title="Summary",
        description="Incidents with at least one child notified to a school, the notifications "
        "sent and the distinct children they were about, in this period, the period of the same "
        "length just before it, and the same dates a year earlier.",
        row_heading="Figure",
        columns=["This period", "Previous period", "Same period last year"],
        rows=rows,
        chart=False,
        notes=[
            f"{name}: {p.start:%-d %B %Y} to {p.end:%-d %B %Y}."
            for name, p in zip(
                ["This period", "Previous period", "Same period last year"], periods, strict=True
            )
        ],
    )


def school_table_figure(facts: Facts) -> Figure:
    """One row per school: the participating open schools of the scope, and any other school
    (or local authority team) with a notification in the period."""
    counts = facts.schools
    schools = (
        scope_schools(facts.scope)
        .filter(
            Q(participating=True, status=SchoolStatus.OPEN, kind=RecipientKind.SCHOOL)
            | Q(pk__in=list(counts))
        )
        .order_by("name", "urn")
        .values_list("pk", "name", "urn")
    )
    rows, keys = [], []
    for pk, name, urn in schools:
        school = counts.get(pk, {})
        rows.append((name, [school.get(key, 0) for key in SCHOOL_COUNTS]))
        keys.append(str(urn))
    figure = disclosure.count_figure(
        key="notifications_by_school",
        title="Notifications by school",
        description="Notifications to each school in the period, how many a Key Adult "
        "acknowledged before the school day started, and how many were escalated. Participating "
        "schools with none are listed too.",
        row_heading="School",
        columns=["Notifications", "Acknowledged before the school day", "Escalated"],
        rows=rows,
        total_label="All schools",
        total_column=False,
        chart=False,
    )
    for row, key in zip(figure.rows, keys, strict=False):
        row.key = key
    return figure


def repeat_children_figure(facts: Facts) -> Figure:
    counts = facts.children
    return disclosure.count_figure(
        key="repeat_children",
        title="Children notified more than once",
        description="Distinct children by how many notifications they had in the period.",
        row_heading="Children",
        columns=["Children"],
        rows=[("Notified once", [counts["once"]]), ("Notified more than once", [counts["more"]])],
        total_label="All children notified",
        shares=True,
    )


def periods(start: date, end: date, step: str) -> list[date]:
    if step == "month":
        first, periods = start.replace(day=1), []
        while first <= end:
            periods.append(first)
            first = (first + timedelta(days=32)).replace(day=1)
        return periods
    first = start - timedelta(days=start.weekday())
    return [first + timedelta(weeks=i) for i in range((end - first).days // 7 + 1)]


def period_start(day: date, step: str) -> date:
    return day.replace(day=1) if step == "month" else day - timedelta(days=day.weekday())


def notifications_by_period_figure(facts: Facts, step: str) -> Figure:
    scope = facts.scope
    counted = Counter()
    for day, counts in facts.days.items():
        counted[period_start(day, step)] += counts["notifications"]
    label = (lambda p: p.strftime("%B %Y")) if step == "month" else (lambda p: f"Week of {p:%-d %b %Y}")
    rows = [(label(p), [counted.get(p, 0)]) for p in periods(scope.start, scope.end, step)]
    return disclosure.count_figure(
        key=f"notifications_by_{step}",
        title=f"Notifications per {step}",
        description=f"Notifications to schools by the {step} of the incident"
        + (" (weeks start on Monday)." if step == "week" else "."),
        row_heading=step.capitalize(),
        columns=["Notifications"],
        rows=rows,
        total_label="All notifications",
    )


MATCH_OUTCOMES = [
    (MATCHED_AUTO, "Matched automatically"),
    (MATCHED_REVIEW, "Matched after review"),
    (MatchStatus.REVIEW, "Waiting for review"),
    (MatchStatus.NO_MATCH, "No match"),
    (MatchStatus.NOT_SCHOOL_AGE, "Not of school age"),
    (MatchStatus.NOT_PARTICIPATING, "School not participating"),
    (MatchStatus.OUT_OF_AREA, "Out of area"),
    (MatchStatus.HOME_EDUCATED, "Home educated"),
]


def match_outcomes_figure(facts: Facts) -> Figure:
    return disclosure.count_figure(
        key="match_outcomes",
        title="Match outcomes",
        description="Children of submitted incidents by what matching decided. A child counts "
        "here when its school, or the school police named, is in the area, or when it has no "
        "school and is in the area's routing queue.",
        row_heading="Outcome",
        columns=["Children"],
        rows=[(label, [facts.outcomes.get(key, 0)]) for key, label in MATCH_OUTCOMES],
        total_label="All children",
        shares=True,
        notes=["Children with no school (in the routing queue) are counted only for the whole partnership."]
        if facts.filtered_below_partnership
        else None,
    )


class PercentileCont(Aggregate):
    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, fraction: float, **extra):
        super().__init__(expression, fraction=float(fraction), **extra)


def percentile(values: list[float], fraction: float) -> float | None:
    """Linear interpolation between closest ranks: what PostgreSQL's percentile_cont does."""
    if not values:
        return None
    values = sorted(values)
    position = fraction * (len(values) - 1)
    low = int(position)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (position - low)


def duration_percentiles(rows: QuerySet) -> dict[str, tuple[int, float | None, float | None]]:
    """For each duration (seconds): how many notifications have one, its median and 90th
    percentile. percentile_cont on PostgreSQL, all in one query; the same interpolation in
    Python elsewhere."""
    if connection.vendor == "postgresql":
        aggregates = {}
        for field in DURATIONS:
            aggregates.update(
                {
                    f"{field}_n": Count(field),
                    f"{field}_median": PercentileCont(field, 0.5),
                    f"{field}_p90": PercentileCont(field, 0.9),
                }
            )
        result = rows.aggregate(**aggregates)
        return {f: (result[f"{f}_n"], result[f"{f}_median"], result[f"{f}_p90"]) for f in DURATIONS}
    durations = {}
    for field in DURATIONS:
        values = list(rows.exclude(**{field: None}).values_list(field, flat=True))
        durations[field] = (len(values), percentile(values, 0.5), percentile(values, 0.9))
    return durations


def timeliness_figure(facts: Facts) -> Figure:
    figure = Figure(
        key="timeliness",
        title="Time to deliver and to acknowledge",
        description="Hours from the incident to delivery to the school, and from delivery to "
        "a Key Adult's acknowledgement: the median and the 90th percentile (nine in ten were "
        "quicker).",
        row_heading="Interval",
        columns=["Notifications measured", "Median", "90th percentile"],
        chart=False,
        unit="hours",
    )
    for label, field in (
        ("Incident to delivery", "delivery_seconds"),
        ("Delivery to acknowledgement", "acknowledgement_seconds"),
    ):
        n, median, p90 = facts.durations[field]
        measured = disclosure.count_cell(n, disclosure.PRIMARY if disclosure.is_small(n) else "")
        hours = [None if v is None else v / HOUR for v in (median, p90)]
        figure.rows.append(Row(label, [measured, *(disclosure.measure_cell(h, measured) for h in hours)]))
    return figure


def acknowledged_in_time_figure(facts: Facts) -> Figure:
    counts = facts.totals
    return disclosure.count_figure(
        key="acknowledged_in_time",
        title="Acknowledged before the school day started",
        description="Delivered notifications by whether a Key Adult acknowledged them before the "
        "start of the next school day at the school (the time they were due).",
        row_heading="Acknowledgement",
        columns=["Notifications"],
        rows=[
            ("Before the school day started", [counts["in_time"]]),
            ("After the school day started", [counts["late"]]),
            ("Not acknowledged", [counts["not_acknowledged"]]),
        ],
        total_label="All delivered notifications",
        shares=True,
    )


def escalations_figure(facts: Facts) -> Figure:
    escalated = facts.totals["escalated"]
    return disclosure.count_figure(
        key="escalations",
        title="Escalations",
        description="Notifications that nobody acknowledged in time and were escalated (to deputies "
        "or the partnership coordinator).",
        row_heading="Notifications",
        columns=["Notifications"],
        rows=[("Escalated", [escalated]), ("Not escalated", [facts.totals["notifications"] - escalated])],
        total_label="All notifications",
        shares=True,
    )


def support_actions_figure(facts: Facts) -> Figure:
    counts = facts.totals
    return disclosure.count_figure(
        key="support_actions",
        title="Support given, by type",
        description="Support actions schools logged for the notifications counted (a corrected "
        "entry counts once, as corrected).",
        row_heading="Type of support",
        columns=["Support actions"],
        rows=[(label, [counts.get(kind, 0)]) for kind, label in SupportType.choices],
        total_label="All support actions",
        shares=True,
    )


def recipients_figure(facts: Facts) -> Figure:
    """Notifications by who received them: schools, or a local authority's teams."""
    teams = dict(School.objects.teams().values_list("pk", "kind"))
    to_teams = Counter()
    per_team = statistics_rows(facts.scope).filter(school_id__in=list(teams)).values_list("school_id")
    for school_id, n in per_team.annotate(n=Count("*")).order_by():
        to_teams[teams[school_id]] += n
    home, early = to_teams[RecipientKind.HOME_EDUCATION], to_teams[RecipientKind.EARLY_YEARS]
    return disclosure.count_figure(
        key="recipients",
        title="Notifications by recipient",
        description="Notifications to schools, and to the local authority's teams: elective home "
        "education and children missing education (children on the authority's register), and "
        "early years (under-fives, where the partnership tells them).",
        row_heading="Recipient",
        columns=["Notifications"],
        rows=[
            ("Schools", [facts.totals["notifications"] - home - early]),
            ("Home education team", [home]),
            ("Early years team", [early]),
        ],
        total_label="All notifications",
        shares=True,
    )


def transfers_figure(facts: Facts) -> Figure:
    """Children the census showed at a new school, dated by when it did: history sent, or to the
    coordinator. Counted apart from notifications (a transfer repeats earlier ones)."""
    scope = facts.scope
    start = datetime.combine(scope.start, time.min, tzinfo=LONDON)
    end = datetime.combine(scope.end + timedelta(days=1), time.min, tzinfo=LONDON)
    rows = Transfer.objects.filter(created_at__gte=start, created_at__lt=end)
    if scope.partnership is not None:
        rows = rows.filter(
            Q(to_school__local_authority__partnership=scope.partnership) | Q(routed_to=scope.partnership)
        )
    if scope.local_authority is not None:
        rows = rows.filter(to_school__local_authority=scope.local_authority)
    if scope.phase:
        rows = rows.filter(to_school__phase=scope.phase)
    if scope.school is not None:
        rows = rows.filter(to_school=scope.school)
    counts = dict(rows.values_list("status").annotate(n=Count("*")).order_by())
    return disclosure.count_figure(
        key="transfers",
        title="Children who moved school",
        description="Notified children the census showed at a new school, by when it did: the new "
        "school received their history, or (a school not on Encompass) the coordinator passed it on.",
        row_heading="Transfers",
        columns=["Children"],
        rows=[
            ("History sent to the new school", [counts.get(TransferStatus.NOTIFIED, 0)]),
            ("New school not on Encompass: to the coordinator", [counts.get(TransferStatus.ROUTED, 0)]),
        ],
        total_label="All transfers",
        shares=True,
    )


def schools_figure(facts: Facts) -> Figure:
    open_schools = scope_schools(facts.scope).filter(status=SchoolStatus.OPEN, kind=RecipientKind.SCHOOL)
    active_dsl = KeyAdult.objects.filter(
        school=OuterRef("pk"), role=KeyAdultRole.DSL, is_active=True, user__is_active=True
    )
    counts = open_schools.aggregate(
        signed_up=Count("pk", filter=Q(participating=True)),
        not_participating=Count("pk", filter=Q(participating=False)),
        without_dsl=Count("pk", filter=Q(participating=True) & ~Q(Exists(active_dsl))),
    )
    figure = disclosure.count_figure(
        key="schools",
        title="Schools signed up",
        description="Open schools in the area by whether they take part in Operation Encompass "
        "(the share signed up is the coverage). Counts of schools are not suppressed.",
        row_heading="Schools",
        columns=["Schools"],
        rows=[("Participating", [counts["signed_up"]]), ("Not participating", [counts["not_participating"]])],
        total_label="All open schools",
        shares=True,
        suppress=False,
    )
    figure.rows.append(
        Row(
            "Participating without an active DSL",
            [Cell(counts["without_dsl"], f"{counts['without_dsl']:,}")],
            share=disclosure.share_cell(Cell(counts["without_dsl"], ""), Cell(counts["signed_up"], "")),
        ),
    )
    figure.notes.append(
        "The share of schools without an active DSL is of participating schools; "
        "they are not part of the total."
    )
    return figure


FIGURES = {
    "summary": summary_figure,
    "notifications_by_school": school_table_figure,
    "notifications_by_month": lambda facts: notifications_by_period_figure(facts, "month"),
    "notifications_by_week": lambda facts: notifications_by_period_figure(facts, "week"),
    "repeat_children": repeat_children_figure,
    "match_outcomes": match_outcomes_figure,
    "timeliness": timeliness_figure,
    "acknowledged_in_time": acknowledged_in_time_figure,
    "escalations": escalations_figure,
    "support_actions": support_actions_figure,
    "recipients": recipients_figure,
    "transfers": transfers_figure,
    "schools": schools_figure,
}


def statistics_figures(scope: Scope) -> list[Figure]:
    facts = Facts(scope)
    return [build(facts) for build in FIGURES.values()]


def statistics_figure(scope: Scope, key: str) -> Figure:
    if key not in FIGURES:
        raise Http404
    return FIGURES[key](Facts(scope))
