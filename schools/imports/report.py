"""What an import found and did, in words a person can act on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

Progress = Callable[[int], None]


def no_progress(rows: int) -> None:
    return None


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    reason: str

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "file"
        return f"{where}, {self.field}: {self.reason}" if self.field else f"{where}: {self.reason}"


@dataclass
class ImportReport:
    """Counts of what changed, and every bad row. `applied` is False when nothing was saved
    (a dry run, or bad rows without skip_invalid)."""

    what: str
    rows: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    applied: bool = False
    dry_run: bool = False
    skip_invalid: bool = False

    @property
    def bad_lines(self) -> list[int]:
        return sorted({error.line for error in self.errors})

    def count(self, name: str, n: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + n

    def outcome(self) -> str:
        bad = len(self.bad_lines)
        if self.dry_run:
            verdict = "Dry run: nothing was saved."
        elif self.applied:
            verdict = f"Imported, skipping {bad} bad row(s)." if bad else "Imported."
        else:
            verdict = f"Nothing was imported: {bad} bad row(s). Fix them, or import with skip-invalid."
        return f"{self.what}: {self.rows} row(s) read. {verdict}"

    def lines(self) -> list[str]:
        result = [self.outcome()]
        result += [f"{name.replace('_', ' ')}: {n}" for name, n in self.counts.items()]
        result += [str(error) for error in self.errors]
        return result
