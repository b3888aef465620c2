from datetime import date

from django.core.management.base import BaseCommand, CommandError

from encompass.access_log import access_log_write_csv
from encompass.events import event_record
from incidents.models import Force
from police.selectors import events_for_force


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"'{value}' is not a date: use YYYY-MM-DD.")


class Command(BaseCommand):
    help = "Export the record of access to one force's data for a date range, as CSV."

    def add_arguments(self, parser):
        parser.add_argument("--force", required=True, help="force name or code")
        parser.add_argument("--from", dest="start", required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="last day, YYYY-MM-DD")
        parser.add_argument("--out", help="file to write (default: standard output)")

    def handle(self, *args, force, start, end, out, **options):
        start, end = _date(start), _date(end)
        if end < start:
            raise CommandError("--to is before --from.")
        found = (
            Force.objects.filter(name__iexact=force).first()
            or Force.objects.filter(code__iexact=force).first()
        )
        if found is None:
            raise CommandError(f"No force called '{force}'.")
        events = events_for_force(force=found, start=start, end=end)
        stream = open(out, "w", newline="") if out else self.stdout
        try:
            count = access_log_write_csv(events, stream)
        finally:
            if out:
                stream.close()
        event_record(verb="access_log.exported", obj=found, start=str(start), end=str(end), rows=count)
        if out:
            self.stderr.write(f"{count} events written to {out}")
