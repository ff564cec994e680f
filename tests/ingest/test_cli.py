"""`gateway ingest` loads files in run order and prints a summary per file."""

from __future__ import annotations

from pathlib import Path

import psycopg
from click.testing import CliRunner

from gateway.cli import main
from gateway.db.urls import DatabaseUrls
from gateway.ingest.feed import FeedKind
from tests.ingest.conftest import STORE
from tests.ingest.feeds import csv_text, mark, pupil, school

DAY = "2024-09-02"


def test_ingest_command_loads_schools_roster_then_marks_and_summarises(
    ingest_urls: DatabaseUrls, tmp_path: Path
) -> None:
    with psycopg.connect(ingest_urls.admin, autocommit=True) as conn:
        conn.execute(f"TRUNCATE {STORE} CASCADE")  # type: ignore[arg-type]
    files = {
        "a-marks.csv": csv_text(FeedKind.MARKS, [mark(1, DAY), mark(1, DAY, code="ZZ")]),
        "b-roster.csv": csv_text(FeedKind.ROSTER, [pupil(1)]),
        "c-schools.csv": csv_text(FeedKind.SCHOOLS, [school()]),
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    args = ["ingest", *(str(tmp_path / name) for name in files)]
    result = CliRunner().invoke(main, args, env={"DATABASE_URL": ingest_urls.admin})
    assert result.exit_code == 0, result.output
    lines = [line.split(": ", 1)[1].split(" in ")[0] for line in result.stdout.splitlines()]
    assert lines == [
        "accepted 1, updated 0, unchanged 0, rejected 0 [none]",
        "accepted 1, updated 0, unchanged 0, rejected 0 [none]",
        "accepted 1, updated 0, unchanged 0, rejected 1 [code_unknown 1]",
    ]
    assert [line.split(" ")[0] for line in result.stdout.splitlines()] == list(reversed(files))


def test_ingest_command_fails_whole_on_a_file_of_no_kind(ingest_urls: DatabaseUrls, tmp_path: Path) -> None:
    junk = tmp_path / "junk.csv"
    junk.write_text("a,b\n1,2\n")
    result = CliRunner().invoke(main, ["ingest", str(junk)], env={"DATABASE_URL": ingest_urls.admin})
    assert result.exit_code == 1
    assert "matches no feed kind" in result.stderr
