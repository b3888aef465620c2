from django.core.management.base import BaseCommand

from notifications.transfers import transfers_find


class Command(BaseCommand):
    help = (
        "Tell the new schools of notified children the census shows at another school (beat runs "
        "this every 10 minutes; run it after import_pupils to do it at once). "
        "Running it again sends nothing twice."
    )

    def handle(self, *args, **options):
        made = transfers_find()
        self.stdout.write(f"{made} transfer(s) made.")
