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
import traceback
from collections.abc import Iterator
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
from matching.weights import Weights, batch_patterns, weights_adapted
from schools.census import DatabaseCandidateSource, pupils_with_stale_keys, weights_for_census
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


CHUNK = 250  # rows read for the census at a time; output keeps the input's order
PROGRESS_ROWS = 5_000  # a line on stderr each time a process has compared this many more rows


def _error_line(row: dict, error: RowError) -> list:
    return [(row.get("ref") or "").strip(), "error", "", "", "", str(error)]


def _gather_chunk(chunk: list[tuple[int, dict]], weights: Weights) -> list[tuple]:
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
        patterns = batch_patterns((scored(child, comparison, weights) for comparison in comparisons), weights)
        results.append((line, row, child, on or date.today(), comparisons, patterns, ""))
    return results


def _decide_chunk(chunk: list[tuple], weights: Weights) -> list[tuple[int, list, str]]:
    """(line, output row, error) for each gathered row, with the batch's weights; the schools
    of the chunk's top candidates are read in one query."""
    decisions = {}
    for line, _, child, _, comparisons, _, error in chunk:
        if not error:
            decisions[line] = match_compared(child, comparisons, weights=weights)
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


class Shard:
    """One worker's share of the chunks, matched in two steps around the batch's weights: gather
    (candidates read and compared; the level patterns handed back), then decide with the weights
    learned from every shard's patterns. The comparisons stay where they were made: only the
    patterns and the output lines cross between processes."""

    def __init__(self, chunks: list[list[tuple[int, dict]]], weights: Weights, say=None, label: str = "Rows"):
        self.chunks, self.weights, self.gathered = chunks, weights, []
        self.say, self.label = say, label

    def gather(self) -> list[list]:
        total, done, told = sum(map(len, self.chunks)), 0, 0
        for chunk in self.chunks:
            self.gathered.append(_gather_chunk(chunk, self.weights))
            done += len(chunk)
            if self.say and (done - told >= PROGRESS_ROWS or done == total):
                self.say(f"{self.label}: {done:,} of {total:,} compared with their candidates")
                told = done
        return [item[5] for batch in self.gathered for item in batch if not item[6]]

    def decide(self, weights: Weights) -> list[list[tuple[int, list, str]]]:
        return [_decide_chunk(batch, weights) for batch in self.gathered]


def _shard_process(shard: Shard, pipe) -> None:
    """A worker: gather, send the patterns, wait for the weights, decide, send the lines."""
    try:
        pipe.send(shard.gather())
        pipe.send(shard.decide(pipe.recv()))
    except Exception:  # noqa: BLE001 (handed to the parent, which stops the command with it)
        pipe.send(_WorkerFailed(traceback.format_exc()))
    finally:
        connections.close_all()
        pipe.close()


class _WorkerFailed:
    def __init__(self, report: str):
        self.report = report


def _received(pipe):
    try:
        message = pipe.recv()
    except EOFError as error:
        raise CommandError("a worker stopped before it had finished (out of memory?)") from error
    if isinstance(message, _WorkerFailed):
        raise CommandError(f"a worker failed:\n{message.report}")
    return message


def _matched(
    chunks: list, workers: int, stored: Weights, adapt, say=None
) -> Iterator[list[tuple[int, list, str]]]:
    """Each chunk's output lines in the input's order, matched in this process or in `workers`
    forked ones (round robin over the chunks), each with its own database connection."""
    count = max(1, min(workers, len(chunks)))
    labels = ["Rows"] if count == 1 else [f"Process {n + 1} of {count}, rows" for n in range(count)]
    shards = [Shard(chunks[n::count], stored, say, labels[n]) for n in range(count)]
    if count == 1:
        weights = adapt([shards[0].gather()])
        yield from shards[0].decide(weights)
        return
    connections.close_all()  # each process opens its own
    context = multiprocessing.get_context("fork")
    pipes, processes = [], []
    for shard in shards:
        ours, theirs = context.Pipe()
        process = context.Process(target=_shard_process, args=(shard, theirs), daemon=True)
        process.start()
        theirs.close()
        pipes.append(ours)
        processes.append(process)
    try:
        weights = adapt([_received(pipe) for pipe in pipes])
        for pipe in pipes:
            pipe.send(weights)
        decided = [_received(pipe) for pipe in pipes]
    finally:
        for process in processes:
            process.join(timeout=5)
            if process.is_alive():
                process.terminate()
    for n in range(len(chunks)):
        yield decided[n % len(shards)][n // len(shards)]


def _read_chunks(path: str) -> list[list[tuple[int, dict]]]:
    """Every row of the file with its line number, in chunks of CHUNK."""
    with open(path, newline="", encoding="utf-8-sig") as src:
        reader = csv.DictReader(src)
        if "ref" not in (reader.fieldnames or []):
            raise CommandError("line 1: missing column(s): ref")
        rows = [(reader.line_num, row) for row in reader]
    return [rows[n : n + CHUNK] for n in range(0, len(rows), CHUNK)]


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
        actor = self._actor(options.get("actor"))
        stale = pupils_with_stale_keys().count()
        if stale:
            # Their keys are not the ones the children's keys are computed to meet: they would be missed.
            raise CommandError(
                f"{stale} pupil(s) have blocking keys of an earlier key set, and would be missed:"
                " run `manage.py rebuild_pupil_keys` (or import the census again) first."
            )
        stored = weights_for_census(say=self.stderr.write)
        try:
            chunks = _read_chunks(options["file"])
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"cannot read {options['file']}: {error}") from error

        def adapt(patterns_per_shard: list[list]) -> Weights:
            if options["stored_weights"]:
                return stored
            return weights_adapted(stored, [patterns for shard in patterns_per_shard for patterns in shard])

        rows = errors = 0
        with open(options["out"], "w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(OUT_COLUMNS)
            for results in _matched(chunks, options["workers"], stored, adapt, say=self.stderr.write):
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

    def _actor(self, email: str | None):
        if not email:
            return None
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"--actor: no user with the e-mail address {email}")
        return user
