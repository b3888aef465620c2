"""An account's life after it is made: a forgotten password, a lost phone, an account nobody
uses any more. Each change is an event; none of them skips the second factor."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from encompass.events import event_record
from encompass.models import User


@transaction.atomic
def user_second_factor_reset(*, user: User, actor: User | None, ip_address: str | None = None) -> None:
    """An administrator's answer to a lost phone: the authenticator and recovery codes go, and
    the person's sessions end, so their next sign-in (password) leads to setting up a new one."""
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    removed += StaticDevice.objects.filter(user=user).delete()[0]
    _sessions_end(user)
    event_record(
        verb="user.second_factor_reset", obj=user, actor=actor, ip_address=ip_address, devices=removed
    )


def _sessions_end(user: User) -> None:
    # Sessions are signed blobs keyed by id: the user's are found by decoding the live ones.
    for session in Session.objects.filter(expire_date__gt=timezone.now()):
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()


def users_unused_since(cutoff: datetime):
    """Active accounts whose last sign-in (or creation, if never) is before `cutoff`.
    Superusers are left alone: deactivating the last of them would leave nobody to reactivate."""
    return User.objects.filter(is_active=True, is_superuser=False).filter(
        Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff)
    )


def users_deactivate_unused(*, now: datetime | None = None) -> list[int]:
    """Deactivate accounts not used for ACCOUNT_INACTIVE_DAYS; run daily by beat. An
    administrator reactivates an account in the admin (the person then resets the password)."""
    days = settings.ACCOUNT_INACTIVE_DAYS
    cutoff = (now or timezone.now()) - timedelta(days=days)
    with transaction.atomic():
        # skip_locked: two beat processes at once never deactivate (and record) one account twice.
        users = list(users_unused_since(cutoff).select_for_update(skip_locked=True))
        for user in users:
            user.is_active = False
            user.save(update_fields=["is_active"])
            event_record(verb="user.deactivated", obj=user, reason="unused", days=days)
    return [user.pk for user in users]


def user_password_reset_requested(*, user: User, ip_address: str | None) -> None:
    event_record(verb="user.password_reset_requested", obj=user, ip_address=ip_address)


def user_password_reset(*, user: User, ip_address: str | None) -> None:
    event_record(verb="user.password_reset", obj=user, actor=user, ip_address=ip_address)
