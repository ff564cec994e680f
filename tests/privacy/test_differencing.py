"""The ledger's preimages and shift masks, symbol by symbol (the walk tests hold the whole check to an attacker)."""

from __future__ import annotations

from datetime import date

from gateway.privacy.differencing import WINDOW, Publication, Release, check_releases, novel_releases
from gateway.privacy.disclosure import DisclosureProfile
from tests.privacy.profiles import PROFILES, ROUNDING_ONLY

KEYED = Publication.of(DisclosureProfile.from_policy({**PROFILES["published"], "round_to": None}))
KEYED_ROUNDED = Publication.of(DisclosureProfile.from_policy(PROFILES["published"]))
RESEARCH = Publication.of(DisclosureProfile.from_policy(PROFILES["research"]))
ROUNDED = Publication.of(DisclosureProfile.from_policy(ROUNDING_ONLY))
CASEWORK = Publication.of(
    DisclosureProfile.from_policy({**ROUNDING_ONLY, "threshold": 0, "secondary": False})
)


def _shifts(mask: int) -> list[int]:
    return [bit - WINDOW for bit in range(2 * WINDOW + 1) if mask >> bit & 1]


def test_a_rounded_value_allows_its_bin_above_the_threshold() -> None:
    assert _shifts(ROUNDED.shift_mask(40, 41)) == [-3, -2, -1, 0, 1]
    assert _shifts(ROUNDED.shift_mask(10, 11)) == [-1, 0, 1]  # 8 and 9 would have been c


def test_suppressed_and_low_cells() -> None:
    assert _shifts(ROUNDED.shift_mask("c", 4)) == list(range(-3, 6))
    assert _shifts(CASEWORK.shift_mask("low", 1)) == [0, 1]
    assert _shifts(RESEARCH.shift_mask("c", 3)) == list(range(-3, 8))  # 0..10 can show as c


def test_a_complementary_c_is_a_lower_bound_inside_the_window() -> None:
    assert _shifts(ROUNDED.shift_mask("c", 40)) == list(range(-30, WINDOW + 1))
    assert _shifts(ROUNDED.shift_mask("c", 500)) == list(range(-WINDOW, WINDOW + 1))


def test_unavailable_tells_nothing_and_a_far_value_allows_nothing_in_the_window() -> None:
    assert _shifts(KEYED.shift_mask("x", 12)) == list(range(-WINDOW, WINDOW + 1))
    assert _shifts(ROUNDED.shift_mask("z", 12)) == list(range(-WINDOW, WINDOW + 1))
    assert KEYED.shift_mask(1000, 12) == 0


def test_a_key_dependent_value_allows_every_count_a_key_maps_to_it() -> None:
    assert _shifts(KEYED.shift_mask(30, 28)) == list(range(-3, 8))
    assert KEYED.preimage(30, 28).values == frozenset(range(-3, 8))
    # Perturbed then rounded: every count some key sends to 28..32.
    assert _shifts(KEYED_ROUNDED.shift_mask(30, 28)) == list(range(-5, 10))


def test_a_verdict_names_the_rule_and_the_cells() -> None:
    day = date(2025, 9, 1)
    first = Release("S1", day, day, (), "n", 40, 42)
    flip = Release("S1", day, date(2025, 9, 2), (), "n", 45, 43)
    verdict = check_releases([flip], [first], ROUNDED)
    assert (verdict.allowed, verdict.rule, verdict.refused) == (False, "differencing_would_pin", (flip,))
    assert verdict.detail.startswith("with your earlier releases these cells would pin a count exactly")
    assert check_releases([flip], [first], ROUNDED, protect_below=40).allowed  # 42 and 43 are not protected


def test_counts_outside_the_window_are_dropped_which_can_only_report_more_pins() -> None:
    wide = Publication.of(DisclosureProfile.from_policy({**ROUNDING_ONLY, "threshold": 100}))
    assert _shifts(wide.shift_mask("c", 50)) == list(range(-49, WINDOW - 50 + 1))


def test_a_cell_the_requester_holds_already_is_not_new() -> None:
    day = date(2025, 9, 1)
    held = Release("S1", day, day, (), "n", 40, 42)
    other_day = Release("S1", day, date(2025, 9, 2), (), "n", 40, 42)
    corrected = Release("S1", day, day, (), "n", 40, 41)  # the same cell after a correction: new knowledge
    found = novel_releases([held, other_day, other_day, corrected], [held])
    assert found == [other_day, corrected]


def test_a_repeated_release_changes_no_verdict() -> None:
    day = date(2025, 9, 1)
    first = Release("S1", day, day, (), "n", 40, 42)
    flip = Release("S1", day, date(2025, 9, 2), (), "n", 45, 43)
    assert check_releases(novel_releases([first], [first]), [first], ROUNDED).allowed
    again = novel_releases([first, flip], [first])
    assert again == [flip]
    assert check_releases(again, [first], ROUNDED).rule == "differencing_would_pin"
