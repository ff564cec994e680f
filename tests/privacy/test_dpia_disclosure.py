"""Each DPIA states its agreement's disclosure control as the policy data has it (issue 10 s.5, third bullet)."""

from __future__ import annotations

import pytest

from tests.privacy.dpia_statements import ROOT, policy, section_lines, statements

AGREEMENTS, PROFILES = policy()


@pytest.mark.parametrize("agreement_id", sorted(AGREEMENTS))
def test_the_dpia_states_the_disclosure_control_the_policy_applies(agreement_id: str) -> None:
    agreement = AGREEMENTS[agreement_id]
    text = (ROOT / agreement["dpia"]).read_text()
    assert section_lines(text) == statements(agreement, PROFILES)


def test_every_agreement_with_extracts_says_aggregate_suppression_does_not_protect_from_its_recipient() -> (
    None
):
    with_extracts = sorted(a for a, d in AGREEMENTS.items() if "extracts.create" in d["actions"])
    assert with_extracts == ["dfe-statistics", "dwp-dea-s35", "home-office-2016", "srs-research-p2025-017"]
    for agreement_id in with_extracts:
        text = (ROOT / AGREEMENTS[agreement_id]["dpia"]).read_text()
        assert any(line.startswith("Record-level extracts: allowed") for line in section_lines(text))


def test_a_dpia_that_drifts_from_the_policy_data_fails() -> None:
    agreement = {
        **AGREEMENTS["ons-srsa-s45a"],
        "actions": [*AGREEMENTS["ons-srsa-s45a"]["actions"], "extracts.create"],
    }
    text = (ROOT / agreement["dpia"]).read_text()
    assert section_lines(text) != statements(agreement, PROFILES)
