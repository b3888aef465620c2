from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class NotificationStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be delivered"
    DELIVERED = "delivered", "Delivered"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    WITHDRAWN = "withdrawn", "Withdrawn"
    REJECTED = "rejected", "Not our pupil"


# The school holds a live copy: it can be read, updated, acknowledged, supported.
LIVE = (NotificationStatus.PENDING, NotificationStatus.DELIVERED, NotificationStatus.ACKNOWLEDGED)
# Nobody has acknowledged it yet: reminders and escalation may follow.
UNACKNOWLEDGED = (NotificationStatus.PENDING, NotificationStatus.DELIVERED)
# The school no longer sees it.
GONE = (NotificationStatus.WITHDRAWN, NotificationStatus.REJECTED)


class NotificationKind(models.TextChoices):
    INCIDENT = "incident", "Incident"
    TRANSFER = "transfer", "Transfer: the child's earlier notifications, from another school"


class Notification(models.Model):
    """One per child and school: what the school's Key Adults are told. Created in the same
    transaction as the match decision (the outbox); delivered by Celery after commit."""

    child = models.ForeignKey(
        "incidents.IncidentChild", on_delete=models.PROTECT, related_name="notifications"
    )
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="notifications")
    status = models.CharField(
        max_length=15, choices=NotificationStatus.choices, default=NotificationStatus.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(help_text="Start of the next school day at the school.")
    content_updated_at = models.DateTimeField(null=True, blank=True)
    update_count = models.PositiveIntegerField(
        default=0, help_text="How many times the police amended what the school sees."
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    escalation_step = models.PositiveSmallIntegerField(default=0)
    next_action_at = models.DateTimeField(null=True, blank=True)
    # A transfer tells a child's new school the history (notifications.transfers): its child is
    # the latest incident's, and the page shows the earlier notifications at other schools.
    kind = models.CharField(
        max_length=10,
        choices=NotificationKind.choices,
        default=NotificationKind.INCIDENT,
        db_default=NotificationKind.INCIDENT,
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["child", "school"], name="one_notification_per_child_and_school"),
            models.CheckConstraint(
                name="acknowledged_notifications_say_when",
                condition=~Q(status="acknowledged") | Q(acknowledged_at__isnull=False),
            ),
        ]
        indexes = [
            models.Index(fields=["school", "status"]),
            models.Index(
                fields=["next_action_at"],
                condition=Q(next_action_at__isnull=False),
                name="notification_next_action",
            ),
        ]

    def __str__(self):
        return f"notification {self.pk}"

    @property
    def is_updated(self):
        return self.content_updated_at is not None

    @property
    def is_withdrawn(self):
        return self.status == NotificationStatus.WITHDRAWN


class Purpose(models.TextChoices):
    ALERT = "alert", "New notification"
    UPDATE = "update", "Notification updated"
    REMINDER = "reminder", "Reminder"
    ESCALATION = "escalation", "Escalation"


class AttemptStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to be sent"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    RETRYING = "retrying", "Failed for now, will retry"
    FAILED = "failed", "Failed permanently"
    SKIPPED = "skipped", "Not needed any more"


class Receipt(models.TextChoices):
    """GOV.UK Notify's status for a message it accepted (its delivery receipt)."""

    NONE = "", "No receipt yet"
    CREATED = "created", "Accepted by Notify"
    SENDING = "sending", "Sent to the provider"
    PENDING = "pending", "Waiting for the provider"
    SENT = "sent", "Sent (no further receipt)"
    DELIVERED = "delivered", "Delivered"
    PERMANENT_FAILURE = "permanent-failure", "Not delivered: address or number does not exist"
    TEMPORARY_FAILURE = "temporary-failure", "Not delivered: inbox full or phone off"
    TECHNICAL_FAILURE = "technical-failure", "Not delivered: a problem at Notify"


FINAL_RECEIPTS = (
    Receipt.SENT,
    Receipt.DELIVERED,
    Receipt.PERMANENT_FAILURE,
    Receipt.TEMPORARY_FAILURE,
    Receipt.TECHNICAL_FAILURE,
)


class WebhookEndpoint(models.Model):
    """A school's safeguarding system (CPOMS, MyConcern...) that wants a signed webhook for each
    alert. The payload carries a notification id and a link, never the child's details."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="webhook_endpoints")
    url = models.URLField(max_length=500)
    secret = models.CharField(max_length=200, help_text="Shared secret for the HMAC-SHA256 signature.")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "url"], name="one_webhook_per_school_and_url")
        ]

    def __str__(self):
        return f"webhook {self.pk} for school {self.school_id}"


class DeliveryAttempt(models.Model):
    """One send of one alert to one target for one purpose. The target is a user (e-mail), a
    school's webhook endpoint, or a partnership's holiday-cover address. Written 'queued' in
    the transaction that decides the send (the outbox), then 'sending' before the transport is
    called, so a task that runs twice, or a redelivered message, finds it and sends nothing."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="attempts")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="delivery_attempts",
    )
    endpoint = models.ForeignKey(
        WebhookEndpoint, null=True, blank=True, on_delete=models.PROTECT, related_name="attempts"
    )
    address = models.EmailField(
        blank=True, help_text="Holiday-cover address (a partnership's, not a person's)."
    )
    purpose = models.CharField(max_length=12, choices=Purpose.choices)
    # Which amendment an "update" alert is for (0 for every other purpose): each amendment
    # alerts once, and a repeated task for the same amendment still sends once.
    round = models.PositiveIntegerField(default=0)
    channel = models.CharField(max_length=20, default="email")
    status = models.CharField(max_length=10, choices=AttemptStatus.choices, default=AttemptStatus.QUEUED)
    tries = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    # GOV.UK Notify: its id for the message, and the delivery receipt (callback or polled).
    provider_id = models.CharField(max_length=36, blank=True)
    receipt = models.CharField(max_length=20, choices=Receipt.choices, blank=True)
    receipt_at = models.DateTimeField(null=True, blank=True)
    receipt_checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="attempt_has_exactly_one_target",
                condition=(
                    Q(recipient__isnull=False, endpoint__isnull=True, address="")
                    | Q(recipient__isnull=True, endpoint__isnull=False, address="")
                    | (Q(recipient__isnull=True, endpoint__isnull=True) & ~Q(address=""))
                ),
            ),
            models.UniqueConstraint(
                fields=["notification", "recipient", "purpose", "round", "channel"],
                condition=Q(recipient__isnull=False),
                name="one_attempt_per_notification_recipient_purpose",
            ),
            models.UniqueConstraint(
                fields=["notification", "endpoint", "purpose", "round"],
                condition=Q(endpoint__isnull=False),
                name="one_attempt_per_notification_endpoint_purpose",
            ),
            models.UniqueConstraint(
                fields=["notification", "address", "purpose", "round"],
                condition=~Q(address=""),
                name="one_attempt_per_notification_address_purpose",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "started_at"]),
            models.Index(
                fields=["finished_at"],
                condition=~Q(provider_id="") & Q(receipt__in=["", "created", "sending", "pending"]),
                name="attempt_awaiting_receipt",
            ),
        ]

    def __str__(self):
        return f"attempt {self.pk} ({self.purpose}, {self.status})"


class SupportType(models.TextChoices):
    WELFARE_CHECK_IN = "welfare_check_in", "Welfare check-in"
    TRUSTED_ADULT = "trusted_adult", "Trusted adult assigned"
    PASTORAL = "pastoral", "Pastoral support"
    ATTENDANCE = "attendance", "Attendance follow-up"
    EARLY_HELP = "early_help", "Referral to early help"
    SOCIAL_CARE = "social_care", "Referral to children's social care"
    COUNSELLING = "counselling", "Counselling or mental health support"
    LIAISON = "liaison", "Liaison with another school"
    MONITORING = "monitoring", "Monitoring only"
    OTHER = "other", "Other"


class SupportAction(models.Model):
    """Support given to the child, logged by the school. A correction is a new entry that
    points at the one it corrects; the original is kept."""

    notification = models.ForeignKey(Notification, on_delete=models.PROTECT, related_name="support_actions")
    given_on = models.DateField()
    kind = models.CharField(max_length=20, choices=SupportType.choices)
    note = models.TextField(max_length=2000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    corrects = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrected_by"
    )

    class Meta:
        ordering = ["given_on", "created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.given_on}"


COUNTED = ~Q(status=NotificationStatus.WITHDRAWN)  # what the statistics count


class NotificationStatistic(models.Model):
    """The facts the partnership statistics count, one row per notification, copied from the
    notification, its child, incident, school and support log so that a partnership's
    five-year overview reads one narrow table through covering indexes (index-only scans,
    no join). Kept in step by the signals in notifications/statistics/maintenance.py;
    `manage.py statistics_rebuild` rebuilds it. Ids, times and counts only: no personal data."""

    notification = models.OneToOneField(
        Notification, primary_key=True, on_delete=models.CASCADE, related_name="statistic"
    )
    partnership_id = models.BigIntegerField(null=True)
    local_authority_id = models.BigIntegerField()
    school_id = models.BigIntegerField()
    phase = models.CharField(max_length=60, blank=True)
    incident_id = models.BigIntegerField()
    pupil_id = models.BigIntegerField(null=True)
    occurred_on = models.DateField(help_text="Date of the incident, Europe/London.")
    status = models.CharField(max_length=15, choices=NotificationStatus.choices)
    delivery_seconds = models.IntegerField(null=True, help_text="From the incident to delivery.")
    acknowledgement_seconds = models.IntegerField(null=True, help_text="From delivery to acknowledgement.")
    acknowledged_in_time = models.BooleanField(default=False, help_text="Acknowledged by the due time.")
    escalated = models.BooleanField(default=False)
    # Support actions logged, by kind (a corrected entry counts once, as corrected). One
    # column per SupportType: a test fails when a kind has no column.
    support_welfare_check_in = models.PositiveIntegerField(default=0)
    support_trusted_adult = models.PositiveIntegerField(default=0)
    support_pastoral = models.PositiveIntegerField(default=0)
    support_attendance = models.PositiveIntegerField(default=0)
    support_early_help = models.PositiveIntegerField(default=0)
    support_social_care = models.PositiveIntegerField(default=0)
    support_counselling = models.PositiveIntegerField(default=0)
    support_liaison = models.PositiveIntegerField(default=0)
    support_monitoring = models.PositiveIntegerField(default=0)
    support_other = models.PositiveIntegerField(default=0)

    SUPPORT_FIELDS = {kind: f"support_{kind}" for kind in SupportType.values}
    SCOPE_FIELDS = ["local_authority_id", "school_id", "phase"]

    class Meta:
        indexes = [
            # The day-by-day counts: incidents sorted within each day, every counted
            # column included, so PostgreSQL answers from the index alone.
            models.Index(
                fields=["partnership_id", "occurred_on", "incident_id"],
                include=[
                    "local_authority_id",
                    "school_id",
                    "phase",
                    "delivery_seconds",
                    "acknowledgement_seconds",
                    "acknowledged_in_time",
                    "escalated",
                    "support_welfare_check_in",
                    "support_trusted_adult",
                    "support_pastoral",
                    "support_attendance",
                    "support_early_help",
                    "support_social_care",
                    "support_counselling",
                    "support_liaison",
                    "support_monitoring",
                    "support_other",
                ],
                condition=COUNTED,
                name="statistic_partnership_days",
            ),
            # Children notified once or more: the pupils in order, no hash of 100,000 rows.
            models.Index(
                fields=["partnership_id", "pupil_id"],
                include=["occurred_on", "local_authority_id", "school_id", "phase"],
                condition=COUNTED,
                name="statistic_partnership_pupils",
            ),
            models.Index(fields=["school_id", "occurred_on"], name="statistic_school_day"),
        ]

    def __str__(self):
        return f"statistic of notification {self.notification_id}"


class ChildStatistic(models.Model):
    """What matching decided for one child of a submitted incident, dated by the incident and
    placed at its routing school (the matched school, or the school that is not participating
    or out of area) or, when it has none, the school police named. Children with neither are
    in the coordinator's queue, not here. Kept in step like NotificationStatistic."""

    child = models.OneToOneField(
        "incidents.IncidentChild", primary_key=True, on_delete=models.CASCADE, related_name="statistic"
    )
    partnership_id = models.BigIntegerField(null=True)
    local_authority_id = models.BigIntegerField()
    school_id = models.BigIntegerField()
    phase = models.CharField(max_length=60, blank=True)
    occurred_on = models.DateField(help_text="Date of the incident, Europe/London.")
    outcome = models.CharField(
        max_length=20,
        help_text="The match status, with 'matched' split into matched_auto and matched_review.",
    )

    class Meta:
        indexes = [
            models.Index(
                fields=["partnership_id", "occurred_on"],
                include=["outcome", "local_authority_id", "school_id", "phase"],
                name="child_statistic_partnership",
            ),
            models.Index(fields=["school_id", "occurred_on"], name="child_statistic_school_day"),
        ]

    def __str__(self):
        return f"statistic of child {self.child_id}"


class TransferStatus(models.TextChoices):
    NOTIFIED = "notified", "The new school was told"
    ROUTED = "routed", "The new school is not on Encompass: to the coordinator"


class Transfer(models.Model):
    """A notified pupil newly enrolled at another school (from the census): the new school's
    Key Adults get the history as a transfer notification, or, when that school does not take
    part, the coordinator passes it on. One per enrolment, so a census imported again never
    makes a second."""

    enrolment = models.OneToOneField("schools.Enrolment", on_delete=models.PROTECT, related_name="+")
    pupil = models.ForeignKey("schools.Pupil", on_delete=models.PROTECT, related_name="+")
    from_school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    to_school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=TransferStatus.choices)
    notification = models.ForeignKey(
        Notification, null=True, blank=True, on_delete=models.PROTECT, related_name="transfers"
    )
    history = models.JSONField(default=list, help_text="Ids of the earlier notifications it carries.")
    routed_to = models.ForeignKey(
        "schools.Partnership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handled_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                name="transfer_notified_or_routed",
                condition=Q(status="notified", notification__isnull=False)
                | Q(status="routed", notification__isnull=True),
            )
        ]

    def __str__(self):
        return f"transfer {self.pk}"
