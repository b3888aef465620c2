"""Writes to reference data made by people: sign-ups and the Key Adult register. Every
change is an event (who changed what, when); imports live in schools.imports."""

from __future__ import annotations

from datetime import date, time

from django.db import transaction

from encompass.events import event_record
from encompass.models import Role, User
from schools.models import (
    TEAM_KINDS,
    TEAM_URN_BASE,
    AgreementAcceptance,
    AlertChannels,
    KeyAdult,
    LocalAuthority,
    RecipientKind,
    School,
    key_adult_account_problem,
)

KEY_ADULT_FIELDS = ("role", "is_active", "phone", "alert_by", "mobile", "trained_on")


@transaction.atomic
def school_sign_up(
    *,
    school: School,
    joined_on: date,
    accepted_by_name: str,
    accepted_by_role: str = "",
    accepted_on: date,
    actor: User | None,
    ip_address: str | None = None,
) -> AgreementAcceptance:
    """The school joins the scheme once a named person has accepted the partnership's current
    information sharing agreement."""
    version = school.local_authority.partnership.agreement_version
    acceptance = AgreementAcceptance.objects.create(
        school=school,
        agreement_version=version,
        accepted_by_name=accepted_by_name,
        accepted_by_role=accepted_by_role,
        accepted_on=accepted_on,
        recorded_by=actor,
    )
    school.participating = True
    school.joined_on = joined_on
    school.save(update_fields=["participating", "joined_on"])
    event_record(
        verb="school.signed_up", obj=school, actor=actor, ip_address=ip_address,
        acceptance_id=acceptance.pk, agreement_version=version, joined_on=joined_on.isoformat(),
    )  # fmt: skip
    return acceptance


@transaction.atomic
def school_withdraw(*, school: School, actor: User | None, ip_address: str | None = None) -> None:
    """The school leaves the scheme; it stays in the data so matching can say so."""
    school.participating = False
    school.save(update_fields=["participating"])
    event_record(verb="school.withdrawn", obj=school, actor=actor, ip_address=ip_address)


def la_team_urn(local_authority: LocalAuthority, kind: str) -> int:
    """A team's reference: 9 digits, above every GIAS URN, one per authority and team kind
    (900 + the authority's code + the kind's number, 900883001 for Thurrock's home education team)."""
    return TEAM_URN_BASE + int(local_authority.code) * 1000 + TEAM_KINDS.index(kind) + 1


@transaction.atomic
def la_team_create(
    *, local_authority: LocalAuthority, kind: str, name: str = "", actor: User | None = None
) -> School:
    """A local authority team that receives notifications as a school does. It takes part
    from the day it is created (the authority is a party to the partnership's agreement);
    its members are added on the coordinator's Key Adult pages. Creating it again changes nothing."""
    if kind not in TEAM_KINDS:
        raise ValueError(f"{kind!r} is not a kind of local authority team")
    label = RecipientKind(kind).label.split(": ", 1)[1]
    team, created = School.objects.get_or_create(
        local_authority=local_authority,
        kind=kind,
        defaults={
            "urn": la_team_urn(local_authority, kind),
            "name": name or f"{local_authority.name}: {label} team",
            "establishment_type": "Local authority team",
            "participating": True,
            "joined_on": date.today(),
            "day_starts_at": time(9, 0),
        },
    )
    if created:
        event_record(
            verb="la_team.created", obj=team, actor=actor, kind=kind, local_authority=local_authority.code
        )
    return team


class KeyAdultNotSchoolStaff(ValueError):
    pass


class KeyAdultEmailTaken(ValueError):
    pass


@transaction.atomic
def key_adult_add(
    *,
    school: School,
    email: str,
    full_name: str,
    role: str,
    phone: str = "",
    alert_by: str = AlertChannels.EMAIL,
    mobile: str = "",
    trained_on: date | None = None,
    actor: User | None,
    ip_address: str | None = None,
) -> KeyAdult:
    """Add a person to a school's Key Adult register, creating their account if they have
    none (they set a password and second factor through the sign-in reset)."""
    email = User.objects.normalize_email(email).lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is not None and (problem := key_adult_account_problem(user)):
        raise KeyAdultNotSchoolStaff(problem)
    if user is None:
        user = User.objects.create_user(email, None, full_name=full_name, role=Role.KEY_ADULT)
        event_record(verb="user.created", obj=user, actor=actor, ip_address=ip_address)
    key_adult = KeyAdult.objects.create(
        user=user, school=school, role=role, phone=phone, alert_by=alert_by, mobile=mobile,
        trained_on=trained_on, is_active=True,
    )  # fmt: skip
    event_record(
        verb="key_adult.added", obj=key_adult, actor=actor, ip_address=ip_address,
        school_id=school.pk, user_id=user.pk, role=role,
    )  # fmt: skip
    return key_adult


@transaction.atomic
def key_adult_update(
    *,
    key_adult: KeyAdult,
    actor: User | None,
    ip_address: str | None = None,
    email: str | None = None,
    **changes,
) -> KeyAdult:
    """Change a Key Adult's e-mail address, role, active flag, phone, alert channels, mobile or
    training date. The address is the person's sign-in, so it changes for every school they
    serve. The event names the fields changed, not their values (a phone number is personal data)."""
    unknown = set(changes) - set(KEY_ADULT_FIELDS)
    if unknown:
        raise TypeError(f"key_adult_update() got unexpected fields {sorted(unknown)}")
    new_email = email is not None and email.lower() != key_adult.user.email.lower()
    if new_email and User.objects.filter(email__iexact=email).exclude(pk=key_adult.user_id).exists():
        raise KeyAdultEmailTaken("Another account already uses this address")
    changed = [name for name, value in changes.items() if getattr(key_adult, name) != value]
    for name in changed:
        setattr(key_adult, name, changes[name])
    if changed:
        key_adult.save(update_fields=changed)
    if new_email:
        key_adult.user.email = email.lower()
        key_adult.user.save(update_fields=["email"])
        changed.append("email")
    if not changed:
        return key_adult
    event_record(
        verb="key_adult.changed", obj=key_adult, actor=actor, ip_address=ip_address,
        school_id=key_adult.school_id, fields=changed,
    )  # fmt: skip
    return key_adult
