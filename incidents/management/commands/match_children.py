"""python manage.py match_children IN.csv --out OUT.csv [--actor EMAIL] [--workers N] [--stored-weights]

Matches each child of a CSV against the census already imported (import_pupils) and writes
one line per child: ref, decision (matched, review or no_match), upn and school_urn of the
top candidate (for matched and review), score and reason. Reads only: it creates nothing
but one event saying who ran it and how many rows. A bad row is reported with its line
number and written with decision 'error'; nothing else about it is guessed.

A batch adapts the model to its own records before deciding (as Splink does): m, how often the
same child shows each level of each field, is estimated by expectation maximisation on the
batch's candidate pairs, regularised toward the stored m (matching.weights.weights_adapted);
u, name frequencies and the census size stay as measured on the census. --stored-weights
decides with the stored weights alone, as a single incident does."""

import csv
import getpass
import multiprocessing
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from encompass.models import Event, User
from matching import (
    MATCHED,
    NO_MATCH,
    ChildRecord,
    Decision,
    child_blocking_keys,
    compare_pupil,
    match_compared,
    scored,
)
from matching.weights import batch_patterns, weights_adapted
from schools.census import DatabaseCandidateSource, weights_for_census
from schools.selectors import school_urns_on

IN_COLUMNS = (
    "ref", "first_name", "last_name", "dob", "sex", "address_line1", "address_line2", "town",
    "postcode", "upn", "incident_date",
)  # fmt: skip
OUT_COLUMNS = ("ref", "decision", "upn", "school_urn", "score", "reason")


class RowError(ValueError):
    pass


def _date(value: str, name: str) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError as error:
        raise RowError(f"{name} '{value}' is not a date (YYYY-MM-DD)") from error


def child_from_row(row: dict) -> tuple[ChildRecord, date | None]:
    if not (row.get("ref") or "").strip():
        raise RowError("ref is missing")
    sex = (row.get("sex") or "").strip().upper()
    if sex not in ("", "M", "F"):
        raise RowError(f"sex '{sex}' is not M, F or blank")
    child = ChildRecord(
        first_name=(row.get("first_name") or "").strip(),
        last_name=(row.get("last_name") or "").strip(),
        dob=_date(row.get("dob") or "", "dob"),
        sex=sex or None,
        address_line1=(row.get("address_line1") or "").strip(),
        address_line2=(row.get("address_line2") or "").strip(),
        town=(row.get("town") or "").strip(),
        postcode=(row.get("postcode") or "").strip(),
        upn=(row.get("upn") or "").strip(),
    )
    return child, _date(row.get("incident_date") or "", "incident_date")


def decided_row(row: dict, decision: Decision, on: date, urn: int | None) -> list:
    """The output line of one child: the decision, with its top candidate's school on the day."""
    ref = row["ref"].strip()
    if decision.outcome == NO_MATCH:
        best = decision.candidates[0].score if decision.candidates else None
        return [ref, NO_MATCH, "", "", _score(best), decision.reason]
    top = decision.candidates[0]
    reason = decision.reason if urn else f"{decision.reason}; not enrolled at any school on {on}"
    return [
        ref,
        decision.outcome if decision.outcome == MATCHED else "review",
        top.pupil.upn,
        urn or "",
        _score(top.score),
        reason,
    ]


def _score(value) -> str:
    return "" if value is None else f"{value:.1f}"


CHUNK = 250  # rows handed to a worker at a time; output keeps the input's order
_weights = None  # set by handle() before the workers fork, so each inherits it


def _error_line(row: dict, error: RowError) -> list:
    return [(row.get("ref") or "").strip(), "error", "", "", "", str(error)]


def _gather_chunk(chunk: list[tuple[int, dict]]) -> list[tuple]:
    """(line, row, child, incident date, comparisons, their level patterns, error) per input
    row: each candidate compared once, here; the patterns are what the batch's m is learned from."""
    read = []
    for line, row in chunk:
        try:
            read.append((line, row, *child_from_row(row), ""))
        except RowError as error:
            read.append((line, row, None, None, str(error)))
    children = [child for _, _, child, _, error in read if not error]
    found = iter(DatabaseCandidateSource().candidates_for_many([child_blocking_keys(c) for c in children]))
    results = []
    for line, row, child, on, error in read:
        if error:
            results.append((line, row, None, None, [], [], error))
            continue
        comparisons = [compare_pupil(child, pupil) for pupil in next(found)]
        patterns = batch_patterns(
            (scored(child, comparison, _weights) for comparison in comparisons), _weights
        )
        results.append((line, row, child, on or date.today(), comparisons, patterns, ""))
    return results


def _decide_chunk(chunk: list[tuple]) -> list[tuple[int, list, str]]:
    """(line, output row, error) for each gathered row, with the batch's weights; the schools
    of the chunk's top candidates are read in one query."""
    decisions = {}
    for line, _, child, _, comparisons, _, error in chunk:
        if not error:
            decisions[line] = match_compared(child, comparisons, weights=_weights)
    urns = school_urns_on(
        (decision.candidates[0].pupil.id, on)
        for (line, _, _, on, _, _, error) in chunk
        if not error and (decision := decisions[line]).outcome != NO_MATCH
    )
    results = []
    for line, row, _, on, _, _, error in chunk:
        if error:
            results.append((line, _error_line(row, RowError(error)), error))
            continue
        decision = decisions[line]
        urn = urns.get((decision.candidates[0].pupil.id, on)) if decision.outcome != NO_MATCH else None
        results.append((line, decided_row(row, decision, on, urn), ""))
    return results


def _chunks(reader: csv.DictReader) -> Iterator[list[tuple[int, dict]]]:
    chunk = []
    for row in reader:
        chunk.append((reader.line_num, row))
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@contextmanager
def _matcher(workers: int):
    """map over chunks: in this process, or in `workers` forked processes with their own connections."""
    if workers <= 1:
        yield map
        return
    connections.close_all()  # each process opens its own
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield lambda function, chunks: pool.imap(function, chunks)


class Command(BaseCommand):
    help = "Match children in a CSV against the imported census; write the decisions to a CSV."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--out", required=True)
        parser.add_argument("--actor", help="e-mail address of the user running it, for the record")
        parser.add_argument("--workers", type=int, default=1, help="processes matching at once (default 1)")
        parser.add_argument(
            "--stored-weights",
            action="store_true",
            help="decide with the stored weights, without adapting m to this batch",
        )

    def handle(self, *args, **options):
        global _weights
        actor = self._actor(options.get("actor"))
        _weights = weights_for_census(say=self.stderr.write)
        rows = errors = 0
        try:
            gathered = self._gathered(options["file"], options["workers"])
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"cannot read {options['file']}: {error}") from error
        if not options["stored_weights"]:
            _weights = weights_adapted(
                _weights, [item[5] for batch in gathered for item in batch if not item[6]]
            )
        with (
            open(options["out"], "w", newline="", encoding="utf-8") as out,
            _matcher(options["workers"]) as chunk_map,
        ):
            writer = csv.writer(out)
            writer.writerow(OUT_COLUMNS)
            for results in chunk_map(_decide_chunk, gathered):
                for line, output, error in results:
                    rows += 1
                    if error:
                        errors += 1
                        self.stderr.write(f"line {line}: {error}")
                    writer.writerow(output)
        Event.objects.create(
            verb="match_children.run",
            object_type="command",
            object_id="match_children",
            actor=actor,
            purpose="bulk matching of a police list against the census",
            data={"os_user": getpass.getuser(), "rows": rows, "bad_rows": errors},
        )
        self.stdout.write(f"{rows} row(s) matched, {errors} bad; written to {options['out']}.")

    def _gathered(self, path: str, workers: int) -> list[list[tuple]]:
        """Every row read, with its candidates from the census, in chunks in the input's order."""
        with open(path, newline="", encoding="utf-8-sig") as src:
            reader = csv.DictReader(src)
            missing = [name for name in ("ref",) if name not in (reader.fieldnames or [])]
            if missing:
                raise CommandError(f"line 1: missing column(s): {', '.join(missing)}")
            with _matcher(workers) as chunk_map:
                return list(chunk_map(_gather_chunk, _chunks(reader)))

    def _actor(self, email: str | None):
        if not email:
            return None
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"--actor: no user with the e-mail address {email}")
        return user
