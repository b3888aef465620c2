"""python manage.py rebuild_pupil_keys

Recomputes the blocking keys of every pupil whose stored keys are of an earlier key set
(matching.keys.KEY_SET_VERSION), after an upgrade that changed them. The next census import does
the same; this is for when the upgrade cannot wait for one. Safe to run while children are
matched: each chunk of pupils changes in one transaction, and can be stopped and run again."""

from django.core.management.base import BaseCommand

from matching.keys import KEY_SET_VERSION
from schools.census import pupil_keys_rebuild, pupils_with_stale_keys

PROGRESS_PUPILS = 50_000


class Command(BaseCommand):
    help = "Recompute the blocking keys of pupils whose stored keys are of an earlier key set."

    def add_arguments(self, parser):
        parser.add_argument("--chunk", type=int, default=2000, help="Pupils per transaction (default 2000).")

    def handle(self, *args, **options):
        said = 0

        def progress(done: int, total: int) -> None:
            nonlocal said
            if done - said >= PROGRESS_PUPILS or done == total:
                said = done
                self.stderr.write(f"Blocking keys: {done:,} of {total:,} pupils rebuilt")

        rebuilt = pupil_keys_rebuild(chunk=max(options["chunk"], 1), progress=progress)
        left = pupils_with_stale_keys().count()
        self.stdout.write(
            f"{rebuilt} pupil(s) given the blocking keys of key set {KEY_SET_VERSION};"
            f" {left} left with older keys."
        )
