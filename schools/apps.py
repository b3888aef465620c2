import sys

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SchoolsConfig(AppConfig):
    name = "schools"
    verbose_name = "Schools, pupils and partnerships"

    def ready(self):
        post_migrate.connect(_say_if_pupil_keys_stale, sender=self)


def _say_if_pupil_keys_stale(sender, using, apps=None, verbosity=1, stdout=None, **kwargs):
    """An upgrade that changed the blocking keys is deployed with migrate: say what it leaves to do.
    (flush sends the signal too, without the migrated apps.)"""
    from matching.keys import KEY_SET_VERSION

    Pupil = (apps or sender.apps).get_model("schools", "Pupil")  # as migrated: maybe before keys_version
    if verbosity < 1 or "keys_version" not in {field.name for field in Pupil._meta.get_fields()}:
        return
    stale = Pupil.objects.using(using).exclude(keys_version=KEY_SET_VERSION).count()
    if stale:
        (stdout or sys.stdout).write(
            f"  {stale} pupil(s) have blocking keys of an earlier key set: the matcher would miss them"
            " until `manage.py rebuild_pupil_keys` is run (or the census imported again).\n"
        )
