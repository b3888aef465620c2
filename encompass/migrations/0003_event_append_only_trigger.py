"""On PostgreSQL the database itself refuses to change or delete an event row, so the record
of access holds even against code (or a person with a SQL prompt) that bypasses the ORM."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION encompass_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'encompass_event is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER encompass_event_append_only
    BEFORE UPDATE OR DELETE ON encompass_event
    FOR EACH ROW EXECUTE FUNCTION encompass_event_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS encompass_event_append_only ON encompass_event;
DROP FUNCTION IF EXISTS encompass_event_append_only();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("encompass", "0002_initial")]
    operations = [migrations.RunPython(create, drop)]
