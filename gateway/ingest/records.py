"""Split a feed into numbered records (CSV per RFC 4180, or NDJSON), keeping each record's raw text."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass

import orjson

from gateway.ingest.feed import COLUMNS, EXTRA_COLUMNS, OPTIONAL, FeedKind, Reason
from gateway.ingest.source import Header, Source


@dataclass(frozen=True, slots=True)
class Problem:
    reason: Reason
    text: str


@dataclass(frozen=True, slots=True)
class Record:
    """One data record: its first line number (the header is line 1), raw text, and fields or a problem."""

    line_no: int
    raw: str
    fields: dict[str, str] | None
    problem: Problem | None


# C0 controls except tab and line ends, DEL, and C1 controls: never part of a feed value. PostgreSQL text
# cannot hold NUL at all, so such a row is kept only escaped.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
CONTROL_BYTES = re.compile(b"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\xc2[\x80-\x9f]")
# What escaped() writes as \xNN: control characters and the bytes of a line that are not UTF-8 (decoded
# with "surrogateescape" as U+DC80..U+DCFF).
_ESCAPED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\udc80-\udcff]")


def _hex(found: re.Match[str]) -> str:
    code = ord(found.group())
    return f"\\x{code - 0xDC00 if code >= 0xDC00 else code:02x}"


def escaped(raw: str) -> str:
    r"""The raw text with each backslash doubled and each control character written as \xNN: storable
    (no NUL) and reversible, since those are its only escapes."""
    return _ESCAPED.sub(_hex, raw.replace("\\", "\\\\"))


def _control_record(line_no: int, raw: str) -> Record:
    found = CONTROL.search(raw)
    assert found is not None
    text = (
        f"contains the control character U+{ord(found.group()):04X} at position {found.start() + 1};"
        " raw kept with backslashes doubled and control characters as \\xNN"
    )
    return Record(line_no, escaped(raw), None, Problem(Reason.MALFORMED_ROW, text))


def _decoded_lines(source: Source, header: Header) -> Iterator[tuple[int, str | None, bytes]]:
    """(line number, text or None if not UTF-8, raw bytes) for each line after the CSV header."""
    with source.open() as stream:
        first = True
        for number, line in enumerate(stream, start=1):
            if first and header.format == "csv":
                first = False
                continue
            first = False
            try:
                text: str | None = line.decode("utf-8")
            except UnicodeDecodeError:
                text = None
            yield number, text, line


def _missing(kind: FeedKind, present: set[str]) -> list[str]:
    return [c for c in COLUMNS[kind] if c not in present]


def iter_records(source: Source, header: Header) -> Iterator[Record]:
    """Every non-blank record in order. Blank lines are not records and are skipped."""
    if header.format == "ndjson":
        yield from _ndjson_records(source, header)
    else:
        yield from _csv_records(source, header)


def _csv_records(source: Source, header: Header) -> Iterator[Record]:
    columns = header.columns
    missing = _missing(header.kind, set(columns))
    pending: list[tuple[int, str]] = []
    undecodable: set[int] = set()

    def feed() -> Iterator[str]:
        # csv.reader pulls lines one at a time; a quoted field may span lines, so remember them all.
        for number, text, line in _decoded_lines(source, header):
            if text is None:
                undecodable.add(number)
                text = line.decode("utf-8", errors="surrogateescape")
            pending.append((number, text))
            yield text

    lines = feed()
    reader = csv.reader(lines, strict=True)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            start, raw = _take(pending)
            if CONTROL.search(raw):
                yield _control_record(start, raw)
            else:
                yield Record(start, raw, None, Problem(Reason.MALFORMED_ROW, f"not valid CSV: {exc}"))
            reader = csv.reader(lines, strict=True)
            continue
        numbers = {n for n, _ in pending}
        start, raw = _take(pending)
        if not raw.strip():
            continue  # a blank line is not a record
        if numbers & undecodable:
            yield Record(start, escaped(raw), None, Problem(Reason.MALFORMED_ROW, "line is not valid UTF-8"))
        elif CONTROL.search(raw):
            yield _control_record(start, raw)
        elif missing:
            problem = Problem(Reason.MISSING_COLUMN, f"header has no column {missing[0]!r}")
            yield Record(start, raw, None, problem)
        elif len(row) != len(columns):
            text = f"expected {len(columns)} fields, found {len(row)}"
            yield Record(start, raw, None, Problem(Reason.MALFORMED_ROW, text))
        else:
            yield Record(start, raw, dict(zip(columns, row, strict=True)), None)


def _take(pending: list[tuple[int, str]]) -> tuple[int, str]:
    start = pending[0][0] if pending else 0
    raw = "".join(t for _, t in pending).rstrip("\r\n")
    pending.clear()
    return start, raw


def _json_text(value: object) -> str | None:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | str):
        return str(value)
    return None


def _ndjson_records(source: Source, header: Header) -> Iterator[Record]:
    wanted = COLUMNS[header.kind]
    for number, text, line in _decoded_lines(source, header):
        if text is None:
            raw = escaped(line.decode("utf-8", errors="surrogateescape").rstrip("\r\n"))
            yield Record(number, raw, None, Problem(Reason.MALFORMED_ROW, "line is not valid UTF-8"))
            continue
        raw = text.rstrip("\r\n")
        if not raw.strip():
            continue
        if CONTROL.search(raw):
            yield _control_record(number, raw)
            continue
        try:
            obj = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            yield Record(number, raw, None, Problem(Reason.MALFORMED_ROW, f"not valid JSON: {exc}"))
            continue
        if not isinstance(obj, dict):
            yield Record(number, raw, None, Problem(Reason.MALFORMED_ROW, "line is not a JSON object"))
            continue
        missing = [c for c in wanted if c not in obj and c not in OPTIONAL]
        if missing:
            yield Record(number, raw, None, Problem(Reason.MISSING_COLUMN, f"no key {missing[0]!r}"))
            continue
        fields: dict[str, str] = {}
        bad = None
        for column in (*wanted, *(c for c in EXTRA_COLUMNS[header.kind] if c in obj)):
            value = _json_text(obj.get(column))
            if value is None:
                bad = column
                break
            fields[column] = value
        if bad is None and any(CONTROL.search(v) for v in fields.values()):
            text = "a value holds a control character (written as a JSON escape); raw kept as sent"
            yield Record(number, raw, None, Problem(Reason.MALFORMED_ROW, text))
        elif bad is not None:
            yield Record(
                number, raw, None, Problem(Reason.BAD_VALUE, f"{bad}: must be a string, number or boolean")
            )
        else:
            yield Record(number, raw, fields, None)
