"""bench/ingest.py's feed shape: any --marks gives a run whose every mark can be accepted (dated within
the academic year from START, so never more than MAX_DAYS_AHEAD after recorded_at), or is refused."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from bench.ingest import RECORDED, START, YEAR_DAYS, ShapeError, feed_shape, write_feed
from gateway.ingest.validate import MAX_DAYS_AHEAD


@pytest.mark.parametrize("marks", [1, 3, 200_000, 2_000_000, 5_220_001, 14_000_000, 70_000_000])
def test_the_default_shape_fits_the_academic_year(marks: int) -> None:
    enrolments, days = feed_shape(marks)
    assert enrolments * days * 2 >= marks > enrolments * (days - 1) * 2
    assert days <= len(YEAR_DAYS)
    recorded = datetime.fromisoformat(RECORDED).date()
    assert (YEAR_DAYS[days - 1] - recorded).days <= MAX_DAYS_AHEAD


def test_two_million_keeps_its_old_shape_and_fourteen_million_raises_enrolments() -> None:
    assert feed_shape(2_000_000) == (10_000, 100)
    assert feed_shape(14_000_000) == (26_924, 260)
    assert len(YEAR_DAYS) == 260
    assert feed_shape(14_000_000, 7_000_000) == (7_000_000, 1)  # one national-sized day


def test_a_shape_beyond_the_year_is_refused() -> None:
    # The shape that made a 14 M run reject 8.74 M marks: 10,000 enrolments over 700 school days.
    with pytest.raises(ShapeError, match="academic year"):
        feed_shape(14_000_000, 10_000)
    with pytest.raises(ShapeError):
        feed_shape(0)


def test_written_marks_lie_in_the_year(tmp_path: Path) -> None:
    _, _, feed, written = write_feed(tmp_path, 2 * 260 * 3, seed=1)  # 3 enrolments, every day of the year
    assert written == 2 * 260 * 3
    dates = {line.split(",")[2] for line in feed.read_text().splitlines()[1:]}
    assert min(dates) == START.isoformat()
    assert max(dates) <= date(START.year + 1, 8, 31).isoformat()
