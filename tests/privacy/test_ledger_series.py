"""Series named by what a cell counts, and releases read with the publication that made them (issue 16:
cross-route chains). One series may hold a perturbed summary count beside a rounded daily one."""

from __future__ import annotations

from datetime import date

import pytest

from gateway.privacy.differencing import WINDOW, Publication, Release, check_releases
from gateway.privacy.disclosure import DisclosureProfile, protect
from gateway.privacy.releases import path_series, released_counts, series_area, series_measure
from tests.privacy.profiles import PROFILES, ROUNDING_ONLY

KEYED = Publication.of(DisclosureProfile.from_policy(PROFILES["published"]))
ROUNDED = Publication.of(DisclosureProfile.from_policy(ROUNDING_ONLY))
DAY = date(2025, 9, 8)


def _shifts(mask: int) -> list[int]:
    return [bit - WINDOW for bit in range(2 * WINDOW + 1) if mask >> bit & 1]


def test_series_are_named_by_population_not_by_route() -> None:
    assert series_area("national") == "England"
    assert series_area("region", "London") == "region London"
    assert series_area("la", 886) == "la 886"
    assert series_area("school", 100001) == "school 100001"
    assert series_area("trust", 7) == "trust 7"
    assert series_area("la", 886, others_than=100001) == "la 886 other than school 100001"
    assert series_area("national", others_than=100001) == "England other than school 100001"
    assert series_area("similar", 100001) == "similar schools to school 100001"


def test_a_hierarchy_path_names_the_same_series_at_any_depth_of_request() -> None:
    assert path_series(("E92000001",)) == "England"
    assert path_series(("E92000001", "London")) == "region London"
    assert path_series(("E92000001", "London", "202")) == "la 202"
    assert path_series(("E92000001", "London", "202", "100001")) == "school 100001"
    assert path_series(("E92000001", "7"), trust=True) == "trust 7"


def test_a_summary_s_enrolments_and_a_daily_row_s_pupils_are_one_measure() -> None:
    assert series_measure("enrolments") == series_measure("pupils") == "pupils"
    assert series_measure("severe_absentees") == "severe_absentees"


def test_released_counts_use_the_series_names() -> None:
    rows = [{"area": ("E92000001", "London", "202", "100001"), "group": None, "enrolments": 40}]
    table = protect(rows, ["enrolments"], DisclosureProfile.from_policy(ROUNDING_ONLY))
    releases = released_counts(rows, ["enrolments"], table, date_from=DAY, date_to=DAY)
    assert {(r.area, r.measure, r.true_value) for r in releases} == {
        ("England", "pupils", 40),
        ("region London", "pupils", 40),
        ("la 202", "pupils", 40),
        ("school 100001", "pupils", 40),
    }


def test_a_publication_s_scheme_names_it_and_reads_back_as_the_same_publication() -> None:
    assert KEYED.scheme == "t=10;z=0;r=5;p=ckm-t10-d10-v3-r1"
    assert ROUNDED.scheme == "t=10;z=0;r=5;p="
    assert Publication.of_scheme(KEYED.scheme) == KEYED
    assert Publication.of_scheme(ROUNDED.scheme) == ROUNDED


@pytest.mark.parametrize("scheme", ["", "t=10;z=0", "t=ten;z=0;r=5;p=", "t=10;z=0;r=5;p=no-such-table"])
def test_a_scheme_this_code_did_not_write_is_refused(scheme: str) -> None:
    with pytest.raises(ValueError, match="not a publication scheme"):
        Publication.of_scheme(scheme)


def test_a_shown_zero_is_a_true_zero() -> None:
    """A profile that shows zeros publishes a true 0 as 0: the release allows exactly that value (before,
    it allowed nothing, and every series holding a shown zero read as pinned)."""
    assert _shifts(ROUNDED.shift_mask(0, 0)) == [0]
    assert ROUNDED.preimage(0, 0).values == frozenset({0})
    assert _shifts(ROUNDED.shift_mask(0, 3)) == [-3]


def test_a_series_mixing_schemes_reads_each_release_with_its_own() -> None:
    """A school's pupils perturbed in a summary (40 may be 35..49 under the keyed p-table, rounded) and
    rounded in a daily row one pupil larger (45: 43..47 as 43 true). Read with its own scheme each, the
    series keeps several shifts; read as if the daily row were perturbed too, it would keep others."""
    summary = Release("school 1", DAY, DAY, (), "pupils", 40, 41, 200, KEYED.scheme)
    daily = Release("school 1", DAY, DAY, (), "pupils", 45, 42, None, ROUNDED.scheme)
    mixed = KEYED.shift_mask(40, 41) & ROUNDED.shift_mask(45, 42)
    assert _shifts(mixed) == [1, 2, 3, 4, 5]
    assert check_releases([daily], [summary], KEYED).allowed
    # A rounding flip in the daily rows pins the series: 47 is 45 (43..47) and one more is 50 (48..52).
    flip = Release("school 1", DAY, DAY, (), "pupils", 50, 43 + 5, None, ROUNDED.scheme)
    tight = Release("school 1", DAY, DAY, (), "pupils", 45, 47, None, ROUNDED.scheme)
    verdict = check_releases([flip], [summary, tight], KEYED)
    assert (verdict.allowed, verdict.rule) == (False, "differencing_would_pin")


def test_a_release_without_a_scheme_is_read_with_the_checking_publication() -> None:
    old = Release("school 1", DAY, DAY, (), "pupils", 45, 47)
    assert check_releases([old], [], ROUNDED).allowed
    flip = Release("school 1", DAY, DAY, (), "pupils", 50, 48, None, ROUNDED.scheme)
    assert not check_releases([flip], [old], ROUNDED).allowed
    assert check_releases([flip], [old], KEYED).allowed  # the old one read as perturbed allows more
