from django.core.management.base import CommandError


def print_report(command, report) -> None:
    """Print the report; a file that was not imported (other than a dry run) exits non-zero."""
    for line in report.lines():
        command.stdout.write(line)
    if not report.applied and not report.dry_run:
        raise CommandError("Nothing was imported.")
    if report.dry_run and report.errors:
        raise CommandError("The file has bad rows.")


def progress_printer(command, what: str):
    def progress(rows: int) -> None:
        command.stderr.write(f"{what}: {rows:,} rows read")

    return progress
