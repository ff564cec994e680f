"""The query space: period grid, published breakdowns and minimum population, as data and pure checks."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from gateway.privacy.disclosure import DisclosureError, DisclosureProfile
from gateway.privacy.query_space import (
    PERIOD_KINDS,
    QuerySpace,
    QuerySpaceError,
    SchoolTerm,
    Violation,
    cells_below_minimum,
    check_query,
    describe_query_space,
    period_kinds,
    served_kinds,
    year_to_date_end,
)
from gateway.synth.calendar import TERMS
from tests.privacy.profiles import PROFILES, policy_profiles

CALENDAR = [SchoolTerm(t.name, t.start, t.end, t.half_term_start, t.half_term_end) for t in TERMS]
AUTUMN_2025 = next(t for t in CALENDAR if t.name == "autumn-2025")


def _space(name: str) -> QuerySpace:
    return DisclosureProfile.from_policy(policy_profiles()[name]).query_space


@pytest.mark.parametrize(
    ("date_from", "date_to", "kinds"),
    [
        (date(2025, 9, 8), date(2025, 9, 14), ("week",)),
        (date(2025, 10, 1), date(2025, 10, 31), ("month",)),
        (date(2025, 2, 1), date(2025, 2, 28), ("month",)),
        (date(2025, 12, 1), date(2025, 12, 31), ("month",)),
        (AUTUMN_2025.start, AUTUMN_2025.end, ("term",)),
        (AUTUMN_2025.start, date(2025, 10, 26), ("half_term",)),
        (date(2025, 11, 1), AUTUMN_2025.end, ("half_term",)),
        (date(2025, 9, 1), date(2025, 11, 30), ("year_to_date",)),
        (date(2025, 9, 1), date(2025, 9, 30), ("month",)),  # a September month is not a year to date
        (date(2025, 9, 8), date(2025, 9, 15), ()),  # a week and a day
        (date(2025, 9, 9), date(2025, 9, 15), ()),  # Tuesday to Monday
        (date(2025, 9, 2), date(2025, 11, 30), ()),  # a year to date starts on 1 September
        (date(2025, 9, 1), date(2025, 11, 28), ()),  # ... and ends on a Sunday
    ],
)
def test_period_kinds(date_from: date, date_to: date, kinds: tuple[str, ...]) -> None:
    assert period_kinds(date_from, date_to, CALENDAR) == kinds


def test_a_range_off_the_grid_is_refused_with_the_grid_named() -> None:
    violations = check_query(
        _space("published"),
        level="la",
        breakdown=None,
        date_from=date(2025, 9, 8),
        date_to=date(2025, 9, 15),
        calendar=CALENDAR,
    )
    assert violations == [
        Violation(
            "period_not_on_grid",
            "2025-09-08 to 2025-09-15 is not one whole period of: week, month, half_term, term, year_to_date",
        )
    ]


def test_casework_allows_free_ranges_and_any_breakdown() -> None:
    assert (
        check_query(
            _space("casework"),
            level="school",
            breakdown="year_group",
            date_from=date(2025, 9, 9),
            date_to=date(2025, 9, 10),
            calendar=CALENDAR,
        )
        == []
    )


def test_breakdowns_come_only_from_the_published_list_for_the_level() -> None:
    space = _space("published")
    week: dict[str, Any] = {"date_from": date(2025, 9, 8), "date_to": date(2025, 9, 14), "calendar": CALENDAR}
    assert check_query(space, level="la", breakdown="year_group", **week) == []
    assert check_query(space, level="school", breakdown="year_group", **week) == [
        Violation(
            "breakdown_not_published",
            "breakdown 'year_group' is not published at school level (published: fsm, sen, sex)",
        )
    ]
    assert [
        v.rule for v in check_query(_space("school-benchmark"), level="school", breakdown="sex", **week)
    ] == [
        "period_not_on_grid",
        "breakdown_not_published",
    ]
    assert [v.rule for v in check_query(space, level="ward", breakdown=None, **week)] == [
        "level_not_published"
    ]


def test_filtered_cells_below_the_minimum_population_are_not_served() -> None:
    space = _space("research")
    cells = [("100001/Year 7", 9), ("100001/Year 8", 10), ("100002/Year 7", 0)]
    assert cells_below_minimum(space, cells, filtered=True) == ["100001/Year 7", "100002/Year 7"]
    assert cells_below_minimum(space, cells, filtered=False) == []
    assert cells_below_minimum(_space("casework"), cells, filtered=True) == []


# Casework releases named pupils to their own caseworkers; the transparency report counts accesses (audit
# events, not pupils): neither is a pupil aggregate, so neither has a grid, a minimum or a ledger.
NOT_PUPIL_AGGREGATES = {"casework", "transparency-report"}


def test_every_aggregate_profile_declares_a_grid_and_a_minimum_and_the_ledger() -> None:
    for name, profile in policy_profiles().items():
        space = DisclosureProfile.from_policy(profile).query_space
        if name in NOT_PUPIL_AGGREGATES:
            assert (space.periods, space.min_population, space.ledger) == (None, 0, False)
        else:
            assert space.periods is not None
            assert space.min_population == 10
            assert space.ledger is True
    assert _space("school-benchmark").describe() == {
        "periods": ["term", "year_to_date"],
        "min_population": 10,
        "breakdowns": {"national": [], "region": [], "la": [], "school": [], "trust": []},
        "ledger": True,
        "named_periods": "academic years where terms are served; ytd ends on the Sunday closing the latest "
        "complete week",
    }


def test_describe_query_space_reads_the_profile_as_the_decision_carries_it() -> None:
    assert describe_query_space(policy_profiles()["published"]) == _space("published").describe()
    assert describe_query_space(policy_profiles()["casework"])["periods"] == "free"
    with pytest.raises(QuerySpaceError, match="carries no query_space"):
        describe_query_space({"name": "published"})


def test_the_trust_level_publishes_the_school_list_unless_the_data_names_its_own() -> None:
    space = _space("published")
    assert space.breakdowns_at("trust") == space.breakdowns_at("school") == ("fsm", "sen", "sex")
    data = {**PROFILES["published"]["query_space"]}
    data["breakdowns"] = {**data["breakdowns"], "trust": ["fsm"]}
    assert QuerySpace.from_policy(data).breakdowns_at("trust") == ("fsm",)
    week: dict[str, Any] = {"date_from": date(2025, 9, 8), "date_to": date(2025, 9, 14), "calendar": CALENDAR}
    assert check_query(space, level="trust", breakdown="sex", **week) == []
    assert [v.rule for v in check_query(space, level="trust", breakdown="year_group", **week)] == [
        "breakdown_not_published"
    ]


def test_an_academic_year_is_served_wherever_terms_are() -> None:
    year: dict[str, Any] = {"date_from": date(2025, 9, 1), "date_to": date(2026, 8, 31), "calendar": CALENDAR}
    assert period_kinds(**year) == ("academic_year",)
    assert check_query(_space("school-benchmark"), level="school", breakdown=None, **year) == []
    weekly = QuerySpace(("week",), 10, _space("published").breakdowns, True)
    assert [v.rule for v in check_query(weekly, level="la", breakdown=None, **year)] == ["period_not_on_grid"]


@pytest.mark.parametrize(
    ("latest", "end"),
    [
        (date(2025, 10, 24), date(2025, 10, 26)),  # a Friday completes its week
        (date(2025, 10, 25), date(2025, 10, 26)),  # a Saturday session too
        (date(2025, 10, 26), date(2025, 10, 26)),
        (date(2025, 10, 23), date(2025, 10, 19)),  # Thursday: the week before is the latest complete one
        (date(2025, 10, 20), date(2025, 10, 19)),  # Monday
    ],
)
def test_the_grid_year_to_date_ends_on_the_sunday_closing_the_latest_complete_week(
    latest: date, end: date
) -> None:
    assert year_to_date_end(latest) == end
    assert "year_to_date" in period_kinds(date(2025, 9, 1), end, CALENDAR)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"periods": ["fortnight"]}, "periods must be 'free' or distinct kinds"),
        ({"periods": []}, "periods must be 'free' or distinct kinds"),
        ({"min_population": -1}, "min_population must be an integer >= 0"),
        ({"min_population": True}, "min_population must be an integer >= 0"),
        ({"breakdowns": {"national": []}}, "breakdowns must list every level"),
        (
            {"breakdowns": {lv: [] for lv in ("national", "region", "la", "school", "ward")}},
            "breakdowns must list every level",
        ),
        ({"ledger": "yes"}, "ledger must be true or false"),
        ({"colour": "red"}, "query_space needs exactly the keys"),
    ],
)
def test_a_malformed_query_space_refuses_the_profile(change: dict[str, Any], message: str) -> None:
    profile = {**PROFILES["published"], "query_space": {**PROFILES["published"]["query_space"], **change}}
    with pytest.raises(DisclosureError, match=message):
        DisclosureProfile.from_policy(profile)


def test_a_breakdown_list_naming_an_unknown_breakdown_refuses_the_profile() -> None:
    space = PROFILES["published"]["query_space"]
    bad = {**space, "breakdowns": {**space["breakdowns"], "school": ["shoe_size"]}}
    with pytest.raises(DisclosureError, match=r"breakdowns\['school'\] must be a list"):
        DisclosureProfile.from_policy({**PROFILES["published"], "query_space": bad})


def test_exact_own_figures_names_only_the_school_its_la_or_its_trust() -> None:
    assert DisclosureProfile.from_policy(PROFILES["school-benchmark"]).exact_own_figures == ("school",)
    with pytest.raises(DisclosureError, match="'exact_own_figures' must be a list from"):
        DisclosureProfile.from_policy({**PROFILES["published"], "exact_own_figures": ["dfe"]})


def test_a_profile_with_free_ranges_serves_every_period_kind_and_academic_years() -> None:
    assert served_kinds(_space("casework")) == frozenset((*PERIOD_KINDS, "academic_year"))
