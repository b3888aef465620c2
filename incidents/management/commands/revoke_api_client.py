"""python manage.py revoke_api_client --force "Essex Police" --name athena"""

from django.core.management.base import BaseCommand, CommandError

from incidents.models import ApiClient
from incidents.services import api_client_revoke


class Command(BaseCommand):
    help = "Revoke a REST API client: its token stops working at once."

    def add_arguments(self, parser):
        parser.add_argument("--force", required=True, help="The force's name or code.")
        parser.add_argument("--name", required=True)

    def handle(self, *args, force: str, name: str, **options):
        client = (
            ApiClient.objects.filter(name=name, force__name__iexact=force).first()
            or ApiClient.objects.filter(name=name, force__code__iexact=force).first()
        )
        if client is None:
            raise CommandError(f"No API client {name!r} for {force!r}.")
        api_client_revoke(client=client)
        self.stdout.write(f"API client {client.name} of {client.force.name} revoked.")
