from django.core.management.base import BaseCommand

from schools.imports.register import la_register_import
from schools.management.commands._report import print_report


class Command(BaseCommand):
    help = (
        "Import a local authority's register of children educated at home or missing education"
        " (UTF-8 CSV): validate every row, then upsert by child_id; a bad row changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--la", required=True, help="The local authority's three-digit code.")
        parser.add_argument("--dry-run", action="store_true", help="Validate only; save nothing.")

    def handle(self, *args, **options):
        report = la_register_import(source=options["file"], la_code=options["la"], dry_run=options["dry_run"])
        print_report(self, report)
