from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Role(models.TextChoices):
    OFFICER = "officer", "Police officer"
    REVIEWER = "reviewer", "Police reviewer"
    KEY_ADULT = "key_adult", "Key Adult"
    COORDINATOR = "coordinator", "Partnership coordinator"
    ANALYST = "analyst", "Partnership analyst"
    ADMIN = "admin", "System administrator"


POLICE_ROLES = (Role.OFFICER, Role.REVIEWER)
PARTNERSHIP_ROLES = (Role.COORDINATOR, Role.ANALYST)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True, role=Role.ADMIN)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Their role says what they may see; their force, partnership or
    Key Adult memberships say whose records."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150)
    role = models.CharField(max_length=20, choices=Role.choices)
    force = models.ForeignKey(
        "incidents.Force", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    partnership = models.ForeignKey(
        "schools.Partnership",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name", "role"]

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="police_users_have_a_force",
                condition=~Q(role__in=POLICE_ROLES) | Q(force__isnull=False),
            ),
            models.CheckConstraint(
                name="partnership_users_have_a_partnership",
                condition=~Q(role__in=PARTNERSHIP_ROLES) | Q(partnership__isnull=False),
            ),
        ]

    def __str__(self):
        return self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_police(self):
        return self.role in POLICE_ROLES

    @property
    def is_key_adult(self):
        return self.role == Role.KEY_ADULT

    @property
    def is_partnership(self):
        return self.role in PARTNERSHIP_ROLES


class EventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Events are append-only.")

    def delete(self):
        raise TypeError("Events are append-only.")


class Event(models.Model):
    """An append-only record of something that happened: who, when, what, to which object,
    and why. It is also the access log: every view, export and disclosure writes one.
    Data holds ids and codes only, never a child's details."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    verb = models.CharField(max_length=60, db_index=True)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64)
    purpose = models.CharField(max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.verb} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Events are append-only.")


class Heartbeat(models.Model):
    """Last time a worker or beat process proved it was alive (operations page)."""

    name = models.CharField(max_length=100, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self):
        return f"{self.name} {self.seen_at:%H:%M:%S}"
