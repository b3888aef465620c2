from datetime import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now

from encompass.models import Role
from schools.mobiles import E164_UK_MOBILE


class SharingLevel(models.TextChoices):
    MINIMAL = "minimal", "Minimal: child, date of birth, when, present, welfare check"
    FULL = "full", "Full: adds police reference, location, voice of the child, circumstances"


class TextPolicy(models.TextChoices):
    HOURS = "hours", "Texts between set hours (outside them, e-mail)"
    ESCALATIONS = "escalations", "Texts only for reminders and escalations, at any hour"


class Partnership(models.Model):
    """A local safeguarding children partnership: sets what schools are shown and who covers
    holidays and escalations."""

    name = models.CharField(max_length=200, unique=True)
    sharing_level = models.CharField(
        max_length=10, choices=SharingLevel.choices, default=SharingLevel.MINIMAL
    )
    agreement_version = models.CharField(max_length=20, default="1.0")
    holiday_cover_email = models.EmailField(blank=True)
    # When Key Adults who chose text messages get one (Europe/London). Outside the hours, or
    # for an alert under the escalations-only policy, they are e-mailed instead.
    text_policy = models.CharField(max_length=12, choices=TextPolicy.choices, default=TextPolicy.HOURS)
    texts_from = models.TimeField(default=time(6, 30))
    texts_until = models.TimeField(default=time(21, 0), help_text="The same as the start: any hour.")
    # Under-fives go to the early years team of one of the partnership's authorities (off:
    # to the coordinator, as children not of school age).
    early_years_opt_in = models.BooleanField(
        default=False, db_default=False, verbose_name="tell the early years team about under-fives"
    )
    # A transfer to a child's new school carries the earlier schools' support logs only if so.
    transfer_support_logs = models.BooleanField(
        default=False, db_default=False, verbose_name="a transfer carries the earlier schools' support logs"
    )

    def __str__(self):
        return self.name


class LocalAuthority(models.Model):
    code = models.CharField(max_length=3, unique=True)
    name = models.CharField(max_length=200)
    partnership = models.ForeignKey(
        Partnership,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="local_authorities",
    )

    class Meta:
        verbose_name_plural = "local authorities"
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"


class SchoolStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"
    PROPOSED = "proposed", "Proposed to open"


class RecipientKind(models.TextChoices):
    """Who a School row is: a school or college from GIAS, or a team of a local authority
    that receives notifications exactly as a school does (members are its Key Adults)."""

    SCHOOL = "school", "School or college"
    HOME_EDUCATION = (
        "home_education",
        "Local authority team: elective home education and children missing education",
    )
    EARLY_YEARS = "early_years", "Local authority team: early years"


TEAM_KINDS = (RecipientKind.HOME_EDUCATION, RecipientKind.EARLY_YEARS)
# A team's reference in the URN column: GIAS URNs have six digits, so nine-digit numbers from
# here on can never be a school's (see schools.services.la_team_urn).
TEAM_URN_BASE = 900_000_000


class SchoolQuerySet(models.QuerySet):
    def schools(self):
        return self.filter(kind=RecipientKind.SCHOOL)

    def teams(self):
        return self.exclude(kind=RecipientKind.SCHOOL)


class School(models.Model):
    """A recipient of notifications: a school from GIAS, or a local authority team (`kind`),
    which works like a school but keeps the authority's working days instead of term dates."""

    urn = models.PositiveIntegerField(unique=True, verbose_name="URN")
    kind = models.CharField(
        max_length=20,
        choices=RecipientKind.choices,
        default=RecipientKind.SCHOOL,
        db_default=RecipientKind.SCHOOL,
    )
    name = models.CharField(max_length=250)
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="schools")
    establishment_number = models.CharField(max_length=10, blank=True)
    establishment_type = models.CharField(max_length=120, blank=True)
    phase = models.CharField(max_length=60, blank=True)
    low_age = models.PositiveSmallIntegerField(null=True, blank=True)
    high_age = models.PositiveSmallIntegerField(null=True, blank=True)
    street = models.CharField(max_length=200, blank=True)
    locality = models.CharField(max_length=200, blank=True)
    address3 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    status = models.CharField(max_length=10, choices=SchoolStatus.choices, default=SchoolStatus.OPEN)
    opened_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    participating = models.BooleanField(default=False)
    joined_on = models.DateField(null=True, blank=True)
    day_starts_at = models.TimeField(default=time(8, 45))

    objects = SchoolQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="participating_schools_have_a_join_date",
                condition=Q(participating=False) | Q(joined_on__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["local_authority", "kind"],
                condition=~Q(kind="school"),
                name="one_team_of_each_kind_per_authority",
            ),
            models.CheckConstraint(
                name="teams_have_a_team_reference",
                condition=Q(kind="school", urn__lt=TEAM_URN_BASE)
                | (~Q(kind="school") & Q(urn__gte=TEAM_URN_BASE)),
            ),
        ]

    def __str__(self):
        if self.is_team:
            return self.name
        return f"{self.name} ({self.urn})"

    @property
    def partnership(self):
        return self.local_authority.partnership

    @property
    def is_team(self) -> bool:
        return self.kind != RecipientKind.SCHOOL


class KeyAdultRole(models.TextChoices):
    DSL = "dsl", "Designated safeguarding lead"
    DEPUTY = "deputy", "Deputy"


class AlertChannels(models.TextChoices):
    EMAIL = "email", "E-mail"
    SMS = "sms", "Text message"
    BOTH = "both", "E-mail and text message"


class KeyAdult(models.Model):
    """A person's membership of a school as its Key Adult (DSL) or deputy. Alerts go to the
    user's e-mail address, their mobile, or both (`alert_by`) while the membership is active."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="key_adult_roles"
    )
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="key_adults")
    role = models.CharField(max_length=10, choices=KeyAdultRole.choices)
    is_active = models.BooleanField(default=True)
    phone = models.CharField(max_length=30, blank=True)
    mobile = models.CharField(max_length=13, blank=True, help_text="UK mobile for text alerts, E.164.")
    alert_by = models.CharField(max_length=5, choices=AlertChannels.choices, default=AlertChannels.EMAIL)
    trained_on = models.DateField(null=True, blank=True)
    delivery_failed_at = models.DateTimeField(null=True, blank=True)
    delivery_failure = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "school"], name="one_membership_per_school"),
            models.CheckConstraint(
                name="key_adult_mobile_is_e164_uk",
                condition=Q(mobile="") | Q(mobile__regex=E164_UK_MOBILE),
            ),
            models.CheckConstraint(
                name="key_adult_texts_need_a_mobile",
                condition=Q(alert_by=AlertChannels.EMAIL) | ~Q(mobile=""),
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}, {self.school.urn})"

    def clean(self):
        # The Django admin's inline goes through here too.
        if self.user_id and (problem := key_adult_account_problem(self.user)):
            raise ValidationError({"user": problem})


def key_adult_account_problem(user) -> str | None:
    """A Key Adult register takes school staff only: an account of police, a partnership or
    an administrator on it would receive a school's alerts and see its notifications."""
    if user.role != Role.KEY_ADULT or user.is_staff or user.is_superuser:
        return (
            "This address belongs to an account that is not a school's (police, partnership or "
            "administrator): a Key Adult needs their own school account with another address"
        )
    return None


class Sex(models.TextChoices):
    MALE = "M", "Male"
    FEMALE = "F", "Female"


class Pupil(models.Model):
    """A pupil of the school census, identified by UPN. Names and address are as on the
    latest census; earlier ones are kept in PupilAlias for matching."""

    upn = models.CharField(max_length=13, unique=True, verbose_name="UPN")
    first_name = models.CharField(max_length=100)
    middle_names = models.CharField(max_length=200, blank=True)
    last_name = models.CharField(max_length=100)
    preferred_first_name = models.CharField(max_length=100, blank=True)
    preferred_last_name = models.CharField(max_length=100, blank=True)
    dob = models.DateField(verbose_name="date of birth")
    sex = models.CharField(max_length=1, choices=Sex.choices, blank=True)
    address_line1 = models.CharField(max_length=200, blank=True)
    address_line2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    uprn = models.CharField(max_length=12, blank=True, verbose_name="UPRN")
    # matching.keys.KEY_SET_VERSION of the pupil's stored PupilKey rows; 0: none stored yet (or
    # stored before versions were recorded). schools.census.pupil_keys_rebuild brings it up.
    keys_version = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        indexes = [models.Index(fields=["dob"]), models.Index(fields=["last_name", "dob"])]

    def __str__(self):
        return self.upn


class PupilAlias(models.Model):
    """An earlier name or address of a pupil, kept so that a child recorded under it is found."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="aliases")
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    address_line1 = models.CharField(max_length=200, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    recorded_on = models.DateField()

    class Meta:
        verbose_name_plural = "pupil aliases"

    def __str__(self):
        return f"alias of {self.pupil_id}"


class PupilKey(models.Model):
    """A blocking key of a pupil, computed at import: candidates for a child are the pupils
    that share one of its keys."""

    # matching.key_hash.key_hash of the key text: 8 bytes, whatever the key's length.
    key = models.BigIntegerField(help_text="key_hash() of the blocking key")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="keys")

    class Meta:
        # The unique index on (key, pupil) is also the look-up index by key.
        constraints = [models.UniqueConstraint(fields=["key", "pupil"], name="one_key_per_pupil")]

    def __str__(self):
        return str(self.key)


class Enrolment(models.Model):
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="enrolments")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="enrolments")
    entry_date = models.DateField()
    leaving_date = models.DateField(null=True, blank=True)
    # When the census first showed this enrolment (the database fills it, so the census
    # import's own INSERTs record it too): notifications.transfers looks here for children who
    # moved school. Empty for enrolments from before it was recorded.
    recorded_at = models.DateTimeField(null=True, blank=True, db_default=Now())

    class Meta:
        indexes = [
            models.Index(fields=["pupil", "entry_date"]),
            models.Index(fields=["recorded_at"], name="enrolment_recorded_at"),
        ]
        constraints = [
            models.CheckConstraint(
                name="enrolment_ends_after_it_starts",
                condition=Q(leaving_date__isnull=True) | Q(leaving_date__gte=models.F("entry_date")),
            ),
            models.UniqueConstraint(fields=["pupil", "school", "entry_date"], name="one_enrolment_per_start"),
        ]

    def __str__(self):
        return f"{self.pupil} at {self.school.urn} from {self.entry_date}"


class AgreementAcceptance(models.Model):
    """A school's acceptance of its partnership's information sharing agreement: the named
    person who accepted it, when, and which version. Kept for every sign-up, never edited."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="agreement_acceptances")
    agreement_version = models.CharField(max_length=20)
    accepted_by_name = models.CharField(max_length=150)
    accepted_by_role = models.CharField(max_length=150, blank=True)
    accepted_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-accepted_on", "-recorded_at"]

    def __str__(self):
        return f"{self.school.urn} accepted version {self.agreement_version} on {self.accepted_on}"


class TermPeriodKind(models.TextChoices):
    TERM = "term", "Term (school open on weekdays)"
    HOLIDAY = "holiday", "Holiday (school closed)"
    INSET = "inset", "INSET day (closed to pupils)"


class TermPeriod(models.Model):
    """A run of days of a local authority's calendar, or of one school's own calendar.

    A school's terms are its own TERM periods if it has any, else its authority's; holidays
    and INSET days of both the authority and the school close the school within term."""

    local_authority = models.ForeignKey(
        LocalAuthority, null=True, blank=True, on_delete=models.CASCADE, related_name="term_periods"
    )
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.CASCADE, related_name="term_periods"
    )
    kind = models.CharField(max_length=10, choices=TermPeriodKind.choices)
    starts_on = models.DateField()
    ends_on = models.DateField()
    description = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                name="term_period_belongs_to_an_authority_or_a_school",
                condition=Q(local_authority__isnull=False, school__isnull=True)
                | Q(local_authority__isnull=True, school__isnull=False),
            ),
            models.CheckConstraint(
                name="term_period_ends_after_it_starts", condition=Q(ends_on__gte=models.F("starts_on"))
            ),
            models.UniqueConstraint(
                fields=["local_authority", "kind", "starts_on", "ends_on"],
                condition=Q(school__isnull=True),
                name="one_authority_period_per_span",
            ),
            models.UniqueConstraint(
                fields=["school", "kind", "starts_on", "ends_on"],
                condition=Q(local_authority__isnull=True),
                name="one_school_period_per_span",
            ),
        ]

    def __str__(self):
        owner = f"school {self.school.urn}" if self.school_id else f"LA {self.local_authority.code}"
        return f"{self.get_kind_display()} {self.starts_on} to {self.ends_on} ({owner})"


class RegisterStatus(models.TextChoices):
    HOME_EDUCATION = "home_education", "Elective home education"
    MISSING_EDUCATION = "missing_education", "Child missing education"


class RegisteredChild(models.Model):
    """A child on a local authority's register of children educated at home or missing
    education, from `import_la_register`: an incident about such a child is for the
    authority, not a school. `child_id` is the authority's own reference."""

    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="registered_children"
    )
    child_id = models.CharField(max_length=40)
    first_name = models.CharField(max_length=100)
    middle_names = models.CharField(max_length=200, blank=True)
    last_name = models.CharField(max_length=100)
    dob = models.DateField(verbose_name="date of birth")
    sex = models.CharField(max_length=1, choices=Sex.choices, blank=True)
    address_line1 = models.CharField(max_length=200, blank=True)
    address_line2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    status = models.CharField(max_length=20, choices=RegisterStatus.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "registered children"
        indexes = [models.Index(fields=["dob"])]
        constraints = [
            models.UniqueConstraint(
                fields=["local_authority", "child_id"], name="one_register_entry_per_child_id"
            ),
            models.CheckConstraint(
                name="register_entry_ends_after_it_starts",
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
            ),
            models.CheckConstraint(
                name="register_status_is_known",
                condition=Q(status__in=["home_education", "missing_education"]),
            ),
        ]

    def __str__(self):
        return f"{self.local_authority.code}/{self.child_id}"
