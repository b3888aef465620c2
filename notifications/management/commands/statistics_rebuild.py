import time

from django.core.management.base import BaseCommand

from notifications.statistics.maintenance import notification_statistics_rebuild


class Command(BaseCommand):
    help = "Rebuild the partnership statistics table (one row per notification) from scratch."

    def handle(self, *args, **options):
        started = time.monotonic()
        count = notification_statistics_rebuild()
        self.stdout.write(f"Statistics rebuilt: {count} notifications in {time.monotonic() - started:.1f} s.")
