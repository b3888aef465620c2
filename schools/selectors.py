from datetime import date

from django.db.models import Q, QuerySet

from schools.models import Enrolment, School


def schools_for_key_adult(user) -> QuerySet[School]:
    return School.objects.filter(key_adults__user=user, key_adults__is_active=True).distinct()


def enrolment_on(*, pupil, on: date) -> Enrolment | None:
    return (
        Enrolment.objects.filter(pupil=pupil, entry_date__lte=on)
        .filter(Q(leaving_date__isnull=True) | Q(leaving_date__gte=on))
        .select_related("school__local_authority__partnership")
        .order_by("-entry_date")
        .first()
    )
