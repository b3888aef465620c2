from django.core.management.base import BaseCommand

from schools.imports.terms import term_dates_import
from schools.management.commands._report import print_report


class Command(BaseCommand):
    help = (
        "Import term dates, holidays and INSET days from CSV (la_code, school_urn, kind, starts_on, "
        "ends_on, description) or iCalendar (give --la or --school)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--la", default="", help="For an iCalendar file: the LA code it is for.")
        parser.add_argument(
            "--school", type=int, help="For an iCalendar file: the URN of the school it is for."
        )
        parser.add_argument(
            "--skip-invalid", action="store_true", help="Import the good rows, report the bad."
        )
        parser.add_argument("--dry-run", action="store_true", help="Validate only; save nothing.")

    def handle(self, *args, **options):
        report = term_dates_import(
            source=options["file"],
            la_code=options["la"],
            school_urn=options["school"],
            skip_invalid=options["skip_invalid"],
            dry_run=options["dry_run"],
        )
        print_report(self, report)
