"""The transparency report is published through gateway.privacy with its own profile: no small count is
published, and no suppressed count is left to subtraction from the published total."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import event, given, settings
from hypothesis import strategies as st

from gateway.api.publishing_groups import REPORT_PROFILE, protect_report

PROFILES = Path(__file__).resolve().parents[2] / "policies" / "data" / "disclosure_profiles" / "data.json"
PROFILE: dict[str, Any] = json.loads(PROFILES.read_text())[REPORT_PROFILE]
THRESHOLD = PROFILE["threshold"]


def test_the_profile_is_declared_in_the_policy_data() -> None:
    assert (PROFILE["name"], PROFILE["threshold"], PROFILE["round_to"], PROFILE["secondary"]) == (
        "transparency-report", 10, 5, True,
    )  # fmt: skip


def test_a_small_count_is_suppressed_with_a_secondary_cell() -> None:
    total, by, _ = protect_report({"decision": {"allowed": 120, "denied": 3, "failed": 14}}, PROFILE)
    assert (total, by) == (135, {"decision": {"allowed": 120, "denied": None, "failed": None}})


def test_published_counts_and_the_total_are_rounded_to_five() -> None:
    total, by, _ = protect_report({"decision": {"allowed": 12, "denied": 18}}, PROFILE)
    assert (total, by) == (30, {"decision": {"allowed": 10, "denied": 20}})


def test_a_total_under_the_threshold_is_suppressed() -> None:
    total, by, _ = protect_report({"decision": {"allowed": 4, "denied": 5}}, PROFILE)
    assert (total, by) == (None, {"decision": {"allowed": None, "denied": None}})


def test_an_empty_breakdown_publishes_nothing() -> None:
    total, by, _ = protect_report({"decision": {}, "purpose": {}}, PROFILE)
    assert (total, by) == (None, {"decision": {}, "purpose": {}})


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from("abcdefg"), st.integers(min_value=0, max_value=400), min_size=1))
def test_no_small_count_is_published_or_recoverable(counts: dict[str, int]) -> None:
    total, by, _ = protect_report({"decision": counts}, PROFILE)
    published = by["decision"]
    hidden = [k for k, v in published.items() if v is None]
    small = [k for k, n in counts.items() if 0 < n < THRESHOLD]  # the profile shows zeros (not disclosive)
    event(f"small cells: {min(len(small), 2)}")
    assert set(published) == set(counts)
    assert set(small) <= set(hidden)
    assert all(
        v % 5 == 0 and (v == 0 or counts[k] >= THRESHOLD) for k, v in published.items() if v is not None
    )
    # A published total with exactly one hidden cell would give that cell away.
    assert total is None or len(hidden) != 1
