from django.db import migrations, models


def forget_text_keys(apps, schema_editor):
    # Text keys cannot become hashes in place; they are derived data, recomputed below.
    apps.get_model("schools", "PupilKey").objects.all().delete()


def store_hashed_keys(apps, schema_editor):
    from schools.imports.pupils import pupil_keys, pupil_record
    from schools.keys import key_hash

    Pupil = apps.get_model("schools", "Pupil")
    PupilKey = apps.get_model("schools", "PupilKey")
    ids = list(Pupil.objects.values_list("id", flat=True).order_by("id"))
    for start in range(0, len(ids), 2000):
        pupils = Pupil.objects.filter(id__in=ids[start : start + 2000]).prefetch_related("aliases")
        PupilKey.objects.bulk_create(
            [
                PupilKey(pupil_id=pupil.id, key=key_hash(key))
                for pupil in pupils
                for key in pupil_keys(pupil_record(pupil))
            ],
            ignore_conflicts=True,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("schools", "0002_signups_term_dates_longer_keys"),
    ]

    operations = [
        migrations.RunPython(forget_text_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="pupilkey",
            name="key",
            field=models.BigIntegerField(help_text="key_hash() of the blocking key"),
        ),
        migrations.RunPython(store_hashed_keys, migrations.RunPython.noop),
    ]
