"""The disclosure profiles of the brief (policy data holds the live copies), and a reader for policy data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


ALL_BREAKDOWNS = ["fsm", "sen", "sex", "ethnicity", "year_group"]
GRID = ["week", "month", "half_term", "term", "year_to_date"]
PTABLE = "ckm-t10-d10-v3-r1"


def query_space(
    periods: Any, minimum: int, school: list[str], ledger: bool, others: list[str] | None = None
) -> dict[str, Any]:
    wider = ALL_BREAKDOWNS if others is None else others
    return {
        "periods": periods,
        "min_population": minimum,
        "breakdowns": {
            "national": list(wider),
            "region": list(wider),
            "la": list(wider),
            "school": list(school),
        },
        "ledger": ledger,
    }


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
        "query_space": query_space(GRID, 10, ["fsm", "sen", "sex"], True),
        "exact_own_figures": [],
        "min_comparator_schools": 3,
    }
    return {**base, **changes}


_PERTURBED: dict[str, Any] = {
    "round_to": 5,
    "totals": "round_independently",
    "cell_key": True,
    "ptable": PTABLE,
}
PROFILES: dict[str, dict[str, Any]] = {
    "casework": _profile(
        "casework",
        threshold=0,
        round_to=None,
        secondary=False,
        query_space=query_space("free", 0, ALL_BREAKDOWNS, False),
    ),
    "ogd-aggregate": _profile("ogd-aggregate", **_PERTURBED),
    "published": _profile("published", **_PERTURBED),
    "research": _profile(
        "research",
        **{**_PERTURBED, "round_to": None},
        zeros_disclosive=True,
        dominance={"n": 2, "k": 0.9},
        query_space=query_space(GRID, 10, ALL_BREAKDOWNS, True),
    ),
    "school-benchmark": _profile(
        "school-benchmark",
        query_space=query_space(["term", "year_to_date"], 10, [], True, others=[]),
        exact_own_figures=["school"],
    ),
    # The published transparency report of the audit log (counts of accesses, not of pupils).
    "transparency-report": _profile(
        "transparency-report",
        totals="round_independently",
        query_space=query_space("free", 0, [], False, others=[]),
    ),
}
# The profiles as they were before key-dependent perturbation: rounding, and ONS's key-blind 10-5 table.
ROUNDING_ONLY: dict[str, Any] = _profile("rounding-only")
ONS_10_5: dict[str, Any] = _profile(
    "ons-10-5", totals="round_independently", cell_key=True, ptable="ons-10-5"
)
EXACT_WITH_SUPPRESSION: dict[str, Any] = _profile(
    "exact-with-suppression", zeros_disclosive=True, round_to=None, dominance={"n": 2, "k": 0.9}
)


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
