from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Force(models.Model):
    name = models.CharField(max_length=100, unique=True)
    code = models.CharField(max_length=10, unique=True)
    reference_pattern = models.CharField(
        max_length=200,
        default=r"^[A-Z0-9][A-Z0-9/\-]{3,30}$",
        help_text="Regular expression a police reference of this force must match.",
    )
    reference_example = models.CharField(max_length=40, default="42/123456/26")
    unplaced_partnership = models.ForeignKey(
        "schools.Partnership",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="partnership for children with no area",
        help_text="Takes the children not matched whose area cannot be found (no postcode, no school named).",
    )

    def __str__(self):
        return self.name


class IncidentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    WITHDRAWN = "withdrawn", "Withdrawn"


class IncidentKind(models.TextChoices):
    INCIDENT = "incident", "Incident"
    CRIME = "crime", "Crime"


class RiskGrading(models.TextChoices):
    STANDARD = "standard", "Standard"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class WithdrawalReason(models.TextChoices):
    ENTERED_IN_ERROR = "entered_in_error", "Entered in error"
    WRONG_ADDRESS = "wrong_address", "Wrong address"
    DUPLICATE = "duplicate", "Duplicate of another incident"
    NOT_DOMESTIC_ABUSE = "not_domestic_abuse", "Not a domestic abuse incident"


class Incident(models.Model):
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="incidents")
    reference = models.CharField(max_length=40, verbose_name="police reference")
    occurred_at = models.DateTimeField(verbose_name="date and time of the incident")
    reported_at = models.DateTimeField(null=True, blank=True, verbose_name="when it was reported")
    address_line1 = models.CharField(max_length=200, blank=True)
    address_line2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    uprn = models.CharField(max_length=12, blank=True, verbose_name="UPRN")
    kind = models.CharField(max_length=10, choices=IncidentKind.choices, default=IncidentKind.INCIDENT)
    risk = models.CharField(
        max_length=10, choices=RiskGrading.choices, blank=True, verbose_name="risk grading"
    )
    welfare_check = models.BooleanField(default=False, verbose_name="welfare check made")
    voice_of_child = models.TextField(blank=True, verbose_name="voice of the child")
    circumstances = models.TextField(
        max_length=600,
        blank=True,
        verbose_name="brief circumstances for the school",
        help_text="What the school needs to know to support the child. Do not name adults or "
        "give the location.",
    )
    status = models.CharField(max_length=10, choices=IncidentStatus.choices, default=IncidentStatus.DRAFT)
    withdrawn_reason = models.CharField(max_length=200, blank=True, choices=WithdrawalReason.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-occurred_at"]
        constraints = [
            models.UniqueConstraint(fields=["force", "reference"], name="one_reference_per_force"),
            models.CheckConstraint(
                name="withdrawn_incidents_have_a_reason",
                condition=~Q(status="withdrawn") | ~Q(withdrawn_reason=""),
            ),
        ]

    def __str__(self):
        return self.reference


# What the police record about an incident: the officer's form and the daily download
# (one column each) take the same fields.
INCIDENT_FIELDS = [
    "reference",
    "occurred_at",
    "reported_at",
    "kind",
    "risk",
    "address_line1",
    "address_line2",
    "town",
    "postcode",
    "uprn",
    "welfare_check",
    "voice_of_child",
    "circumstances",
]


class MatchStatus(models.TextChoices):
    PENDING = "pending", "Not yet matched"
    MATCHED = "matched", "Matched"
    REVIEW = "review", "Needs review"
    NO_MATCH = "no_match", "No match"
    NOT_SCHOOL_AGE = "not_school_age", "Not of school age"
    NOT_PARTICIPATING = "not_participating", "School not participating"
    OUT_OF_AREA = "out_of_area", "Out of area"
    HOME_EDUCATED = "home_educated", "Home educated"


# Outcomes that go to the coordinator of the incident's area (see incidents.matcher).
AREA_ROUTED = (MatchStatus.NO_MATCH, MatchStatus.NOT_SCHOOL_AGE, MatchStatus.OUT_OF_AREA)


class IncidentChild(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="children")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    dob = models.DateField(null=True, blank=True, verbose_name="date of birth")
    estimated_age = models.PositiveSmallIntegerField(null=True, blank=True)
    sex = models.CharField(max_length=1, choices=[("M", "Male"), ("F", "Female")], blank=True)
    present = models.BooleanField(default=True, verbose_name="present at the incident")
    relationship = models.CharField(max_length=60, blank=True, verbose_name="relationship to household")
    upn = models.CharField(max_length=13, blank=True, verbose_name="UPN, if known")
    person_reference = models.CharField(
        max_length=40,
        blank=True,
        help_text="The police system's own id for this person, if it has one: keeps a resent "
        "incident from adding the same child twice.",
    )
    known_school = models.ForeignKey(
        "schools.School",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A hint for matching, never the answer.",
    )
    match_status = models.CharField(max_length=20, choices=MatchStatus.choices, default=MatchStatus.PENDING)
    pupil = models.ForeignKey(
        "schools.Pupil", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    school = models.ForeignKey(
        "schools.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The entry of a local authority's home education / missing education register the child
    # matched (then `school` is that authority's team and `pupil` may be empty).
    registered_child = models.ForeignKey(
        "schools.RegisteredChild", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    match_score = models.FloatField(null=True, blank=True)
    match_detail = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name_plural = "children"
        constraints = [
            # Matched to a school's pupil, to a register entry (the authority's team), or an
            # under-five told to the early years team: always a recipient.
            models.CheckConstraint(
                name="matched_children_have_a_recipient",
                condition=~Q(match_status="matched") | Q(school__isnull=False),
            )
        ]

    def __str__(self):
        return f"child {self.pk} of {self.incident_id}"


class PassOnMethod(models.TextChoices):
    SECURE_EMAIL = "secure_email", "Secure e-mail"
    PHONE = "phone", "Telephone"
    PORTAL = "portal", "The other area's referral portal"
    LETTER = "letter", "Letter"


class MatchDecisionQuerySet(models.QuerySet):
    def unrouted(self):
        """Current decisions sending a child to its area's coordinator when no partnership
        could take it (no area found, and its force names none for such children)."""
        return self.filter(is_current=True, routed_to__isnull=True, outcome__in=AREA_ROUTED)


class MatchDecision(models.Model):
    """One decision about one child, by the matcher (decided_by empty) or by a police reviewer:
    its outcome, score and reason, and the candidates considered (pupil ids, scores and the
    level each field agreed at: no names). The child's current decision is the one the
    coordinator's routing queue shows until someone marks it handled."""

    child = models.ForeignKey(IncidentChild, on_delete=models.CASCADE, related_name="match_decisions")
    decided_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(max_length=20, choices=MatchStatus.choices)
    score = models.FloatField(null=True, blank=True)
    reason = models.TextField(help_text="Why: the matcher's explanation, or the reviewer's own words.")
    candidates = models.JSONField(default=list, blank=True)
    pupil = models.ForeignKey(
        "schools.Pupil", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    school = models.ForeignKey(
        "schools.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    registered_child = models.ForeignKey(
        "schools.RegisteredChild", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    routed_to = models.ForeignKey(
        "schools.Partnership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    route_reason = models.CharField(max_length=200, blank=True)
    is_current = models.BooleanField(default=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handled_note = models.TextField(blank=True)
    # A coordinator's "pass on" of an out-of-area child: to whom and how (shown to the police).
    passed_to = models.CharField(max_length=200, blank=True, db_default="")
    passed_how = models.CharField(max_length=20, choices=PassOnMethod.choices, blank=True, db_default="")

    objects = MatchDecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=Q(is_current=True), name="one_current_decision_per_child"
            ),
            models.CheckConstraint(
                name="handled_decisions_were_routed",
                condition=Q(handled_at__isnull=True) | Q(routed_to__isnull=False),
            ),
            models.CheckConstraint(
                name="passed_on_says_to_whom_and_how",
                condition=Q(passed_to="", passed_how="")
                | (~Q(passed_to="") & ~Q(passed_how="") & Q(handled_at__isnull=False)),
            ),
        ]
        indexes = [
            models.Index(
                fields=["routed_to", "decided_at"], condition=Q(is_current=True), name="current_routed"
            )
        ]

    def __str__(self):
        return f"{self.outcome} for child {self.child_id}"


class LabelSource(models.TextChoices):
    REVIEWER_CONFIRMED = "reviewer_confirmed", "A police reviewer confirmed the match"
    REVIEWER_REJECTED = "reviewer_rejected", "A police reviewer rejected the candidate"
    SCHOOL_RETURNED = "school_returned", "The school said the child is not its pupil"


class MatchLabel(models.Model):
    """A person's word on one pair of child and pupil: the same child or not. Recorded when a
    police reviewer confirms or rejects, and when a school says "not our pupil"; with the level
    each field agreed at (no names), so that m can be estimated from people's decisions."""

    child = models.ForeignKey(IncidentChild, on_delete=models.CASCADE, related_name="match_labels")
    pupil = models.ForeignKey(
        "schools.Pupil", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    same_child = models.BooleanField()
    levels = models.JSONField(help_text="field -> level the pair agreed at, as the matcher saw it")
    source = models.CharField(max_length=20, choices=LabelSource.choices)
    decision = models.ForeignKey(MatchDecision, on_delete=models.CASCADE, related_name="labels")
    labelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    labelled_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-labelled_at", "-id"]

    def __str__(self):
        return f"{'same child' if self.same_child else 'another child'} ({self.get_source_display()})"


class WeightsStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    LIVE = "live", "Live"
    REFUSED = "refused", "Refused by the development evaluation"
    RETIRED = "retired", "Retired"


class MatchWeightsVersion(models.Model):
    """One estimate of m from people's decisions (estimate_match_weights). It goes live only
    when the development evaluation, run with it, shows no wrong automatic match."""

    version = models.PositiveIntegerField(unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=WeightsStatus.choices, default=WeightsStatus.PROPOSED)
    m = models.JSONField(help_text="field -> level -> m")
    decisions = models.JSONField(help_text="field -> level -> confirmed pairs showing it")
    same_child_labels = models.PositiveIntegerField()
    other_child_labels = models.PositiveIntegerField()
    evaluation = models.JSONField(default=dict, blank=True, help_text="set -> figures")
    evaluated_at = models.DateTimeField(null=True, blank=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["status"], condition=Q(status="live"), name="one_live_weights_version"
            )
        ]

    def __str__(self):
        return f"weights version {self.version} ({self.get_status_display()})"


class ApiClient(models.Model):
    """A police system that files incidents through the REST API for one force. Only a hash
    of its token is stored; the token itself is shown once, when the client is created."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="api_clients")
    name = models.CharField(max_length=60)
    token_hash = models.CharField(max_length=64, unique=True)
    token_prefix = models.CharField(max_length=8, help_text="The first characters, to recognise it.")
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "API client"
        constraints = [
            models.UniqueConstraint(fields=["force", "name"], name="one_api_client_name_per_force")
        ]

    def __str__(self):
        return f"{self.name} ({self.force})"

    # DRF's IsAuthenticated asks the authenticated principal this.
    is_authenticated = True

    @property
    def is_active(self):
        return self.revoked_at is None
