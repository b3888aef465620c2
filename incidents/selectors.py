"""Reading incidents for the police: their own force only."""

from django.db.models import QuerySet

from incidents.models import Force, Incident


def incidents_for_force(force: Force | None) -> QuerySet[Incident]:
    return Incident.objects.filter(force=force)


def incident_for_force(*, force: Force, reference: str) -> Incident | None:
    return incidents_for_force(force).filter(reference=reference).first()


def force_find(name_or_code: str) -> Force | None:
    return (
        Force.objects.filter(name__iexact=name_or_code).first()
        or Force.objects.filter(code__iexact=name_or_code).first()
    )
