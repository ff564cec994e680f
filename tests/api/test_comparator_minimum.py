"""The comparator minimum is the disclosure profile's `min_comparator_schools`, not a constant in the code: a
comparator of fewer schools is suppressed whole, and a profile without the key refuses the release."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.api.publishing_groups import protect_comparators
from gateway.edge.problems import ProblemError
from tests.privacy.profiles import policy_profiles

OWN: dict[str, Any] = {
    "name": "Own school",
    "schools": 1,
    "enrolments": 400,
    "persistent_absentees": 60,
    "severe_absentees": 12,
    "possible_sessions": 40_000,
    "attendance_sessions": 37_000,
    "authorised_sessions": 2_000,
    "unauthorised_sessions": 1_000,
}


def _group(name: str, schools: int) -> dict[str, Any]:
    return {**OWN, "name": name, "schools": schools, "enrolments": 400 * schools}


def _profile(minimum: int) -> dict[str, Any]:
    return {**policy_profiles()["school-benchmark"], "min_comparator_schools": minimum}


def test_a_comparator_below_the_profiles_minimum_is_suppressed_whole() -> None:
    _, comparators, _ = protect_comparators(OWN, [_group("Four schools", 4)], _profile(5), own_exact=True)
    assert comparators[0]["schools"] == 4
    assert {comparators[0][k] for k in ("enrolments", "attendance_rate", "severe_absence_rate")} == {"c"}


def test_a_comparator_at_the_profiles_minimum_is_published() -> None:
    _, comparators, _ = protect_comparators(OWN, [_group("Five schools", 5)], _profile(5), own_exact=True)
    assert comparators[0]["enrolments"] == 2000


def test_the_disclosure_block_states_the_profiles_minimum() -> None:
    _, _, disclosure = protect_comparators(OWN, [_group("Four schools", 4)], _profile(5), own_exact=True)
    assert "comparators of fewer than 5 schools are suppressed (c)" in disclosure.rules


def test_the_shipped_benchmark_profile_suppresses_comparators_of_two_schools() -> None:
    profile = policy_profiles()["school-benchmark"]
    assert profile["min_comparator_schools"] == 3
    _, comparators, _ = protect_comparators(
        OWN, [_group("Two", 2), _group("Three", 3)], profile, own_exact=True
    )
    assert [c["enrolments"] for c in comparators] == ["c", 1200]


def test_a_profile_without_the_minimum_refuses_the_release() -> None:
    profile = dict(policy_profiles()["school-benchmark"])
    del profile["min_comparator_schools"]
    with pytest.raises(ProblemError) as refused:
        protect_comparators(OWN, [_group("Five schools", 5)], profile, own_exact=True)
    assert (refused.value.status, refused.value.kind) == (500, "disclosure-profile-invalid")
    assert "missing ['min_comparator_schools']" in refused.value.detail


def test_a_minimum_of_one_school_is_refused() -> None:
    with pytest.raises(ProblemError) as refused:
        protect_comparators(OWN, [_group("One", 1)], _profile(1), own_exact=True)
    assert refused.value.detail == (
        "The disclosure profile is invalid: disclosure profile 'min_comparator_schools' must be an integer >= 2"
    )
