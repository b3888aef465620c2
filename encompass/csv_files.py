"""Reading and writing CSV files, the one way every import and export does it.

Reading: a file from outside may be in the wrong encoding, binary, have a field longer than
the csv module allows (131,072 characters) or NUL bytes. Each of those becomes an
`UnreadableFile` that names the line, never a traceback. Lines are decoded one at a time, so
the line a bad byte is on is known (a decoding stream fails on an 8 KB block, not a line).

Writing: a spreadsheet runs a cell that starts with = + - @ (or a tab or carriage return) as a
formula; `csv_writer` puts a ' in front of such a cell, in every export."""

import csv
import io
from collections.abc import Iterable, Iterator
from typing import BinaryIO

FIELD_LIMIT = csv.field_size_limit()
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class UnreadableFile(ValueError):
    def __init__(self, line: int, reason: str):
        super().__init__(f"line {line}: {reason}")
        self.line = line
        self.reason = reason


ENCODINGS = {"utf-8-sig": ("UTF-8", "save the file as CSV UTF-8"), "cp1252": ("Windows-1252", "")}


def decoded_lines(source: BinaryIO | bytes | str, *, encoding: str = "utf-8-sig") -> Iterator[str]:
    """The lines of a file as text, keeping their line endings (csv needs them)."""
    if isinstance(source, str):
        lines = enumerate(io.StringIO(source.removeprefix("\ufeff"), newline=""), start=1)
    else:
        lines = _decode(io.BytesIO(source) if isinstance(source, bytes) else source, encoding)
    for number, line in lines:
        if "\x00" in line:
            raise UnreadableFile(number, "a field contains a NUL byte: the file is damaged or not text")
        yield line


def _decode(binary: BinaryIO, encoding: str) -> Iterator[tuple[int, str]]:
    for number, raw in enumerate(binary, start=1):
        try:
            yield number, raw.decode(encoding if number == 1 else encoding.removesuffix("-sig"))
        except UnicodeDecodeError as exc:
            name, hint = ENCODINGS.get(encoding, (encoding, ""))
            reason = f"byte {exc.start + 1} of the line is not {name} text: {hint or 'is it the right file?'}"
            raise UnreadableFile(number, reason) from None


def csv_rows(lines: Iterable[str]) -> Iterator[tuple[int, list[str]]]:
    """(line number, values) for each record; a record over several lines has its first line."""
    reader = csv.reader(lines)
    while True:
        first = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise UnreadableFile(
                    first, f"a field is longer than {FIELD_LIMIT:,} characters (is a quote left open?)"
                ) from None
            raise UnreadableFile(first, f"this is not CSV as expected ({exc})") from None
        yield first, values


def csv_dict_rows(lines: Iterable[str]) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """The header (stripped) and (line number, row) pairs, as csv.DictReader would give them."""
    rows = csv_rows(lines)
    header = next((values for _, values in rows), [])
    header = [name.strip() for name in header]

    def records():
        for line, values in rows:
            padded = values + [""] * (len(header) - len(values))
            yield line, dict(zip(header, padded, strict=False))

    return header, records()


def csv_safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _SafeWriter:
    def __init__(self, stream, **options):
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable):
        return self._writer.writerow([csv_safe_cell(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable]):
        for row in rows:
            self.writerow(row)


def csv_writer(stream, **options) -> _SafeWriter:
    """csv.writer, with every cell that a spreadsheet would run as a formula neutralised."""
    return _SafeWriter(stream, **options)
