"""`gateway feed check` reports every problem with its file and line, and agrees with ingest."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema_rs
from click.testing import CliRunner

from gateway.cli import main
from gateway.ingest.check import check_files
from gateway.ingest.feed import COLUMNS, EXTRA_COLUMNS, OPTIONAL, FeedKind
from tests.ingest.conftest import fetch, ingest
from tests.ingest.feeds import URN_A, csv_text, mark, pupil, school

DAY = "2024-09-02"
ROOT = Path(__file__).resolve().parents[2]
BAD_MARKS = [
    mark(1, DAY),
    mark(1, DAY, code="H"),
    mark(1, DAY),
    mark(2, DAY, session="XM"),
    mark(7, DAY),
]


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_check_reports_each_problem_with_its_line(tmp_path: Path) -> None:
    roster = _write(tmp_path, "roster.csv", csv_text(FeedKind.ROSTER, [pupil(1), pupil(2)]))
    marks = _write(tmp_path, "marks.csv", csv_text(FeedKind.MARKS, BAD_MARKS))
    report = check_files([marks, roster])
    assert [(f.file, f.line, f.reason) for f in report.findings] == [
        ("marks.csv", 3, "code_retired"),
        ("marks.csv", 4, "duplicate_in_batch"),
        ("marks.csv", 5, "bad_session"),
        ("marks.csv", 6, "unknown_enrolment"),
    ]


def test_without_a_roster_or_the_store_enrolments_are_not_checked(tmp_path: Path) -> None:
    marks = _write(tmp_path, "marks.csv", csv_text(FeedKind.MARKS, [mark(7, DAY)]))
    assert check_files([marks]).findings == []


def test_the_command_exits_1_and_prints_file_and_line(tmp_path: Path) -> None:
    roster = _write(tmp_path, "roster.csv", csv_text(FeedKind.ROSTER, [pupil(1)]))
    marks = _write(tmp_path, "marks.csv", csv_text(FeedKind.MARKS, [mark(1, DAY), mark(1, DAY, code="ZZ")]))
    result = CliRunner().invoke(main, ["feed", "check", str(roster), str(marks)])
    assert result.exit_code == 1
    assert result.stdout == "marks.csv:3: code_unknown: code 'ZZ' is not an attendance code\n"


def test_the_command_exits_0_for_a_clean_file(tmp_path: Path) -> None:
    schools = _write(tmp_path, "schools.csv", csv_text(FeedKind.SCHOOLS, [school()]))
    result = CliRunner().invoke(main, ["feed", "check", "--json", str(schools)])
    assert (result.exit_code, result.stdout) == (0, "")


async def test_check_and_ingest_give_the_same_reasons_on_the_same_lines(aconn, tmp_path: Path) -> None:
    roster_text = csv_text(FeedKind.ROSTER, [pupil(1), pupil(2), pupil(3, sex="X")])
    marks_text = csv_text(FeedKind.MARKS, BAD_MARKS)
    roster = _write(tmp_path, "roster.csv", roster_text)
    marks = _write(tmp_path, "marks.csv", marks_text)
    report = check_files([roster, marks])
    await ingest(aconn, FeedKind.ROSTER, roster_text.encode())
    await ingest(aconn, FeedKind.MARKS, marks_text.encode())
    stored = await fetch(
        aconn,
        "SELECT b.feed_kind, r.line_number, r.reason_code FROM ingest_rejects r JOIN ingest_batches b"
        " USING (batch_id) ORDER BY b.batch_id, r.line_number",
    )
    assert [(f.file.removesuffix(".csv"), f.line, f.reason) for f in report.findings] == stored


def test_the_schema_lists_exactly_the_feed_columns() -> None:
    schema = json.loads((ROOT / "docs" / "feed.schema.json").read_text())
    for kind in FeedKind:
        definition = schema["$defs"][kind.value]
        assert tuple(definition["x-csv-columns"]) == COLUMNS[kind] + EXTRA_COLUMNS[kind]
        assert set(definition["required"]) == set(COLUMNS[kind]) - OPTIONAL


def test_the_schema_accepts_good_records_and_refuses_bad_ones() -> None:
    validator = jsonschema_rs.validator_for(json.loads((ROOT / "docs" / "feed.schema.json").read_text()))
    assert validator.is_valid(mark(1, DAY))
    assert validator.is_valid(pupil(1))
    assert validator.is_valid(school(URN_A))
    assert validator.is_valid(school(URN_A, trust=7))
    assert validator.is_valid(school(URN_A, trust=0))
    assert not validator.is_valid({k: v for k, v in school(URN_A, trust=7).items() if k != "trust_name"})
    assert not validator.is_valid(mark(1, DAY, session="XM"))
    assert not validator.is_valid({k: v for k, v in mark(1, DAY).items() if k != "code"})


async def test_against_db_checks_marks_against_the_stored_enrolments(
    aconn, ingest_urls, tmp_path: Path
) -> None:
    await ingest(aconn, FeedKind.ROSTER, csv_text(FeedKind.ROSTER, [pupil(1)]).encode())
    marks = _write(
        tmp_path,
        "marks.csv",
        csv_text(FeedKind.MARKS, [mark(1, DAY), mark(2, DAY), mark(1, DAY, urn=100009)]),
    )
    env = {"DATABASE_URL": ingest_urls.admin}
    result = CliRunner().invoke(main, ["feed", "check", "--against-db", str(marks)], env=env)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "marks.csv:3: unknown_enrolment: this pupil is not enrolled at school 100001",
        "marks.csv:4: unknown_school: no school with urn 100009",
    ]
