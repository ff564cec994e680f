"""protect(): profiles from policy data, symbols, rounding of totals, rates, dominance and differencing."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from gateway.privacy.disclosure import DisclosureError, DisclosureProfile, Measure, protect
from tests.privacy.profiles import EXACT_WITH_SUPPRESSION, ONS_10_5, PROFILES, ROUNDING_ONLY, policy_profiles
from tests.privacy.strategies import count_rows


def _rows(*cells: tuple[str, str | None, int | None, int | None]) -> list[dict[str, Any]]:
    return [
        {"area": ("E", "886", school), "group": group, "enrolments": enrolled, "absent": absent}
        for school, group, enrolled, absent in cells
    ]


def test_every_policy_profile_parses_to_the_briefs_profiles() -> None:
    parsed = {name: DisclosureProfile.from_policy(p) for name, p in policy_profiles().items()}
    assert parsed == {name: DisclosureProfile.from_policy(p) for name, p in PROFILES.items()}
    assert sorted(p.name for p in parsed.values()) == [
        "casework",
        "ogd-aggregate",
        "published",
        "research",
        "school-benchmark",
        "transparency-report",
    ]


def test_profile_with_missing_or_extra_keys_is_refused() -> None:
    broken = {**PROFILES["ogd-aggregate"], "colour": "red"}
    del broken["secondary"]
    with pytest.raises(DisclosureError, match=r"missing \['secondary'\], unexpected \['colour'\]"):
        DisclosureProfile.from_policy(broken)


def test_casework_publishes_exact_counts_and_margins() -> None:
    table = protect(_rows(("a", None, 3, 1), ("b", None, 40, 8)), ["enrolments"], PROFILES["casework"])
    assert [(c.area, c.values["enrolments"]) for c in table.cells] == [
        (("E",), 43),
        (("E", "886"), 43),
        (("E", "886", "a"), 3),
        (("E", "886", "b"), 40),
    ]
    assert table.legend["profile"] == "casework"


def test_ogd_aggregate_suppresses_rounds_and_recomputes_totals() -> None:
    rows = _rows(("a", None, 3, 0), ("b", None, 12, 4), ("c", None, 41, 9), ("d", None, 57, 12))
    table = protect(rows, ["enrolments"], ROUNDING_ONLY)
    assert [c.values["enrolments"] for c in table.cells] == [110, 110, "c", "c", 40, 55]
    # 3 -> 5, 12 -> 10, 41 -> 40, 57 -> 55: the margin is the sum of the rounded cells.
    assert table.legend["symbols"]["c"].startswith("confidential")


def test_round_independently_rounds_each_margin_itself() -> None:
    profile = {**ROUNDING_ONLY, "totals": "round_independently"}
    rows = _rows(("a", None, 3, 0), ("b", None, 12, 4), ("c", None, 41, 9), ("d", None, 57, 12))
    table = protect(rows, ["enrolments"], profile)
    # The true total 113 rounds to 115 on its own, while the rounded parts add up to 110.
    assert [c.values["enrolments"] for c in table.cells] == [115, 115, "c", "c", 40, 55]


def test_low_marks_counts_that_round_to_zero_without_a_threshold() -> None:
    profile = {**ROUNDING_ONLY, "threshold": 0, "secondary": False}
    table = protect(_rows(("a", None, 2, 0), ("b", None, 40, 0)), ["enrolments"], profile)
    assert table.cell(("E", "886", "a")).values["enrolments"] == "low"
    assert table.cell(("E", "886", "b")).values["enrolments"] == 40


def test_unavailable_cells_and_their_margins_are_x() -> None:
    table = protect(_rows(("a", None, None, 0), ("b", None, 40, 0)), ["enrolments"], PROFILES["casework"])
    assert [c.values["enrolments"] for c in table.cells] == ["x", "x", "x", 40]


def test_rates_follow_their_counts_to_one_decimal() -> None:
    rows = _rows(("a", None, 3, 1), ("b", None, 45, 15), ("c", None, 50, 0), ("d", None, 0, 0))
    table = protect(
        rows, ["enrolments", "absent"], PROFILES["casework"], rates=[("rate", "absent", "enrolments")]
    )
    assert [c.rates["rate"] for c in table.cells] == [16.3, 16.3, 33.3, 33.3, 0.0, "z"]
    suppressed = protect(
        rows, ["enrolments", "absent"], ROUNDING_ONLY, rates=[("rate", "absent", "enrolments")]
    )
    assert [c.rates["rate"] for c in suppressed.cells] == [
        15.0,
        15.0,
        "c",
        "c",
        0.0,
        "z",
    ]  # 15 / 100 from the rounded counts


def test_rates_half_up_at_the_boundary() -> None:
    rows = _rows(("a", None, 8, 1))  # 12.5% exactly
    table = protect(
        rows, ["enrolments", "absent"], PROFILES["casework"], rates=[("rate", "absent", "enrolments")]
    )
    assert table.cell(("E", "886", "a")).rates["rate"] == 12.5
    rows = _rows(("a", None, 16, 1))  # 6.25%
    table = protect(
        rows, ["enrolments", "absent"], PROFILES["casework"], rates=[("rate", "absent", "enrolments")]
    )
    assert table.cell(("E", "886", "a")).rates["rate"] == 6.3


def test_breakdown_adds_a_total_column() -> None:
    rows = _rows(("a", "FSM", 30, 3), ("a", "Not FSM", 70, 7))
    table = protect(rows, ["enrolments"], PROFILES["casework"])
    assert table.cell(("E", "886", "a"), "Total").values["enrolments"] == 100
    assert {c.group for c in table.cells} == {"FSM", "Not FSM", "Total"}


def test_dominance_suppresses_a_magnitude_one_pupil_dominates() -> None:
    rows = [
        {"area": ("E", "886", "a"), "group": None, "pupils": 20, "sessions": 400, "sessions__top": [380, 10]},
        {"area": ("E", "886", "b"), "group": None, "pupils": 30, "sessions": 500, "sessions__top": [30, 30]},
        {"area": ("E", "886", "c"), "group": None, "pupils": 25, "sessions": 450, "sessions__top": [25, 25]},
    ]
    table = protect(rows, ["pupils", Measure("sessions", "magnitude", "pupils")], EXACT_WITH_SUPPRESSION)
    # 380 + 10 > 0.9 x 400 at school a; school c (the smallest) is suppressed so a cannot be recovered.
    assert [c.values["sessions"] for c in table.cells] == [1350, 1350, "c", 500, "c"]
    assert [c.values["pupils"] for c in table.cells] == [75, 75, 20, 30, 25]


def test_cell_key_needs_record_key_sums() -> None:
    with pytest.raises(DisclosureError, match="needs a record_key_sum for 'enrolments'"):
        protect(_rows(("a", None, 30, 3)), ["enrolments"], PROFILES["published"])


def test_negative_counts_are_refused() -> None:
    with pytest.raises(DisclosureError, match="'enrolments' must be a non-negative integer"):
        protect(_rows(("a", None, -1, 3)), ["enrolments"], PROFILES["casework"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=count_rows(max_regions=1, max_las=2, max_schools=3), small=st.integers(1, 9))
def test_differencing_two_overlapping_tables_never_yields_the_small_count(
    rows: list[dict[str, Any]], small: int
) -> None:
    # Table 1 covers every school in the LA; table 2 is the same LA by school. A school holding
    # `small` pupils (under the threshold) is isolated by: LA total - the published schools.
    rows = [{**r, "count": r["count"] + 10} for r in rows]  # every other school publishable
    first = rows[0]["area"]
    extra = {"area": (*first[:3], "ZSMALL"), "group": rows[0]["group"], "count": small}
    groups = {r["group"] for r in rows}
    all_rows = [
        *rows,
        *({**extra, "group": g, "count": small if g == extra["group"] else 10} for g in groups),
    ]
    all_rows = [{**r, "record_key_sum": 37 * r["count"] + len(r["area"][-1])} for r in all_rows]
    # ONS's key-blind 10-5 table needs secondary suppression (see the next test). Its
    # margins are rounded on their own, so the difference is off by at most 2 per published cell: with
    # at most 4 here, it can never cancel the >= 10 the secondary cell adds.
    for profile in (ROUNDING_ONLY, PROFILES["school-benchmark"], EXACT_WITH_SUPPRESSION, ONS_10_5):
        table = protect(all_rows, ["count"], profile)
        la = first[:3]
        column = extra["group"]
        la_total = table.cell(la, column).values["count"]
        schools = [c for c in table.cells if len(c.area) == 4 and c.area[:3] == la and c.group == column]
        published = [c.values["count"] for c in schools if isinstance(c.values["count"], int)]
        assert table.cell((*la, "ZSMALL"), column).values["count"] == "c"
        event(f"{profile['name']}: LA total {'published' if isinstance(la_total, int) else 'suppressed'}")
        # A suppressed LA total gives the attacker nothing to subtract from; a published one must not cancel.
        assert not isinstance(la_total, int) or la_total - sum(published) != small


def test_published_without_secondary_suppression_leaks_a_small_school_by_differencing() -> None:
    # ONS's 10-5 p-table ignores the cell key, so it acts as rounding: 100 - (50 + 45) = 5 exactly. This is
    # why it needed secondary suppression (the shipped profiles now use a key-dependent table instead).
    rows = [
        {"area": ("E", "886", school), "group": None, "n": n, "record_key_sum": key}
        for school, n, key in [("a", 50, 1234), ("b", 45, 999), ("small", 5, 77)]
    ]
    leaky = protect(rows, ["n"], {**ONS_10_5, "secondary": False})
    assert [c.values["n"] for c in leaky.cells] == [100, 100, 50, 45, "c"]
    safe = protect(rows, ["n"], ONS_10_5)
    assert [c.values["n"] for c in safe.cells] == [100, 100, 50, "c", "c"]


def _keyed_rows() -> list[dict[str, Any]]:
    return [
        {"area": ("E", "886", school), "group": None, "n": n, "sessions": 20 * n, "record_key_sum": key}
        for school, n, key in [("a", 3, 301), ("b", 40, 5120), ("c", 57, 7000)]
    ]


def test_key_dependent_counts_are_published_perturbed_and_sessions_follow_the_published_count() -> None:
    table = protect(_keyed_rows(), ["n", Measure("sessions", "magnitude", "n")], PROFILES["published"])
    values = {c.area: c.values for c in table.cells}
    assert all(isinstance(v["n"], int) and (v["n"] == 0 or v["n"] >= 10) for v in values.values())
    for v in values.values():
        assert (v["sessions"] == "c") == (v["n"] < 10)
    assert "low" not in [v["n"] for v in values.values()]


def test_a_key_dependent_profile_may_round_after_perturbing() -> None:
    profile = {**PROFILES["published"], "round_to": 5}
    table = protect(_keyed_rows(), ["n"], profile)
    assert all(isinstance(c.values["n"], int) and c.values["n"] % 5 == 0 for c in table.cells)


def test_research_shows_zeros_and_counts_perturbed_to_zero_as_c() -> None:
    rows = [{**r, "n": 0 if r["area"][-1] == "a" else r["n"]} for r in _keyed_rows()]
    table = protect(rows, ["n"], PROFILES["research"])
    assert table.cell(("E", "886", "a")).values["n"] == "c"
    assert (
        DisclosureProfile.from_policy(PROFILES["research"])
        .describe()
        .startswith(
            "cell-key perturbation with p-table ckm-t10-d10-v3-r1: noise depends on which records are in the cell"
            " and no count from 1 to 9 is published; zeros and counts perturbed to 0 shown as c"
        )
    )
    assert (
        DisclosureProfile.from_policy(ONS_10_5)
        .describe()
        .startswith("cell-key perturbation with p-table ons-10-5;")
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": ""}, "'name' must be text"),
        ({"totals": "average"}, "'totals' must be 'recompute' or 'round_independently'"),
        ({"secondary": "yes"}, "'secondary' must be true or false"),
        ({"cell_key": True, "ptable": None}, "a cell-key profile must name its 'ptable'"),
        ({"cell_key": False, "ptable": "ons-10-5"}, "'ptable' is only meaningful with 'cell_key'"),
        ({"dominance": {"n": 2}}, "'dominance' must be"),
        ({"dominance": {"n": 0, "k": 0.9}}, "dominance needs an integer n >= 1"),
        ({"threshold": -1}, "'threshold' must be an integer >= 0"),
    ],
)
def test_a_malformed_profile_is_refused(change: dict[str, Any], message: str) -> None:
    with pytest.raises(DisclosureError, match=message):
        DisclosureProfile.from_policy({**ROUNDING_ONLY, **change})


def test_a_table_names_what_is_wrong_with_its_measures() -> None:
    rows = _rows(("a", None, 30, 3))
    with pytest.raises(DisclosureError, match="measures must be one or more distinct names"):
        protect(rows, ["enrolments", "enrolments"], PROFILES["casework"])
    with pytest.raises(DisclosureError, match="contributors 'pupils' is not a measure"):
        protect(rows, [Measure("absent", "magnitude", "pupils")], PROFILES["casework"])
    with pytest.raises(DisclosureError, match="rate 'r' needs measures 'absent' and 'enrolments'"):
        protect(rows, ["enrolments"], PROFILES["casework"], rates=[("r", "absent", "enrolments")])


def test_rows_and_lookups() -> None:
    table = protect(
        _rows(("a", None, None, 3)),
        ["enrolments", "absent"],
        PROFILES["casework"],
        rates=[("r", "absent", "enrolments")],
    )
    assert table.cell(("E", "886", "a")).rates["r"] == "x"
    assert table.as_rows()[-1] == {
        "area": ["E", "886", "a"],
        "level": 3,
        "group": None,
        "enrolments": "x",
        "absent": 3,
        "r": "x",
    }
    with pytest.raises(KeyError):
        table.cell(("E", "886", "zz"))
