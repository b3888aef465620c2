from django.core.management.base import BaseCommand

from schools.census import weights_refresh
from schools.imports.pupils import pupils_import
from schools.management.commands._report import print_report, progress_printer


class Command(BaseCommand):
    help = (
        "Import a pupil census CSV (UTF-8): validate every row, upsert pupils by UPN, keep history;"
        " then re-estimate the matching weights."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--skip-invalid", action="store_true", help="Import the good rows, report the bad."
        )
        parser.add_argument("--dry-run", action="store_true", help="Validate only; save nothing.")
        parser.add_argument(
            "--workers", type=int, default=1, help="Processes validating rows and computing keys (default 1)."
        )

    def handle(self, *args, **options):
        report = pupils_import(
            source=options["file"],
            skip_invalid=options["skip_invalid"],
            dry_run=options["dry_run"],
            progress=progress_printer(self, "Pupils"),
            workers=options["workers"],
        )
        print_report(self, report)
        if report.applied and not report.dry_run:
            # A new census changes how common each name is: the matcher's weights follow it.
            self.stdout.write(weights_refresh())
