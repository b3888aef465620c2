"""A hand-counted month for partnership A (March 2026), with the counts written beside the
data so each test can say where its number comes from.

Incidents in March 2026 with children notified to schools of partnership A:
  I1  2 Mar: pupils 1 and 2 (school A)         I5 20 Mar: pupil 6 (school A)
  I2  3 Mar: pupil 1 again (school A)          I6 21 Mar: pupil 7 (school A)
  I3 10 Mar: pupil 3 (school A)                I7 25 Mar: pupil 2 again (school A)
  I4 11 Mar: pupils 4 and 5 (school B)         I8 26 Mar: pupil 8 (school B)
= 8 incidents, 10 notifications, 8 children, 2 of them (pupils 1 and 2) notified twice.
Delivered 1, 2, ... 10 hours after the incident; the first six acknowledged 1, 2, ... 6 hours
after delivery, five of them before the school day started. Two escalated by step, one by an
event. Support: six welfare check-ins, one corrected to pastoral support.
Outside the counts: a February notification, a withdrawn incident, and a notification to
school C (partnership B)."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from encompass.events import event_record
from incidents.models import IncidentChild, IncidentStatus, MatchStatus
from notifications.models import Notification, NotificationStatus, SupportAction, SupportType
from notifications.statistics.maintenance import notification_statistics_rebuild
from tests.factories import EnrolmentFactory, IncidentFactory, PupilFactory, SchoolFactory

LONDON = ZoneInfo("Europe/London")
MARCH = {"start": "2026-03-01", "end": "2026-03-31"}
NAMES = [
    ("Zephyrine", "Quillfeather"),
    ("Barnaby", "Wrexcombe"),
    ("Ottoline", "Marchbanks"),
    ("Peregrine", "Fothergill"),
    ("Clementine", "Abernathy"),
    ("Ignatius", "Penhaligon"),
    ("Wilhelmina", "Thistlewood"),
    ("Leopold", "Ravenscroft"),
    ("Araminta", "Cholmondeley"),
    ("Hortensia", "Blatherwick"),
]


@dataclass
class Month:
    world: object
    pupils: list = field(default_factory=list)
    notifications: list = field(default_factory=list)
    references: list = field(default_factory=list)
    names: list = field(default_factory=list)


def at(day: date, hour: int = 20) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=LONDON)


def incident_file(month: Month, when: datetime, *, status=IncidentStatus.SUBMITTED, **fields):
    incident = IncidentFactory(
        force=month.world.force_a,
        occurred_at=when,
        status=status,
        address_line1="17 Quillfeather Mews",
        postcode="SS9 9ZZ",
        withdrawn_reason="entered in error" if status == IncidentStatus.WITHDRAWN else "",
        **fields,
    )
    month.references.append(incident.reference)
    return incident


def child_add(month: Month, incident, pupil=None, *, name=None, **fields):
    first, last = name or (pupil.first_name, pupil.last_name)
    month.names += [first, last]
    return IncidentChild.objects.create(
        incident=incident, first_name=first, last_name=last, dob=date(2016, 5, 14), pupil=pupil, **fields
    )


def notify(month: Month, incident, pupil, school, *, delivered_after=None, **fields) -> Notification:
    child = child_add(month, incident, pupil, match_status=MatchStatus.MATCHED, school=school)
    delivered_at = incident.occurred_at + delivered_after if delivered_after else None
    notification = Notification.objects.create(
        child=child,
        school=school,
        due_at=incident.occurred_at + timedelta(hours=36),
        delivered_at=delivered_at,
        status=NotificationStatus.DELIVERED if delivered_at else NotificationStatus.PENDING,
        **fields,
    )
    month.notifications.append(notification)
    return notification


@pytest.fixture
def march(world):
    month = Month(world)
    w = world
    for i, (first, last) in enumerate(NAMES[:8]):
        pupil = PupilFactory(first_name=first, last_name=last, address_line1="17 Quillfeather Mews")
        EnrolmentFactory(pupil=pupil, school=w.school_b if i in (3, 4, 7) else w.school_a)
        month.pupils.append(pupil)
    p = month.pupils
    plan = [  # (day, pupils, school)
        (2, [p[0], p[1]], w.school_a),
        (3, [p[0]], w.school_a),
        (10, [p[2]], w.school_a),
        (11, [p[3], p[4]], w.school_b),
        (20, [p[5]], w.school_a),
        (21, [p[6]], w.school_a),
        (25, [p[1]], w.school_a),
        (26, [p[7]], w.school_b),
    ]
    hour = 0
    incidents = []
    for day, pupils, school in plan:
        incident = incident_file(month, at(date(2026, 3, day)))
        incidents.append(incident)
        for pupil in pupils:
            hour += 1
            notify(month, incident, pupil, school, delivered_after=timedelta(hours=hour))
    _acknowledge_first_six(month)
    _escalate_three(month)
    _support(month)
    _match_outcomes(month, incidents)
    _outside_the_counts(month)
    # Built row by row as a fixture, not through the services: the nightly rebuild counts it.
    notification_statistics_rebuild()
    return month


def _acknowledge_first_six(month: Month):
    for i, notification in enumerate(month.notifications[:6]):
        notification.acknowledged_at = notification.delivered_at + timedelta(hours=i + 1)
        if i == 5:  # the sixth is acknowledged after the school day started
            notification.due_at = notification.acknowledged_at - timedelta(minutes=1)
        notification.status = NotificationStatus.ACKNOWLEDGED
        notification.acknowledged_by = month.world.key_adult_a
        notification.save()


def _escalate_three(month: Month):
    for notification in month.notifications[6:8]:
        notification.escalation_step = 1
        notification.save()
    event_record(verb="escalation.escalated", obj=month.notifications[8], step=2)


def _support(month: Month):
    actions = [
        SupportAction.objects.create(
            notification=n,
            given_on=date(2026, 3, 28),
            kind=SupportType.WELFARE_CHECK_IN,
            note="Spoke with Zephyrine Quillfeather",
            created_by=month.world.key_adult_a,
        )
        for n in month.notifications[:6]
    ]
    SupportAction.objects.create(
        notification=actions[0].notification,
        given_on=date(2026, 3, 28),
        kind=SupportType.PASTORAL,
        created_by=month.world.key_adult_a,
        corrects=actions[0],
    )


def _match_outcomes(month: Month, incidents):
    """Of the 10 matched children, two were matched after review: one by an event, one by
    its match_detail. Unmatched children of partnership A: no match (known school A), not of
    school age (known school A), school not participating (routed to a non-participating
    school of A). Not counted for A: out of area routed to school C, no match with no school."""
    w = month.world
    children = [n.child for n in month.notifications]
    event_record(verb="child.review_decided", obj=children[2], actor=w.reviewer_a, outcome="matched")
    children[3].match_detail = {"review": {"decided_by": w.reviewer_a.pk}}
    children[3].save()
    month.not_participating = SchoolFactory(
        name="Westcliff Academy", local_authority=w.la_a, participating=False, joined_on=None
    )
    incident = incidents[4]
    child_add(month, incident, name=NAMES[8], match_status=MatchStatus.NO_MATCH, known_school=w.school_a)
    child_add(
        month, incident, name=NAMES[9], match_status=MatchStatus.NOT_SCHOOL_AGE, known_school=w.school_a
    )
    child_add(
        month,
        incident,
        name=("Evangeline", "Gallimore"),
        match_status=MatchStatus.NOT_PARTICIPATING,
        school=month.not_participating,
    )
    child_add(
        month,
        incident,
        name=("Montgomery", "Fairweather"),
        match_status=MatchStatus.OUT_OF_AREA,
        school=w.school_c,
    )
    child_add(month, incident, name=("Rosalind", "Ashcombe"), match_status=MatchStatus.NO_MATCH)


def _outside_the_counts(month: Month):
    w = month.world
    pupil = PupilFactory(first_name="Florizel", last_name="Underhay")
    february = incident_file(month, at(date(2026, 2, 27)))
    notify(month, february, pupil, w.school_a, delivered_after=timedelta(hours=1))
    withdrawn = incident_file(month, at(date(2026, 3, 15)), status=IncidentStatus.WITHDRAWN)
    last = notify(month, withdrawn, pupil, w.school_a, delivered_after=timedelta(hours=1))
    last.status = NotificationStatus.WITHDRAWN
    last.withdrawn_at = last.delivered_at
    last.save()
    elsewhere = incident_file(month, at(date(2026, 3, 12)))
    notify(month, elsewhere, pupil, w.school_c, delivered_after=timedelta(hours=1))
