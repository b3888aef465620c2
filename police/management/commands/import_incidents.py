"""python manage.py import_incidents FILE [--force "Essex Police"]

Imports a police daily download (README, "Incidents"). Every bad row is reported by line,
field and reason and nothing is saved; a good file is saved whole. Running it again changes
nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from incidents.models import Force
from incidents.selectors import force_find
from police.imports import incidents_import


class Command(BaseCommand):
    help = "Import a police daily download: one row per child per incident."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--force", help="The force the file comes from (name or code); needed when there are several."
        )

    def handle(self, *args, file: Path, force: str | None, **options):
        force_obj = _force(force)
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        self.stdout.write(f"Reading {file} for {force_obj.name}...")
        result = incidents_import(force=force_obj, text=file.read_bytes(), progress=self._progress)
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"{len(result.errors)} problem(s) in {result.rows} row(s): nothing was saved. "
                "Correct the file and run the import again."
            )
        o = result.outcomes
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.rows} row(s), {result.incidents} incident(s): {o['created']} new, "
                f"{o['updated']} updated, {o['unchanged']} unchanged."
            )
        )

    def _progress(self, done: int, total: int) -> None:
        if done == total or done % 50 == 0:
            self.stdout.write(f"  saved {done} of {total} incidents")


def _force(name: str | None) -> Force:
    if name:
        found = force_find(name)
        if found is None:
            raise CommandError(f"No force is called {name!r}.")
        return found
    forces = list(Force.objects.all()[:2])
    if len(forces) != 1:
        raise CommandError('Say which force the file comes from: --force "<force name>".')
    return forces[0]
