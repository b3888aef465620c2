"""The census in the database: blocking keys at import, candidates at match time, weights.

Django's side of the matching engine (`matching/`, pure Python). Candidates for one child take
one query: the child's keys are looked up in PupilKey's (key, pupil) index, a key shared by
more than MAX_BUCKET pupils is skipped (it identifies nobody), and the pupils found come back
with their earlier names and addresses joined on. PostgreSQL reads at most MAX_BUCKET + 1 rows
per key (a LATERAL ... LIMIT), so a very common key costs no more than a rare one.
"""

from __future__ import annotations

import json
import logging
import random
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from matching import normalise as norm
from matching.key_hash import key_hash
from matching.keys import KEY_SET_VERSION, pupil_blocking_keys
from matching.records import PupilRecord
from matching.sources import MAX_BUCKET
from matching.weights import (
    DEFAULT_M,
    DEFAULT_PUPILS,
    DEFAULT_U,
    DEFAULT_WEIGHTS,
    MEASURED_FIELDS,
    Weights,
    estimate_u,
)

logger = logging.getLogger(__name__)

PUPIL_COLUMNS = (
    "id", "upn", "first_name", "middle_names", "last_name", "preferred_first_name",
    "preferred_last_name", "dob", "sex", "address_line1", "postcode", "address_line2",
)  # fmt: skip
ALIAS_COLUMNS = ("first_name", "last_name", "address_line1", "postcode")


# --- keys at import ---------------------------------------------------------------------------


def pupil_record(pupil, aliases: Iterable | None = None) -> PupilRecord:
    """A Pupil (with its PupilAlias rows) as the matcher sees it."""
    aliases = list(pupil.aliases.all() if aliases is None else aliases)
    return _record(
        tuple(getattr(pupil, name) for name in PUPIL_COLUMNS),
        [tuple(getattr(a, name) for name in ALIAS_COLUMNS) for a in aliases],
    )


def pupil_keys_rows(records: Iterable[PupilRecord]) -> list[tuple[int, int]]:
    """(key hash, pupil_id) rows for PupilKey: every blocking key of each pupil, earlier names
    and addresses included, stored as `matching.key_hash.key_hash` like import_pupils does."""
    return [(key_hash(key), record.id) for record in records for key in sorted(pupil_blocking_keys(record))]


@transaction.atomic
def pupil_keys_store(pupils: Iterable) -> int:
    """Replace the stored keys of these pupils (after a change of name or address), and mark
    them as of the current KEY_SET_VERSION. Returns the number of keys stored."""
    from schools.models import Pupil, PupilKey

    pupils = list(pupils)
    ids = [pupil.pk for pupil in pupils]
    PupilKey.objects.filter(pupil_id__in=ids).delete()
    rows = pupil_keys_rows(pupil_record(pupil) for pupil in pupils)
    table = PupilKey._meta.db_table
    with connection.cursor() as cursor:
        # Plain rows, not model instances: a rebuild writes some forty keys per pupil.
        if connection.vendor == "postgresql":
            cursor.execute(
                f"INSERT INTO {table} (key, pupil_id) SELECT * FROM unnest(%s::bigint[], %s::bigint[])",  # noqa: S608
                [[key for key, _ in rows], [pk for _, pk in rows]],
            )
        else:
            cursor.executemany(f"INSERT INTO {table} (key, pupil_id) VALUES (%s, %s)", rows)  # noqa: S608
    Pupil.objects.filter(pk__in=ids).update(keys_version=KEY_SET_VERSION)
    for pupil in pupils:
        pupil.keys_version = KEY_SET_VERSION
    return len(rows)


def pupils_with_stale_keys():
    """Pupils whose stored keys are not of the current KEY_SET_VERSION: the matcher may miss them."""
    from schools.models import Pupil

    return Pupil.objects.exclude(keys_version=KEY_SET_VERSION)


def pupil_keys_rebuild(*, chunk: int = 2000, progress: Callable[[int, int], None] | None = None) -> int:
    """Recompute the keys of every pupil whose keys are stale, a chunk at a time (each chunk in
    its own transaction, unless the caller holds one): a pupil has its old keys or its new
    ones, never none. Returns the number of pupils rebuilt; `progress(done, total)` is told
    after each chunk."""
    total = pupils_with_stale_keys().count()
    done = 0
    while done < total:  # pupils made stale meanwhile wait for the next rebuild
        pupils = list(pupils_with_stale_keys().order_by("pk").prefetch_related("aliases")[:chunk])
        if not pupils:
            break
        pupil_keys_store(pupils)
        done += len(pupils)
        if progress:
            progress(done, total)
    return done


# --- candidates at match time -----------------------------------------------------------------


class DatabaseCandidateSource:
    """Candidates from the PupilKey table: the CandidateSource contract, one query per child."""

    def __init__(self, *, max_bucket: int = MAX_BUCKET) -> None:
        self.max_bucket = max_bucket

    def candidates_for(self, keys: set[str]) -> list[PupilRecord]:
        if not keys:
            return []
        ids_sql, params = self._ids_query(sorted({key_hash(key) for key in keys}))
        pupil_columns = ", ".join(f"p.{name}" for name in PUPIL_COLUMNS)
        alias_columns = ", ".join(f"a.{name}" for name in ALIAS_COLUMNS)
        sql = f"""WITH ids AS ({ids_sql})
            SELECT {pupil_columns}, {alias_columns}
            FROM ids JOIN schools_pupil p ON p.id = ids.pupil_id
            LEFT JOIN schools_pupilalias a ON a.pupil_id = p.id
            ORDER BY p.id"""  # noqa: S608 (column names are constants)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return _records(rows)

    def candidates_for_many(self, key_sets: list[set[str]]) -> list[list[PupilRecord]]:
        """candidates_for of each of many children, in one query on PostgreSQL (a batch's
        children cost one round trip and one plan per chunk, not one each)."""
        if connection.vendor != "postgresql":
            return [self.candidates_for(keys) for keys in key_sets]
        keys, children = [], []
        for child, key_set in enumerate(key_sets):
            hashes = sorted({key_hash(key) for key in key_set})
            keys += hashes
            children += [child] * len(hashes)
        pupil_columns = ", ".join(f"p.{name}" for name in PUPIL_COLUMNS)
        alias_columns = ", ".join(f"a.{name}" for name in ALIAS_COLUMNS)
        sql = f"""WITH hits AS (
                SELECT k.child, h.pupil_id, COUNT(*) OVER (PARTITION BY k.child, k.key) AS n
                FROM unnest(%s::bigint[], %s::int[]) AS k(key, child)
                CROSS JOIN LATERAL (
                  SELECT pupil_id FROM schools_pupilkey WHERE key = k.key LIMIT %s) h
            ), ids AS (SELECT DISTINCT child, pupil_id FROM hits WHERE n <= %s)
            SELECT ids.child, {pupil_columns}, {alias_columns}
            FROM ids JOIN schools_pupil p ON p.id = ids.pupil_id
            LEFT JOIN schools_pupilalias a ON a.pupil_id = p.id
            ORDER BY ids.child, p.id"""  # noqa: S608 (column names are constants)
        with connection.cursor() as cursor:
            cursor.execute(sql, [keys, children, self.max_bucket + 1, self.max_bucket])
            rows = cursor.fetchall()
        found: list[list[tuple]] = [[] for _ in key_sets]
        for row in rows:
            found[row[0]].append(row[1:])
        return [_records(child_rows) for child_rows in found]

    def _ids_query(self, keys: list[int]) -> tuple[str, list]:
        limit = self.max_bucket
        if connection.vendor == "postgresql":
            # At most limit + 1 index entries per key: enough to tell an oversized bucket.
            return (
                """SELECT DISTINCT b.pupil_id FROM (
                     SELECT h.pupil_id, COUNT(*) OVER (PARTITION BY k.key) AS n
                     FROM unnest(%s::bigint[]) AS k(key)
                     CROSS JOIN LATERAL (
                       SELECT pupil_id FROM schools_pupilkey WHERE key = k.key LIMIT %s) h
                   ) b WHERE b.n <= %s""",
                [keys, limit + 1, limit],
            )
        marks = ", ".join(["%s"] * len(keys))
        return (
            f"""SELECT DISTINCT b.pupil_id FROM (
                  SELECT pupil_id, COUNT(*) OVER (PARTITION BY key) AS n
                  FROM schools_pupilkey WHERE key IN ({marks})
                ) b WHERE b.n <= %s""",  # noqa: S608
            [*keys, limit],
        )


def _records(rows: list[tuple]) -> list[PupilRecord]:
    width = len(PUPIL_COLUMNS)
    grouped: dict[int, tuple[tuple, list[tuple]]] = {}
    for row in rows:
        pupil, alias = row[:width], row[width:]
        entry = grouped.setdefault(pupil[0], (pupil, []))
        if alias[0] is not None or alias[3] is not None:
            entry[1].append(alias)
    return [_record(pupil, aliases) for pupil, aliases in grouped.values()]


def _record(pupil: tuple, aliases: list[tuple]) -> PupilRecord:
    values = dict(zip(PUPIL_COLUMNS, pupil, strict=True))
    values["address_line1"] = norm.home_line(values["address_line1"], values.pop("address_line2"))
    if not isinstance(values["dob"], date):
        values["dob"] = date.fromisoformat(str(values["dob"]))
    return PupilRecord(
        **values,
        former_names=tuple((first, last) for first, last, _, _ in aliases if first or last),
        former_addresses=tuple((line, code) for _, _, line, code in aliases if code),
    )


# --- weights ----------------------------------------------------------------------------------

U_SAMPLE = 50_000
# Fewer pupils than this measure nothing reliable: the defaults stay, with the census's size.
MIN_MEASURED = 1_000
# Stored weights describe the census while its size is within this share of theirs.
STALE_SHARE = 0.10


def weights_path() -> Path:
    return Path(settings.MATCH_WEIGHTS_FILE)


def weights_estimate(*, sample: int = U_SAMPLE, pairs: int = 200_000, seed: int = 0) -> dict:
    """u from random pairs of a sample of the census; name shares from every pupil's name."""
    from schools.models import Pupil

    total = Pupil.objects.count()
    if total == 0:
        raise ValueError("The census holds no pupils: import it first.")
    if total < MIN_MEASURED:
        return {"pupils": total, "estimated_at": timezone.now().isoformat()}
    shares = {"first_name": Counter(), "last_name": Counter()}
    for name in shares:
        for value, count in (
            Pupil.objects.order_by().values(name).annotate(n=Count("id")).values_list(name, "n")
        ):
            shares[name][norm.name_key(value)] += count
    records = _sample_records(sample, seed)
    return {
        "pupils": total,
        "estimated_at": timezone.now().isoformat(),
        "u": estimate_u(records, pairs=pairs, seed=seed),
        "name_shares": {name: {k: n / total for k, n in counts.items()} for name, counts in shares.items()},
    }


def _sample_records(size: int, seed: int) -> list[PupilRecord]:
    """A sample of the census chosen by UPN, not by row id: the same census gives the same sample
    (and so the same weights) however its rows were numbered by the import that loaded it."""
    from schools.models import Pupil

    upns = list(Pupil.objects.values_list("upn", flat=True).order_by("upn"))
    chosen = sorted(random.Random(seed).sample(upns, min(size, len(upns))))
    records = []
    for start in range(0, len(chosen), 2000):
        batch = Pupil.objects.filter(upn__in=chosen[start : start + 2000]).prefetch_related("aliases")
        records += sorted((pupil_record(pupil) for pupil in batch), key=lambda record: record.upn)
    return records


def weights_refresh(*, sample: int = U_SAMPLE, seed: int = 0) -> str:
    """Estimate the weights from the census as it is now and store them; says what it did.
    The m that went live from people's decisions (weights_live_m_set) is kept."""
    data = {**_stored_m(), **weights_estimate(sample=sample, seed=seed)}
    path = weights_save(data)
    measured = "measured" if "u" in data else "too few pupils to measure: the defaults kept"
    return f"Match weights for {data['pupils']} pupils ({measured}) saved to {path}."


def weights_save(data: dict, path: Path | None = None) -> Path:
    path = path or weights_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data))
    tmp.replace(path)
    return path


def _stored_data() -> dict:
    """The weights file as stored, or nothing when there is none (or it cannot be read)."""
    try:
        return json.loads(weights_path().read_text())
    except (OSError, ValueError):
        return {}


def _stored_m() -> dict:
    """The live m and its version from the weights file, or nothing."""
    data = _stored_data()
    return {key: data[key] for key in ("m", "m_version") if key in data}


def weights_live_m_set(m: dict, version: int) -> Path:
    """Make this m (a version people's decisions produced, checked by the development
    evaluation) the one every process matches with, keeping u and the name shares."""
    return weights_save({**_stored_data(), "m": m, "m_version": version})


def weights_from_data(data: dict) -> Weights:
    m = {name: dict(levels) for name, levels in DEFAULT_M.items()}
    for name, levels in data.get("m", {}).items():
        if name in m and set(levels) == set(m[name]):  # a file from before a level existed: defaults
            m[name] = dict(levels)
    u = {name: dict(levels) for name, levels in DEFAULT_U.items()}
    # Per level over the defaults: a file measured before a level existed still loads.
    for name in MEASURED_FIELDS:
        u[name].update(data.get("u", {}).get(name, {}))
    return Weights(
        m=m, u=u, name_shares=data.get("name_shares", {}), pupils=data.get("pupils", DEFAULT_PUPILS)
    )


def weights_current() -> Weights:
    """The weights estimated from the census (estimate_match_weights, run by import_pupils),
    loaded again whenever the file changes; the built-in defaults until it exists."""
    path = weights_path()
    try:
        changed = path.stat().st_mtime_ns
    except OSError:
        return DEFAULT_WEIGHTS
    return _weights_loaded(path, changed)


@lru_cache(maxsize=1)
def _weights_loaded(path: Path, changed: int) -> Weights:
    try:
        return weights_from_data(json.loads(path.read_text()))
    except (ValueError, KeyError, TypeError):
        logger.exception("match weights file unreadable: using the defaults")
        return DEFAULT_WEIGHTS


def weights_for_census(say=lambda line: None) -> Weights:
    """The stored weights if they describe the census as it is now; else measured afresh
    (not stored), so a census imported without re-estimating is never matched with the
    weights of another."""
    from schools.models import Pupil

    pupils = Pupil.objects.count()
    stored = weights_current()
    if stored is not DEFAULT_WEIGHTS and abs(stored.pupils - pupils) <= STALE_SHARE * pupils:
        return stored
    if pupils == 0:
        return stored
    say(f"The stored match weights do not describe this census of {pupils} pupils: estimating them now.")
    return weights_from_data({**_stored_m(), **weights_estimate()})
