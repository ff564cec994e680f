"""Disclosure profiles' query space and own-figures holders; a magnitude protected on its own."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.privacy.disclosure import DisclosureError, DisclosureProfile, Measure, protect
from tests.privacy.profiles import EXACT_WITH_SUPPRESSION, ROUNDING_ONLY


def test_a_malformed_query_space_is_refused_as_a_profile_error() -> None:
    with pytest.raises(DisclosureError) as caught:
        DisclosureProfile.from_policy({**ROUNDING_ONLY, "query_space": {"periods": ["week"]}})
    assert str(caught.value) == (
        "query_space needs exactly the keys ['breakdowns', 'ledger', 'min_population', 'periods']"
    )
    assert caught.value.__cause__ is None


@pytest.mark.parametrize("holders", ["school", ["school", "everyone"]])
def test_own_figures_holders_must_be_a_list_of_known_holders(holders: Any) -> None:
    with pytest.raises(DisclosureError) as caught:
        DisclosureProfile.from_policy({**ROUNDING_ONLY, "exact_own_figures": holders})
    assert str(caught.value) == "'exact_own_figures' must be a list from ['school', 'la', 'trust']"


def test_a_magnitude_without_contributors_is_suppressed_by_dominance_alone() -> None:
    # School a's two largest contributions (380 + 10) exceed 0.9 of its 400 sessions; c, the smallest of
    # the others, is suppressed beside it so a cannot be read off the LA's total.
    rows = [
        {"area": ("E", "886", "a"), "group": None, "sessions": 400, "sessions__top": [380, 10]},
        {"area": ("E", "886", "b"), "group": None, "sessions": 500, "sessions__top": [30, 30]},
        {"area": ("E", "886", "c"), "group": None, "sessions": 450, "sessions__top": [25, 25]},
    ]
    table = protect(rows, [Measure("sessions", "magnitude")], EXACT_WITH_SUPPRESSION)
    assert [(c.area, c.values["sessions"]) for c in table.cells] == [
        (("E",), 1350),
        (("E", "886"), 1350),
        (("E", "886", "a"), "c"),
        (("E", "886", "b"), 500),
        (("E", "886", "c"), "c"),
    ]
