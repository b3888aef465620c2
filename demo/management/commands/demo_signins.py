from django.core.management.base import BaseCommand, CommandError

from demo import data as demo
from encompass.models import User
from schools.models import TEAM_KINDS


class Command(BaseCommand):
    help = "Print the demo sign-ins. Development only."

    def handle(self, *args, **options):
        try:
            demo.assert_development()
        except RuntimeError as exc:
            raise CommandError(str(exc))
        w = self.stdout.write
        w("\nEncompass is starting on http://127.0.0.1:8000/\n")
        w(f"Demo sign-ins (password for all: {demo.DEMO_PASSWORD}):")
        for user in User.objects.filter(email__endswith="@" + demo.DEMO_DOMAIN, email__regex=r"^[a-z0-9]+@"):
            w(f"  {user.get_role_display():26} {user.email}")
        for user in User.objects.filter(
            email__endswith="@" + demo.DEMO_DOMAIN, key_adult_roles__school__kind__in=TEAM_KINDS
        ):
            if user.has_usable_password():
                w(f"  {user.email} is a member of {user.key_adult_roles.first().school.name}")
        w("Second factor: .venv/bin/python manage.py demo_totp <e-mail>  (prints the current code)")
        dsl = User.objects.get(email=demo.demo_email("dsl"))
        school = dsl.key_adult_roles.first().school
        pupil = demo.demo_pupil_for(school)
        if pupil:
            w(
                f"To try the flow: sign in as the officer, add an incident with the child "
                f"{pupil.first_name} {pupil.last_name}, born {pupil.dob:%Y-%m-%d}, and submit it; "
                f"then sign in as {dsl.email} ({school.name})."
            )
        w("")
