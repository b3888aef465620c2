"""python manage.py create_api_client --force "Essex Police" --name athena

Creates a REST API client for a force and prints its token once: only a hash is stored, so
a lost token is replaced by revoking the client and creating another."""

from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError

from incidents.selectors import force_find
from incidents.services import api_client_create


class Command(BaseCommand):
    help = "Create a REST API client for a police force and print its token (shown once)."

    def add_arguments(self, parser):
        parser.add_argument("--force", required=True, help="The force's name or code.")
        parser.add_argument("--name", required=True, help="A name for the calling system, e.g. athena.")

    def handle(self, *args, force: str, name: str, **options):
        force_obj = force_find(force)
        if force_obj is None:
            raise CommandError(f"No force is called {force!r}.")
        try:
            client, token = api_client_create(force=force_obj, name=name)
        except IntegrityError:
            raise CommandError(f"{force_obj.name} already has an API client called {name!r}.")
        self.stdout.write(
            f"API client {client.name} for {force_obj.name} created. Its token (shown only once):"
        )
        self.stdout.write(token)
        self.stdout.write("Send it as the header   Authorization: Bearer <token>")
