from django.core.management.base import BaseCommand

from schools.imports.gias import schools_import
from schools.management.commands._report import print_report, progress_printer


class Command(BaseCommand):
    help = "Import schools and local authorities from a GIAS extract (edubasealldata*.csv, Windows-1252)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--la", action="append", default=[], help="Only this LA code (repeatable).")
        parser.add_argument(
            "--skip-invalid", action="store_true", help="Import the good rows, report the bad."
        )
        parser.add_argument("--dry-run", action="store_true", help="Validate only; save nothing.")

    def handle(self, *args, **options):
        report = schools_import(
            source=options["file"],
            la_codes=options["la"],
            skip_invalid=options["skip_invalid"],
            dry_run=options["dry_run"],
            progress=progress_printer(self, "Schools"),
        )
        print_report(self, report)
