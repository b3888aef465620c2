"""Where candidates come from: pupils sharing a blocking key with the child."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from .keys import pupil_blocking_keys
from .records import PupilRecord

# A key shared by more pupils than this identifies nobody (a very common name with no date
# of birth); reading it would cost time and add only look-alikes, so it is skipped.
MAX_BUCKET = 500


class CandidateSource(Protocol):
    """Pupils sharing any of the keys, each once, skipping keys with more than MAX_BUCKET pupils.

    The PostgreSQL implementation (next phase) reads a PupilKey(key, pupil) table indexed on
    key: count per key first (or LIMIT MAX_BUCKET + 1 per key) to drop oversized buckets,
    then fetch the pupils in one query, never one query per key.
    """

    def candidates_for(self, keys: set[str]) -> list[PupilRecord]: ...


class InMemoryCandidateSource:
    """The census held in dictionaries: for tests and the benchmark, no database needed."""

    def __init__(self, pupils: Iterable[PupilRecord], *, max_bucket: int = MAX_BUCKET) -> None:
        self.pupils: dict[int, PupilRecord] = {}
        self.buckets: dict[str, list[int]] = {}
        self.max_bucket = max_bucket
        for pupil in pupils:
            self.add(pupil)

    def add(self, pupil: PupilRecord) -> None:
        self.pupils[pupil.id] = pupil
        for key in pupil_blocking_keys(pupil):
            self.buckets.setdefault(key, []).append(pupil.id)

    def candidates_for(self, keys: set[str]) -> list[PupilRecord]:
        ids: set[int] = set()
        for key in keys:
            bucket = self.buckets.get(key, ())
            if len(bucket) <= self.max_bucket:
                ids.update(bucket)
        return [self.pupils[pupil_id] for pupil_id in sorted(ids)]
