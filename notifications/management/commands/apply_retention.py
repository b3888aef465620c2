from django.core.management.base import BaseCommand

from notifications.retention import retention_apply, retention_due

LABELS = {
    "incident_details": "incidents whose details are erased",
    "unnotified_children": "children never notified whose details are erased",
    "school_copies_for_review": "school copies flagged for review (child aged 25 or more)",
}


class Command(BaseCommand):
    help = "Report what retention makes due and, without --dry-run, erase or flag it."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="report only; change nothing")

    def handle(self, *args, dry_run, **options):
        counts = retention_due().counts() if dry_run else retention_apply()
        verb = "Due" if dry_run else "Done"
        for key, label in LABELS.items():
            self.stdout.write(f"{verb}: {counts[key]} {label}")
