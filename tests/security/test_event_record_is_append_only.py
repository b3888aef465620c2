import pytest
from django.db import DatabaseError, connection, transaction

from encompass.events import event_record
from encompass.models import Event
from tests.services import need_postgres


def test_the_application_cannot_change_or_delete_an_event(world):
    event = event_record(verb="notification.viewed", obj=world.school_a, actor=world.key_adult_a)
    event.purpose = "rewritten"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        Event.objects.filter(pk=event.pk).update(purpose="rewritten")
    with pytest.raises(TypeError):
        Event.objects.filter(pk=event.pk).delete()
    assert Event.objects.get(pk=event.pk).purpose == ""


def test_postgresql_refuses_to_change_or_delete_an_event_even_in_raw_sql(world):
    need_postgres()
    event = event_record(verb="notification.viewed", obj=world.school_a, actor=world.key_adult_a)
    for sql in (
        "UPDATE encompass_event SET purpose = 'rewritten' WHERE id = %s",
        "DELETE FROM encompass_event WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, [event.pk])
    assert Event.objects.get(pk=event.pk).purpose == ""
