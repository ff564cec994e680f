"""`gateway feed check`: validate feed files without loading them, reporting every problem with its line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import psycopg

from gateway.ingest.feed import KIND_ORDER, FeedError, FeedKind, Reason
from gateway.ingest.records import Problem, iter_records
from gateway.ingest.source import Source, read_header
from gateway.ingest.validate import RowError, parse_mark, parse_roster, parse_school


@dataclass(frozen=True, slots=True)
class Finding:
    file: str
    line: int
    reason: str
    text: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}: {self.text}"


@dataclass
class Known:
    """What the checks that need context know: None means "not known, do not check"."""

    schools: set[int] | None = None
    enrolments: dict[tuple[int, str], tuple[date, date | None]] | None = None

    def add_school(self, urn: int) -> None:
        if self.schools is None:
            self.schools = set()
        self.schools.add(urn)

    def add_enrolment(self, urn: int, upn: str, admission: date, leaving: date | None) -> None:
        if self.enrolments is None:
            self.enrolments = {}
        self.enrolments[(urn, upn)] = (admission, leaving)


@dataclass
class CheckReport:
    files: int = 0
    rows: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings


def known_from_store(url: str) -> Known:
    """Schools and enrolments already in the store (for --against-db)."""
    with psycopg.connect(url) as conn:
        schools = {int(r[0]) for r in conn.execute("SELECT urn FROM schools")}
        rows = conn.execute(
            "SELECT e.urn, p.upn, e.admission_date, e.leaving_date FROM enrolments e JOIN pupils p USING (pupil_id)"
        )
        enrolments = {(int(u), str(p)): (a, leaving) for u, p, a, leaving in rows}
    return Known(schools=schools, enrolments=enrolments)


def _check_row(
    kind: FeedKind, fields: dict[str, str], known: Known, seen: dict[tuple[object, ...], int]
) -> None:
    """Raise RowError for the first rule this row breaks, in the order ingest applies them."""
    if kind is FeedKind.SCHOOLS:
        school = parse_school(fields)
        key: tuple[object, ...] = (school.urn,)
        if key in seen:
            raise RowError(Reason.DUPLICATE_IN_BATCH, f"urn {school.urn} already on line {seen[key]}")
        known.add_school(school.urn)
    elif kind is FeedKind.ROSTER:
        row = parse_roster(fields)
        if known.schools is not None and row.urn not in known.schools:
            raise RowError(Reason.UNKNOWN_SCHOOL, f"no school with urn {row.urn}")
        key = (row.urn, row.upn)
        if key in seen:
            raise RowError(Reason.DUPLICATE_IN_BATCH, f"same urn and upn as line {seen[key]}")
        known.add_enrolment(row.urn, row.upn, row.admission_date, row.leaving_date)
    else:
        mark = parse_mark(fields)
        if known.schools is not None and mark.urn not in known.schools:
            raise RowError(Reason.UNKNOWN_SCHOOL, f"no school with urn {mark.urn}")
        if known.enrolments is not None:
            span = known.enrolments.get((mark.urn, mark.upn))
            if span is None:
                raise RowError(Reason.UNKNOWN_ENROLMENT, f"this pupil is not enrolled at school {mark.urn}")
            if mark.date < span[0] or (span[1] is not None and mark.date > span[1]):
                text = f"{mark.date} is outside the pupil's enrolment at school {mark.urn}"
                raise RowError(Reason.UNKNOWN_ENROLMENT, text)
        key = (mark.urn, mark.upn, mark.date, mark.session)
        if key in seen:
            raise RowError(Reason.DUPLICATE_IN_BATCH, f"same urn, upn, date and session as line {seen[key]}")


def _row_key(kind: FeedKind, fields: dict[str, str]) -> tuple[object, ...]:
    if kind is FeedKind.SCHOOLS:
        return (int(fields["urn"]),)
    if kind is FeedKind.ROSTER:
        return (int(fields["urn"]), fields["upn"])
    return (int(fields["urn"]), fields["upn"], date.fromisoformat(fields["date"]), fields["session"] == "PM")


def check_files(paths: Sequence[Path], known: Known | None = None) -> CheckReport:
    """Check files in run order (schools, rosters, marks) so later files see earlier ones' rows."""
    known = known or Known()
    report = CheckReport()
    headers = []
    for path in paths:
        source = Source.from_path(path)
        try:
            headers.append((path, source, read_header(source)))
        except FeedError as exc:
            report.files += 1
            report.findings.append(Finding(path.name, 1, Reason.MALFORMED_ROW.value, str(exc)))
    headers.sort(key=lambda h: KIND_ORDER[h[2].kind])
    for path, source, header in headers:
        report.files += 1
        seen: dict[tuple[object, ...], int] = {}
        for record in iter_records(source, header):
            report.rows += 1
            problem: Problem | None = record.problem
            if problem is None:
                assert record.fields is not None
                try:
                    _check_row(header.kind, record.fields, known, seen)
                    seen.setdefault(_row_key(header.kind, record.fields), record.line_no)
                except RowError as exc:
                    problem = exc.problem
            if problem is not None:
                report.findings.append(Finding(path.name, record.line_no, problem.reason.value, problem.text))
    return report
