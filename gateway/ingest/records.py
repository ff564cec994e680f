"""Split a feed into numbered records (CSV per RFC 4180, or NDJSON), keeping each record's raw text."""

from __future__ import annotations

import csv
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
                text = line.decode("utf-8", errors="replace")
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
            yield Record(start, raw, None, Problem(Reason.MALFORMED_ROW, f"not valid CSV: {exc}"))
            reader = csv.reader(lines, strict=True)
            continue
        numbers = {n for n, _ in pending}
        start, raw = _take(pending)
        if not raw.strip():
            continue  # a blank line is not a record
        if numbers & undecodable:
            yield Record(start, raw, None, Problem(Reason.MALFORMED_ROW, "line is not valid UTF-8"))
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
            raw = line.decode("utf-8", errors="replace").rstrip("\r\n")
            yield Record(number, raw, None, Problem(Reason.MALFORMED_ROW, "line is not valid UTF-8"))
            continue
        raw = text.rstrip("\r\n")
        if not raw.strip():
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
        if bad is not None:
            yield Record(
                number, raw, None, Problem(Reason.BAD_VALUE, f"{bad}: must be a string, number or boolean")
            )
        else:
            yield Record(number, raw, fields, None)
