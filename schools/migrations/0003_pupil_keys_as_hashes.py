from django.db import migrations, models

from matching.key_hash import KEY_HASH_SQL


def hash_keys_in_place(apps, schema_editor):
    # PostgreSQL computes the same hash as matching.key_hash.key_hash: one statement, no round trips.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"ALTER TABLE schools_pupilkey ALTER COLUMN key TYPE bigint USING {KEY_HASH_SQL.format('key')}"
        )
        return
    # Elsewhere (SQLite: development and tests) keys are rehashed in Python; the column type
    # changes after, through AlterField.
    from matching.key_hash import key_hash

    PupilKey = apps.get_model("schools", "PupilKey")
    rows = list(PupilKey.objects.values_list("id", "key"))
    for pk, key in rows:
        PupilKey.objects.filter(id=pk).update(key=str(key_hash(key)))


class Migration(migrations.Migration):
    dependencies = [
        ("schools", "0002_signups_term_dates_longer_keys"),
    ]

    operations = [
        migrations.RunPython(hash_keys_in_place, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="pupilkey",
            name="key",
            field=models.BigIntegerField(help_text="key_hash() of the blocking key"),
        ),
    ]
