"""One notification and its support log as a PDF or CSV, for the school's own child-protection
file. The content is what the school may see (selectors.notification_shared_fields); the file
name carries the notification id only."""

import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from encompass.csv_files import csv_writer
from notifications.models import Notification
from notifications.selectors import notification_shared_fields, support_log

FORMATS = {"pdf": "application/pdf", "csv": "text/csv; charset=utf-8"}


@dataclass
class ExportFile:
    content: bytes
    content_type: str
    filename: str


def _when(moment) -> str:
    return date_format(localtime(moment), "j F Y, H:i") if moment else ""


def _record(notification: Notification, user) -> list[tuple[str, str]]:
    rows = [
        ("Notification", str(notification.pk)),
        ("School", f"{notification.school.name} (URN {notification.school.urn})"),
        ("Status", notification.get_status_display()),
        ("Delivered", _when(notification.delivered_at) or "Not yet delivered"),
        ("Due by", _when(notification.due_at)),
    ]
    if notification.acknowledged_at:
        who = notification.acknowledged_by.full_name if notification.acknowledged_by else ""
        rows.append(("Acknowledged", f"{_when(notification.acknowledged_at)} by {who}".strip()))
    if notification.content_updated_at:
        rows.append(("Updated by the police", _when(notification.content_updated_at)))
    if notification.withdrawn_at:
        rows.append(("Withdrawn by the police", _when(notification.withdrawn_at)))
    rows += notification_shared_fields(notification)
    rows.append(("Exported", f"{_when(timezone.now())} by {user.full_name}"))
    return rows


def _support_rows(notification: Notification) -> list[list[str]]:
    rows = []
    for entry in support_log(notification):
        for action in [entry.action, *entry.history]:
            rows.append(
                [
                    date_format(action.given_on, "j F Y"),
                    action.get_kind_display(),
                    action.note,
                    action.created_by.full_name,
                    _when(action.created_at),
                    "Replaced by a correction" if action is not entry.action else "Current",
                ]
            )
    return rows


SUPPORT_HEADER = ["Date given", "Type of support", "Note", "Recorded by", "Recorded at", "Entry"]


def _csv(notification: Notification, user) -> bytes:
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(["Field", "Value"])
    writer.writerows(_record(notification, user))
    writer.writerow([])
    writer.writerow(SUPPORT_HEADER)
    writer.writerows(_support_rows(notification))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _pdf(notification: Notification, user) -> bytes:
    styles = getSampleStyleSheet()
    body, small = styles["BodyText"], styles["BodyText"].clone("small", fontSize=8, leading=10)

    def para(text: str, style=body) -> Paragraph:
        return Paragraph(escape(text).replace("\n", "<br/>"), style)

    grid = TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f3f2f1")),
        ]
    )
    record = Table(
        [[para(label), para(value)] for label, value in _record(notification, user)],
        colWidths=[55 * mm, 115 * mm],
        style=grid,
    )
    story = [
        Paragraph("Operation Encompass notification", styles["Title"]),
        para("Confidential: child protection record. Keep with the child's safeguarding file."),
        Spacer(1, 6 * mm),
        record,
        Spacer(1, 8 * mm),
        Paragraph("Support given", styles["Heading2"]),
    ]
    support = _support_rows(notification)
    if support:
        header_style = TableStyle(
            [*grid.getCommands()[:2], ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f2f1"))]
        )
        story.append(
            Table(
                [[para(h, small) for h in SUPPORT_HEADER]]
                + [[para(c, small) for c in row] for row in support],
                colWidths=[22 * mm, 30 * mm, 55 * mm, 25 * mm, 22 * mm, 20 * mm],
                style=header_style,
                repeatRows=1,
            )
        )
    else:
        story.append(para("No support logged."))
    out = io.BytesIO()
    SimpleDocTemplate(
        out,
        pagesize=A4,
        title=f"Notification {notification.pk}",
        author=notification.school.name,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
    ).build(story)
    return out.getvalue()


def export_render(*, notification: Notification, user, fmt: str) -> ExportFile:
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    content = _pdf(notification, user) if fmt == "pdf" else _csv(notification, user)
    return ExportFile(content, FORMATS[fmt], f"encompass-notification-{notification.pk}.{fmt}")
