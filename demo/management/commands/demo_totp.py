from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from demo import data as demo


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo account. Refuses to run unless DEBUG is on."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        try:
            demo.assert_development()
        except RuntimeError as exc:
            raise CommandError(str(exc))
        device = TOTPDevice.objects.filter(user__email=email.lower(), name="default", confirmed=True).first()
        if device is None:
            raise CommandError(f"No authenticator is set up for {email}.")
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
        self.stdout.write(f"{code:0{device.digits}d}")
