"""What each DPIA must say about disclosure control, derived from the policy data (agreements and profiles)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from gateway.privacy.disclosure import DisclosureProfile

ROOT = Path(__file__).resolve().parents[2]
SECTION = "## Disclosure control"
EXTRACTS_ALLOWED = (
    "Record-level extracts: allowed under this agreement. Every cell the aggregate profile perturbs or withholds"
    " can be counted exactly from an extract, so the aggregate profile does not protect pupils from this"
    " recipient; it protects what the recipient publishes or passes on, which must itself be disclosure-checked."
)


def policy() -> tuple[dict[str, Any], dict[str, Any]]:
    data = ROOT / "policies" / "data"
    agreements = json.loads((data / "agreements" / "data.json").read_text())
    profiles = json.loads((data / "disclosure_profiles" / "data.json").read_text())
    return agreements, profiles


def statements(agreement: dict[str, Any], profiles: dict[str, Any]) -> list[str]:
    """The bullet lines of the DPIA's disclosure-control section, in order."""
    name = agreement["disclosure_profile"]
    if name is None:
        return ["Disclosure profile: none (this agreement releases no aggregate statistics)."]
    profile = DisclosureProfile.from_policy(profiles[name])
    lines = [f"Disclosure profile: `{name}`."]
    if profile.key_dependent:
        zeros = (
            "zeros and counts perturbed to 0 shown as c"
            if profile.zeros_disclosive
            else "a published 0 may be a small count"
        )
        rounded = f", then rounded to {profile.round_to}" if profile.round_to else ""
        lines.append(
            f"Counts: cell-key perturbation with the key-dependent p-table `{profile.ptable}`{rounded} (no count"
            f" from 1 to {profile.threshold - 1} is published; {zeros}); tables without record keys (daily"
            " series, closures) are rounded and suppressed instead."
        )
    elif profile.threshold == 0:
        lines.append("Counts: exact (casework; no disclosure control).")
    else:
        lines.append(
            f"Counts: rounding only (no perturbation): under {profile.threshold} suppressed, the rest rounded to"
            f" {profile.round_to}, with secondary suppression; rounding flips are caught by the query space and the ledger."
        )
    space = profile.query_space
    periods = "any range" if space.periods is None else ", ".join(space.periods)
    ledger = "on" if space.ledger else "off"
    lines.append(
        f"Query space: periods {periods}; minimum population {space.min_population}; release ledger {ledger}."
    )
    if "extracts.create" in agreement["actions"]:
        lines.append(EXTRACTS_ALLOWED)
    else:
        lines.append("Record-level extracts: not allowed under this agreement.")
    if profile.exact_own_figures:
        lines.append(f"Exact own figures in a school benchmark: {', '.join(profile.exact_own_figures)} only.")
    if "schools.benchmark" in agreement["actions"]:
        lines.append(
            f"Benchmark comparators: a comparator of fewer than {profile.min_comparator_schools} schools is"
            " suppressed whole."
        )
    return lines


def section_lines(text: str) -> list[str]:
    """The bullet lines of a DPIA's disclosure-control section (continuation lines joined)."""
    if SECTION not in text:
        return []
    body = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    bullets: list[str] = []
    for line in body.splitlines():
        if line.startswith("- "):
            bullets.append(line[2:].strip())
        elif line.startswith("  ") and bullets:
            bullets[-1] += " " + line.strip()
    return [re.sub(r"\s+", " ", b) for b in bullets]
