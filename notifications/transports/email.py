import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import make_msgid
from django.template.loader import render_to_string

from notifications.transports.base import Alert, Transport, TransportError

SUBJECTS = {
    "alert": "Encompass: a new notification for {school}",
    "update": "Encompass: a notification for {school} was updated",
    "reminder": "Encompass: reminder, a notification for {school} is waiting",
    "escalation": "Encompass: a notification for {school} has not been acknowledged",
}


class EmailTransport(Transport):
    def notify(self, alert: Alert) -> None:
        context = {"alert": alert}
        message = EmailMultiAlternatives(
            subject=SUBJECTS[alert.purpose].format(school=alert.school_name),
            body=render_to_string("notifications/email/alert.txt", context),
            to=[alert.address],
            headers={"Message-ID": make_msgid(f"attempt-{alert.attempt_id}", domain="encompass")},
        )
        message.attach_alternative(render_to_string("notifications/email/alert.html", context), "text/html")
        try:
            message.send()
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            raise TransportError(f"recipient refused ({codes})", permanent=all(c >= 500 for c in codes))
        except smtplib.SMTPResponseException as exc:
            raise TransportError(f"SMTP {exc.smtp_code}", permanent=exc.smtp_code >= 500)
        except (TimeoutError, smtplib.SMTPException, OSError) as exc:
            raise TransportError(f"{type(exc).__name__}", permanent=False)


def sign_in_link() -> str:
    return f"{settings.SITE_URL}/"
