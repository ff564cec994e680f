"""The README's persona table is complete: every development persona has a row, and every agreement a
persona's claims can use is named on one of its rows (issue 10: the school lead's school-own-pupils)."""

from __future__ import annotations

import fnmatch
import json
import re
from pathlib import Path

from gateway.auth.personas import PERSONAS, persona_claims

ROOT = Path(__file__).resolve().parent.parent
ROW = re.compile(r"^\| (?P<personas>`[^|]+) \| (?P<agreements>[^|]+) \| (?P<what>[^|]+) \|$")


def readme_rows() -> dict[str, set[str]]:
    """Persona name -> the agreement names (or patterns) on its rows."""
    out: dict[str, set[str]] = {}
    for line in (ROOT / "README.md").read_text().splitlines():
        match = ROW.match(line)
        if match is None:
            continue
        names = re.findall(r"`([a-z0-9-]+)`", match["personas"])
        agreements = set(re.findall(r"`([a-z0-9*-]+)`", match["agreements"]))
        for name in names:
            out.setdefault(name, set()).update(agreements)
    return out


def usable_agreements(persona: str) -> set[str]:
    """Agreements whose organisation type, organisation and roles the persona's claims satisfy."""
    claims = persona_claims(persona, la_code=202, urn=100001)
    agreements = json.loads((ROOT / "policies/data/agreements/data.json").read_text())
    return {
        name
        for name, a in agreements.items()
        if claims["org_type"] in a["organisation_types"]
        and (not a["organisations"] or claims["org"] in a["organisations"])
        and set(claims["roles"]) & set(a["roles"])
    }


def test_every_persona_has_a_row() -> None:
    assert sorted(set(PERSONAS) - set(readme_rows())) == []


def test_every_agreement_a_persona_can_use_is_on_its_rows() -> None:
    rows = readme_rows()
    missing = {
        persona: sorted(
            a
            for a in usable_agreements(persona)
            if not any(fnmatch.fnmatch(a, p) for p in rows.get(persona, ()))
        )
        for persona in PERSONAS
    }
    assert {p: a for p, a in missing.items() if a} == {}


def test_the_school_lead_can_use_both_of_its_agreements() -> None:
    """The check above is exercised by a persona with more than one agreement."""
    assert usable_agreements("school-lead") == {"school-benchmark", "school-own-pupils"}
