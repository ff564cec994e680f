"""Schools and rosters look like England's: valid UPNs, plausible ages, phase mix, feed format."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
from hypothesis import event, given
from hypothesis import strategies as st
from stdnum.gb import upn as stdnum_upn

from gateway.store.ethnicity import ETHNICITY_MAJOR
from gateway.store.reference import local_authority_by_code
from gateway.synth.feed import ROSTER_FIELDS, SCHOOL_FIELDS
from gateway.synth.generate import Manifest
from gateway.synth.schools import phase_counts
from gateway.synth.upns import make_upns
from tests.synth.feedfiles import read_csv

STDNUM_LAS = sorted(stdnum_upn._la_numbers)


def test_every_roster_upn_is_valid_for_python_stdnum(small_dataset: tuple[Path, Manifest]) -> None:
    folder, _ = small_dataset
    upns = [row["upn"] for row in read_csv(folder / "roster.csv.gz")]
    assert [u for u in upns if not stdnum_upn.is_valid(u)] == []


def test_a_upn_has_two_enrolments_only_when_the_pupil_moved_school(
    small_dataset: tuple[Path, Manifest],
) -> None:
    folder, manifest = small_dataset
    rows = list(read_csv(folder / "roster.csv.gz"))
    by_upn: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_upn.setdefault(row["upn"], []).append(row)
    moved = [r for r in by_upn.values() if len(r) > 1]
    assert len(moved) == manifest.counts["movers"] > 0
    for pair in moved:
        first, second = sorted(pair, key=lambda r: r["admission_date"])
        assert first["urn"] != second["urn"]
        assert (first["forename"], first["date_of_birth"]) == (second["forename"], second["date_of_birth"])
        assert first["leaving_date"] < second["admission_date"]


@given(
    st.lists(
        st.tuples(st.sampled_from(STDNUM_LAS), st.integers(1000, 7999), st.integers(2005, 2026)),
        min_size=1,
        max_size=50,
    )
)
def test_bulk_upns_are_valid_and_unique(allocations: list[tuple[int, int, int]]) -> None:
    la, estab, year = (np.array(column, dtype=np.int64) for column in zip(*allocations, strict=True))
    upns = make_upns(la, estab, year)
    schools = {(a, e) for a, e, _ in allocations}
    event("several pupils at one school" if len(schools) < len(allocations) else "one pupil per school")
    assert all(stdnum_upn.is_valid(u) for u in upns)
    assert len(set(upns)) == len(upns)
    assert [u[1:8] for u in upns] == [f"{a}{e}" for a, e in zip(la.tolist(), estab.tolist(), strict=True)]


def test_dates_of_birth_match_year_groups(small_dataset: tuple[Path, Manifest]) -> None:
    folder, _ = small_dataset
    for row in read_csv(folder / "roster.csv.gz"):
        year = int(row["year_group"])
        born = date.fromisoformat(row["date_of_birth"])
        assert date(2020 - year, 9, 1) <= born <= date(2021 - year, 8, 31), row["year_group"]


def test_phase_mix_is_80_16_4_percent_of_schools() -> None:
    assert phase_counts(150) == (120, 24, 6)
    assert phase_counts(12) == (10, 2, 0)


def test_schools_file_uses_real_las_and_phase_estab_ranges(small_dataset: tuple[Path, Manifest]) -> None:
    folder, manifest = small_dataset
    rows = list(read_csv(folder / "schools.csv"))
    assert tuple(rows[0]) == SCHOOL_FIELDS
    ranges = {"primary": (1000, 3999), "secondary": (4000, 4999), "special": (7000, 7999)}
    for row in rows:
        assert 100000 <= int(row["urn"]) <= 999999
        assert int(row["la_code"]) in local_authority_by_code()
        low, high = ranges[row["phase"]]
        assert low <= int(row["estab_number"]) <= high
    assert {la["la_code"] for la in manifest.local_authorities} == {int(r["la_code"]) for r in rows}


def test_roster_rows_follow_the_feed_contract(small_dataset: tuple[Path, Manifest]) -> None:
    folder, _ = small_dataset
    rows = list(read_csv(folder / "roster.csv.gz"))
    assert tuple(rows[0]) == ROSTER_FIELDS
    for row in rows:
        assert row["sex"] in ("F", "M")
        assert row["ethnicity"] in ETHNICITY_MAJOR
        assert row["sen_provision"] in ("N", "K", "E")
        for flag in (
            "fsm",
            "looked_after",
            "previously_looked_after",
            "child_in_need",
            "child_protection_plan",
        ):
            assert row[flag] in ("true", "false")
        assert row["leaving_date"] == "" or row["leaving_date"] >= row["admission_date"]
        assert row["recorded_at"].endswith("+00:00")


def test_characteristics_have_national_shares(small_dataset: tuple[Path, Manifest]) -> None:
    folder, _ = small_dataset
    rows = list(read_csv(folder / "roster.csv.gz"))
    share = {
        "fsm": np.mean([r["fsm"] == "true" for r in rows]),
        "sen_support": np.mean([r["sen_provision"] == "K" for r in rows]),
        "ehc_plan": np.mean([r["sen_provision"] == "E" for r in rows]),
        "looked_after": np.mean([r["looked_after"] == "true" for r in rows]),
        "white_british": np.mean([r["ethnicity"] == "WBRI" for r in rows]),
    }
    assert 0.18 <= share["fsm"] <= 0.40
    assert 0.10 <= share["sen_support"] <= 0.17
    assert 0.015 <= share["ehc_plan"] <= 0.06
    assert 0.001 <= share["looked_after"] <= 0.012
    assert 0.35 <= share["white_british"] <= 0.75
