"""Issue 10 section 5: the research profile differenced across queries, over many query pairs.

Three kinds of pair on one school's microdata: the same geography with and without a filter (the
female total from a by-sex table minus the other year groups of a female-by-year-group table), two
ranges a day apart, and overlapping ranges. Exact counts with per-table suppression gave cells away
exactly; the research profile now perturbs with the key-dependent p-table and its releases go through
the ledger, and no count under the threshold is left with a single possible value.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from gateway.privacy.differencing import Publication, Release, check_releases
from gateway.privacy.disclosure import DisclosureProfile, protect
from gateway.privacy.ptable import named_ptable
from tests.privacy.profiles import EXACT_WITH_SUPPRESSION, PROFILES, PTABLE
from tests.privacy.walks import feasible_shifts

RESEARCH = PROFILES["research"]
YEARS = ("Year 7", "Year 8", "Year 9", "Year 10", "Year 11")
START = date(2025, 9, 1)

pupil = st.fixed_dictionaries(
    {
        "school": st.sampled_from(["S1", "S2"]),
        "sex": st.sampled_from(["female", "male"]),
        "year": st.sampled_from(YEARS),
        "key": st.integers(0, 255),
        "joined": st.one_of(st.just(0), st.integers(0, 12)),
        "left": st.one_of(st.none(), st.integers(1, 14)),
    }
)


def _in_period(p: dict[str, Any], first: int, last: int) -> bool:
    return p["joined"] <= last and (p["left"] is None or p["left"] >= first)


def _table(
    pupils: list[dict[str, Any]], first: int, last: int, breakdown: str, female_only: bool
) -> dict[tuple[str, str], Any]:
    """School x group leaves of one query, with record-key sums, protected by the research profile."""
    groups = YEARS if breakdown == "year" else ("female", "male")
    rows = []
    for school in ("S1", "S2"):
        for group in groups:
            cell = [
                p
                for p in pupils
                if p["school"] == school
                and p[breakdown] == group
                and (p["sex"] == "female" or not female_only)
                and _in_period(p, first, last)
            ]
            rows.append(
                {
                    "area": ("E92000001", "886", school),
                    "group": group,
                    "n": len(cell),
                    "record_key_sum": sum(p["key"] for p in cell),
                }
            )
    table = protect(rows, ["n"], RESEARCH)
    return {
        (c.area[-1], str(c.group)): (c.values["n"], _true(rows, c.area, c.group))
        for c in table.cells
        if len(c.area) == 3
    }


def _true(rows: list[dict[str, Any]], area: tuple[str, ...], group: str | None) -> int:
    return sum(r["n"] for r in rows if r["area"] == area and (group == "Total" or r["group"] == group))


def _counts(published: int | str) -> frozenset[int]:
    table = named_ptable(PTABLE)
    return table.preimage(0) | {0} if published == "c" else table.preimage(int(published))


def _sums(sets: Iterable[frozenset[int]]) -> set[int]:
    total = {0}
    for s in sets:
        total = {a + b for a in total for b in s}
    return total


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(pupils=st.lists(pupil, min_size=5, max_size=120), first=st.integers(0, 6), length=st.integers(0, 7))
def test_no_query_pair_pins_a_small_research_count(
    pupils: list[dict[str, Any]], first: int, length: int
) -> None:
    last = first + length
    publication = Publication.of(DisclosureProfile.from_policy(RESEARCH))
    # (a) with and without a filter: female total (by sex, no filter) minus the other female year groups.
    by_sex = _table(pupils, first, last, "sex", female_only=False)
    female_by_year = _table(pupils, first, last, "year", female_only=True)
    for school in ("S1", "S2"):
        total_pub, _ = by_sex[(school, "female")]
        for year in YEARS:
            target_pub, target_true = female_by_year[(school, year)]
            others = [_counts(female_by_year[(school, y)][0]) for y in YEARS if y != year]
            via_total = {t - o for t in _counts(total_pub) for o in _sums(others)}
            feasible = _counts(target_pub) & via_total
            assert target_true in feasible
            if target_true < 10:
                event("filter pair: target under the threshold")
                assert len(feasible) >= 2
    # (b) ranges a day apart and (c) overlapping ranges: each female x year cell is a chain through the ledger.
    answered: list[Release] = []
    for a, b in ((first, last), (first, last + 1), (first + 1, last + 1), (max(first - 2, 0), last)):
        table = _table(pupils, a, b, "year", female_only=True)
        for (school, year), (published, true_value) in sorted(table.items()):
            release = Release(
                school,
                START + timedelta(a),
                START + timedelta(b),
                (("sex", "female"), ("year_group", year)),
                "n",
                published,
                true_value,
            )
            if check_releases([release], answered, publication).allowed:
                answered.append(release)
            else:
                event("period pair: the ledger refused a release")
    chains: dict[tuple[object, ...], list[Release]] = {}
    for release in answered:
        chains.setdefault(release.chain, []).append(release)
    for chain in chains.values():
        if any(publication.sensitive(r.true_value, 60) for r in chain):
            event("period pair: chain with a small count")
            assert len(feasible_shifts(RESEARCH, chain)) >= 2


def test_exact_counts_with_suppression_give_a_small_cell_away_across_two_ranges_a_day_apart() -> None:
    # What research published before: c for 9 pupils, then 10 exactly once one more pupil has joined.
    def one(n: int) -> int | str:
        rows = [{"area": ("E92000001", "886", "S1"), "group": None, "n": n}]
        return protect(rows, ["n"], EXACT_WITH_SUPPRESSION).cell(("E92000001", "886", "S1")).values["n"]

    releases = [
        Release("S1", START, START, (), "n", one(9), 9),
        Release("S1", START, START + timedelta(1), (), "n", one(10), 10),
    ]
    assert [r.published for r in releases] == ["c", 10]
    assert feasible_shifts(EXACT_WITH_SUPPRESSION, releases) == [0]  # 9 exactly
    assert not check_releases(
        releases[1:], releases[:1], Publication.of(DisclosureProfile.from_policy(EXACT_WITH_SUPPRESSION))
    ).allowed
