import csv
import io

from django.urls import reverse
from django.utils import timezone

from encompass.models import Event
from tests.conftest import signed_in
from tests.dashboard.helpers import current_code


def export(client, notification, **data):
    return client.post(reverse("notifications:export", args=[notification.pk]), data)


def test_export_asks_for_a_fresh_code(client, world, notification):
    signed_in(client, world.key_adult_a)
    response = export(client, notification, fmt="pdf", otp_token="000000")
    assert response.status_code == 400
    assert "The code is wrong or has been used already" in response.content.decode()
    assert not Event.objects.filter(verb="notification.exported").exists()


def test_a_code_works_once(client, world, notification):
    signed_in(client, world.key_adult_a)
    code = current_code(world.key_adult_a)
    assert export(client, notification, fmt="csv", otp_token=code).status_code == 200
    assert export(client, notification, fmt="csv", otp_token=code).status_code == 400


def test_the_pdf_is_recorded_and_named_by_id_only(client, world, notification):
    signed_in(client, world.key_adult_a)
    response = export(client, notification, fmt="pdf", otp_token=current_code(world.key_adult_a))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="encompass-notification-{notification.pk}.pdf"'
    )
    assert "no-store" in response["Cache-Control"]
    event = Event.objects.get(verb="notification.exported")
    assert event.actor == world.key_adult_a and event.data == {"format": "pdf"}


def test_the_csv_holds_the_shared_fields_and_the_support_log(client, world, notification):
    notification.support_actions.create(
        given_on=timezone.localdate(), kind="pastoral", note='=HYPERLINK("x")', created_by=world.key_adult_a
    )
    signed_in(client, world.key_adult_a)
    response = export(client, notification, fmt="csv", otp_token=current_code(world.key_adult_a))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    fields = dict(row for row in rows if len(row) == 2)
    assert fields["Name"] == "Amelia Smith"
    assert fields["School"].startswith("Chalkwell Primary School")
    assert "Police reference" not in fields, "the partnership shares the minimal fields only"
    support = rows[
        rows.index(["Date given", "Type of support", "Note", "Recorded by", "Recorded at", "Entry"]) + 1
    ]
    assert support[1] == "Pastoral support"
    assert support[2] == '\'=HYPERLINK("x")', "a spreadsheet must not run a note as a formula"


def test_the_export_page_explains_itself(client, world, notification):
    page = signed_in(client, world.key_adult_a).get(reverse("notifications:export", args=[notification.pk]))
    assert "Code from your authenticator app" in page.content.decode()
