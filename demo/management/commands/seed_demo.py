from django.core.management.base import BaseCommand, CommandError

from demo import data as demo


class Command(BaseCommand):
    help = "Load demo data (idempotent). Development only."

    def handle(self, *args, **options):
        try:
            demo.assert_development()
        except RuntimeError as exc:
            raise CommandError(str(exc))
        demo.seed(stdout=self.stdout)
