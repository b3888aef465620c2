"""SMTP e-mail. One connection per worker process, reused across sends (a burst of thousands
of alerts would otherwise open a connection each) and reopened after any failure."""

import smtplib
from urllib.parse import urlparse

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import render_to_string

from notifications.transports.base import Alert, Transport, TransportError

SUBJECTS = {
    "alert": "Encompass: a new notification for {school}",
    "update": "Encompass: a notification for {school} was updated",
    "reminder": "Encompass: reminder, a notification for {school} is waiting",
    "escalation": "Encompass: a notification for {school} has not been acknowledged",
}

_connection = None


def _open_connection():
    global _connection
    if _connection is None:
        _connection = get_connection(fail_silently=False)
        _connection.open()
    return _connection


def _close_connection() -> None:
    global _connection
    if _connection is not None:
        try:
            _connection.close()
        except Exception:  # noqa: BLE001, S110 (closing a broken connection may fail too)
            pass
    _connection = None


@receiver(setting_changed)
def _email_settings_changed(setting, **kwargs):
    if setting.startswith("EMAIL_"):
        _close_connection()


def message_id(alert: Alert) -> str:
    """The same for every try of one attempt, so a receiving system can drop a repeat."""
    domain = urlparse(settings.SITE_URL).hostname or "encompass"
    return f"<attempt-{alert.attempt_id}.notification-{alert.notification_id}@{domain}>"


def email_message(alert: Alert) -> EmailMultiAlternatives:
    context = {"alert": alert}
    message = EmailMultiAlternatives(
        subject=SUBJECTS[alert.purpose].format(school=alert.school_name),
        body=render_to_string("notifications/email/alert.txt", context),
        to=[alert.address],
        headers={"Message-ID": message_id(alert), "Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(render_to_string("notifications/email/alert.html", context), "text/html")
    return message


class EmailTransport(Transport):
    def notify(self, alert: Alert) -> None:
        message = email_message(alert)
        try:
            _open_connection().send_messages([message])
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            raise TransportError(f"recipient refused ({codes})", permanent=all(c >= 500 for c in codes))
        except smtplib.SMTPResponseException as exc:
            if exc.smtp_code in (421,) or exc.smtp_code < 400:
                _close_connection()
            raise TransportError(f"SMTP {exc.smtp_code}", permanent=exc.smtp_code >= 500)
        except (TimeoutError, smtplib.SMTPException, OSError) as exc:
            _close_connection()
            raise TransportError(type(exc).__name__, permanent=False)
