"""A run loads schools, then rosters, then marks, each day's marks file before its corrections."""

from __future__ import annotations

import gzip
from pathlib import Path

from gateway.ingest.feed import FeedKind
from gateway.ingest.run import order_for_run
from tests.ingest.feeds import csv_bytes, mark, pupil, school


def test_a_days_marks_come_before_its_corrections_whatever_the_given_order(tmp_path: Path) -> None:
    files = {
        "marks-2025-09-04-corrections.csv.gz": (FeedKind.MARKS, [mark(1, "2025-09-04")]),
        "marks-2025-09-03-corrections.csv.gz": (FeedKind.MARKS, [mark(1, "2025-09-03")]),
        "marks-2025-09-04.csv.gz": (FeedKind.MARKS, [mark(1, "2025-09-04")]),
        "marks-2025-09-03.csv.gz": (FeedKind.MARKS, [mark(1, "2025-09-03")]),
        "roster.csv.gz": (FeedKind.ROSTER, [pupil(1)]),
        "schools.csv": (FeedKind.SCHOOLS, [school()]),
    }
    for name, (kind, rows) in files.items():
        data = csv_bytes(kind, rows)
        (tmp_path / name).write_bytes(gzip.compress(data) if name.endswith(".gz") else data)

    ordered = order_for_run(sorted(tmp_path.iterdir()))

    assert [(path.name, kind) for path, kind in ordered] == [
        ("schools.csv", FeedKind.SCHOOLS),
        ("roster.csv.gz", FeedKind.ROSTER),
        ("marks-2025-09-03.csv.gz", FeedKind.MARKS),
        ("marks-2025-09-03-corrections.csv.gz", FeedKind.MARKS),
        ("marks-2025-09-04.csv.gz", FeedKind.MARKS),
        ("marks-2025-09-04-corrections.csv.gz", FeedKind.MARKS),
    ]
