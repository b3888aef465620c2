"""python manage.py estimate_match_weights [--activate VERSION]

Measures, once per census, how often two different pupils agree on each field (u) and how
common each first name and surname is, and stores them in var/match_weights.json (or
MATCH_WEIGHTS_FILE). Every process loads the file again when it changes; without it the
built-in defaults apply. import_pupils runs the census part after each import.

Then it learns from people: every pair a police reviewer confirmed or rejected, or a school
returned, is a labelled pair, and m (how often the same child shows each level of each field)
is re-estimated from the confirmed ones as a new weights version, shown in the admin.
--activate VERSION runs the development evaluation with that version and makes it live only
if it made no wrong automatic match on any set."""

from django.core.management.base import BaseCommand, CommandError

from incidents.match_weights import (
    EvaluationUnavailable,
    development_evaluation,
    match_weights_activate,
    match_weights_propose,
)
from incidents.models import MatchWeightsVersion, WeightsStatus
from schools.census import U_SAMPLE, weights_refresh


class Command(BaseCommand):
    help = "Estimate the matching weights from the census and from people's decisions."

    def add_arguments(self, parser):
        parser.add_argument("--sample", type=int, default=U_SAMPLE, help="pupils sampled for u")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument(
            "--activate", type=int, metavar="VERSION", help="check this version and make it live"
        )
        parser.add_argument(
            "--sets", nargs="+", help="development evaluation sets for --activate (default: all)"
        )

    def handle(self, *args, **options):
        if options["activate"] is not None:
            return self._activate(options["activate"], options["sets"])
        try:
            self.stdout.write(weights_refresh(sample=options["sample"], seed=options["seed"]))
        except ValueError as error:
            raise CommandError(str(error)) from error
        version = match_weights_propose()
        if version is None:
            self.stdout.write("No new reviewers' decisions: m stays as it is.")
            return
        self.stdout.write(
            f"Weights version {version.version} proposed from {version.same_child_labels} pairs confirmed "
            f"as the same child ({version.other_child_labels} judged another child). Check it and make it "
            f"live with: manage.py estimate_match_weights --activate {version.version}"
        )

    def _activate(self, number: int, sets):
        try:
            version = MatchWeightsVersion.objects.get(version=number)
        except MatchWeightsVersion.DoesNotExist as error:
            raise CommandError(f"There is no weights version {number}.") from error
        self.stdout.write(f"Running the development evaluation with version {number}...")
        try:
            version = match_weights_activate(
                version=version, evaluate=lambda m: development_evaluation(m, tuple(sets) if sets else None)
            )
        except EvaluationUnavailable as error:
            raise CommandError(f"{error}. Version {number} stays proposed.") from error
        for name, row in version.evaluation.items():
            self.stdout.write(f"  {name}: " + ", ".join(f"{key} {value}" for key, value in row.items()))
        if version.status != WeightsStatus.LIVE:
            raise CommandError(
                f"Version {number} made a wrong automatic match: refused, the live weights stay."
            )
        self.stdout.write(f"Version {number} is live.")
