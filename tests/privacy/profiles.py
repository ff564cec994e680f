"""The disclosure profiles of the brief (policy data holds the live copies), and a reader for policy data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def _profile(name: str, **changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "name": name,
        "threshold": 10,
        "zeros_disclosive": False,
        "round_to": 5,
        "totals": "recompute",
        "secondary": True,
        "cell_key": False,
        "ptable": None,
        "dominance": None,
        "rate_decimals": 1,
    }
    return {**base, **changes}


PROFILES: dict[str, dict[str, Any]] = {
    "casework": _profile("casework", threshold=0, round_to=None, secondary=False),
    "ogd-aggregate": _profile("ogd-aggregate"),
    "published": _profile(
        "published", totals="round_independently", secondary=True, cell_key=True, ptable="ons-10-5"
    ),
    "research": _profile("research", zeros_disclosive=True, round_to=None, dominance={"n": 2, "k": 0.9}),
    "school-benchmark": _profile("school-benchmark"),
    # The published transparency report of the audit log (counts of accesses, not of pupils).
    "transparency-report": _profile("transparency-report", totals="round_independently"),
}


def policy_profiles() -> dict[str, dict[str, Any]]:
    """The profiles as the policy bundle ships them (either data layout)."""
    for path in (
        ROOT / "policies/data/disclosure_profiles/data.json",
        ROOT / "policies/data/disclosure_profiles.json",
    ):
        if path.exists():
            document: dict[str, Any] = json.loads(path.read_text())
            return dict(document.get("disclosure_profiles", document))
    raise FileNotFoundError("no disclosure profiles in policies/data")
