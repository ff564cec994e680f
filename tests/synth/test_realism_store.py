"""National figures computed from the store after ingest fall in realistic ranges (issue 2's realism test)."""

from __future__ import annotations

import psycopg
import pytest

from gateway.db.urls import resolve_database
from gateway.demo import DEMO_MIS_PRODUCT, DEMO_SENDER, DemoSummary, prepare_demo_data, summary_lines
from gateway.settings import Settings
from tests.synth.conftest import SMALL

# One worker loads the dataset once (about half a minute of ingest) and runs all of these.
pytestmark = pytest.mark.xdist_group("synth_store")


def test_store_figures_are_in_national_ranges(loaded_small: DemoSummary) -> None:
    headline = loaded_small.headline
    assert 6.0 <= headline.overall_absence_pct <= 8.0
    assert 15.0 <= headline.persistent_absence_pct <= 23.0
    assert 1.0 <= headline.severe_absence_pct <= 3.0


def test_store_figures_equal_the_generators_own(loaded_small: DemoSummary) -> None:
    truth = loaded_small.manifest.figures["all"]
    headline = loaded_small.headline
    assert (headline.enrolments, headline.possible_sessions) == (
        truth["enrolments"],
        truth["possible_sessions"],
    )
    assert headline.overall_absence_pct == truth["overall_absence_pct"]
    assert headline.persistent_absence_pct == truth["persistent_absence_pct"]
    assert headline.severe_absence_pct == truth["severe_absence_pct"]


def test_possible_sessions_exclude_not_counted_codes(
    synth_settings: Settings, loaded_small: DemoSummary
) -> None:
    urls = resolve_database(synth_settings)
    with psycopg.connect(urls.admin) as conn:
        row = conn.execute(
            """SELECT count(*) FILTER (WHERE c.category <> 'NC'), count(*) FILTER (WHERE c.category = 'NC')
               FROM marks m JOIN attendance_codes c
                 ON c.code = m.code AND c.valid_from <= m.date AND (c.valid_to IS NULL OR m.date < c.valid_to)"""
        ).fetchone()
    assert row is not None
    counted, not_counted = row
    assert counted == loaded_small.headline.possible_sessions
    assert not_counted > 0
    assert counted + not_counted == loaded_small.marks


def test_every_generated_row_is_accepted_and_corrections_replace_marks(loaded_small: DemoSummary) -> None:
    counts = loaded_small.manifest.counts
    assert loaded_small.schools == counts["schools"] == SMALL.schools
    assert (loaded_small.pupils, loaded_small.enrolments) == (counts["pupils"], counts["enrolments"])
    assert loaded_small.marks == counts["marks"]
    assert loaded_small.files_ingested == len(loaded_small.manifest.files)


def test_preparing_again_reuses_the_dataset_and_ingests_nothing(
    synth_settings: Settings, loaded_small: DemoSummary
) -> None:
    again = prepare_demo_data(synth_settings, SMALL)
    assert (again.generated, again.files_ingested, again.files_skipped) == (
        False,
        0,
        len(loaded_small.manifest.files),
    )
    assert again.headline == loaded_small.headline


def test_summary_names_las_and_events_but_no_pupil(loaded_small: DemoSummary) -> None:
    text = "\n".join(summary_lines(loaded_small))
    assert "202 Camden (London)" in text
    assert "strike day" in text
    assert "planned closure (#)" in text
    roster_upns = [line.split(",")[1] for line in _roster_lines(loaded_small)]
    assert not any(upn in text for upn in roster_upns)


def _roster_lines(summary: DemoSummary) -> list[str]:
    import gzip

    with gzip.open(summary.data_dir / "roster.csv.gz", "rt", encoding="utf-8") as stream:
        return stream.read().splitlines()[1:]


def test_the_years_cells_equal_the_generators_own_figures(
    synth_settings: Settings, loaded_small: DemoSummary
) -> None:
    truth = loaded_small.manifest.figures["all"]
    urls = resolve_database(synth_settings)
    with psycopg.connect(urls.admin) as conn:
        row = conn.execute(
            "SELECT sum(enrolments), sum(possible), sum(persistent), sum(severe) FROM la_cell"
            " WHERE period_id = 20250 AND dim = 0"
        ).fetchone()
    assert row is not None
    enrolments, possible, persistent, severe = (int(v) for v in row)
    assert (enrolments, possible) == (truth["enrolments"], truth["possible_sessions"])
    assert round(100.0 * persistent / enrolments, 2) == truth["persistent_absence_pct"]
    assert round(100.0 * severe / enrolments, 2) == truth["severe_absence_pct"]


def test_the_stores_trusts_are_the_generators(synth_settings: Settings, loaded_small: DemoSummary) -> None:
    urls = resolve_database(synth_settings)
    with psycopg.connect(urls.admin) as conn:
        stored = conn.execute(
            "SELECT t.trust_id, t.name, array_agg(s.urn ORDER BY s.urn) FROM trusts t"
            " JOIN schools s USING (trust_id) GROUP BY 1, 2 ORDER BY 1"
        ).fetchall()
    expected = [(t["trust_id"], t["name"], sorted(t["urns"])) for t in loaded_small.manifest.trusts]
    assert stored == expected
    assert len(expected) == loaded_small.manifest.counts["trusts"] > 0


def test_every_demo_batch_names_the_generator_as_its_mis_and_the_loader_as_its_sender(
    synth_settings: Settings, loaded_small: DemoSummary
) -> None:
    rows = _fetch(
        synth_settings,
        "SELECT mis_product, mis_version, sender, count(*) FROM ingest_batches GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
    )
    assert rows == [
        (
            DEMO_MIS_PRODUCT,
            loaded_small.manifest.generator_version,
            DEMO_SENDER,
            len(loaded_small.manifest.files),
        )
    ]


def _fetch(settings: Settings, query: str) -> list[tuple[object, ...]]:
    with psycopg.connect(resolve_database(settings).admin) as conn:
        return conn.execute(query).fetchall()
