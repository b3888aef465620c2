"""python manage.py estimate_match_weights

Measures, once per census, how often two different pupils agree on each field (u) and how
common each first name and surname is, and stores them in var/match_weights.json (or
MATCH_WEIGHTS_FILE). Every process loads the file again when it changes; without it the
built-in defaults apply. import_pupils runs it after each import."""

from django.core.management.base import BaseCommand, CommandError

from schools.census import U_SAMPLE, weights_estimate, weights_save


class Command(BaseCommand):
    help = "Estimate the matching weights from the imported census and store them under var/."

    def add_arguments(self, parser):
        parser.add_argument("--sample", type=int, default=U_SAMPLE, help="pupils sampled for u")
        parser.add_argument("--seed", type=int, default=0)

    def handle(self, *args, **options):
        try:
            data = weights_estimate(sample=options["sample"], seed=options["seed"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        path = weights_save(data)
        self.stdout.write(f"Weights estimated from {data['pupils']} pupils and saved to {path}.")
