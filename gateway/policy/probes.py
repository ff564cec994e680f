"""Decision inputs to hold a compiled policy against its interpreter: the golden samples and inputs drawn
from the bundle's own data (every agreement, action and organisation type, and near misses of each)."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

from gateway.policy.bundle import PolicyBundle

NOW = "2026-01-12T09:30:00Z"
LATE = "2031-01-01T00:00:00Z"
REASON = "Probe of the compiled policy, ref 2026-001"
REQUEST_KEYS = (
    "resource",
    "fields",
    "level",
    "region",
    "la_code",
    "urn",
    "date_from",
    "date_to",
    "breakdown",
)


def sample_inputs(root: Path) -> list[dict[str, Any]]:
    """The inputs of the golden samples beside the bundle (samples/*.json), if there are any."""
    inputs = []
    for path in sorted((root / "samples").glob("*.json")):
        sample = json.loads(path.read_text())
        if isinstance(sample, dict) and isinstance(sample.get("input"), dict):
            inputs.append(sample["input"])
    return inputs


def probe_inputs(bundle: PolicyBundle) -> list[dict[str, Any]]:
    """Golden samples, inputs with nothing in them, then each agreement's own requests and their near misses."""
    probes = sample_inputs(bundle.root)
    probes.append({})
    probes.append(_input("probe", "probe", [], "probe.action", {}, agreement=None, purpose=None))
    tables = bundle.data.get("data", {})
    agreements = _mapping(tables.get("agreements"))
    actions = _mapping(tables.get("actions"))
    roles = sorted(_mapping(tables.get("roles")))
    for agreement_id, agreement in sorted(agreements.items()):
        if not isinstance(agreement, dict):
            continue
        org_types = _strings(agreement.get("organisation_types")) or ["dfe"]
        for action, org_type in itertools.product(_strings(agreement.get("actions")), org_types):
            base = _request(agreement_id, agreement, action, org_type, actions)
            probes.append(base)
            probes.extend(_near_misses(base))
    for action in sorted(actions):
        for role in roles[:3]:
            probes.append(_input("dfe", "dfe", [role], action, actions, agreement=None, purpose=None))
    return probes


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _strings(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _request(
    agreement_id: str, agreement: dict[str, Any], action: str, org_type: str, actions: dict[str, Any]
) -> dict[str, Any]:
    organisations = _strings(agreement.get("organisations"))
    purposes = _strings(agreement.get("purposes"))
    fields = _strings(agreement.get("fields"))
    document = _input(
        organisations[0] if organisations else f"{org_type}-probe",
        org_type,
        _strings(agreement.get("roles")),
        action,
        actions,
        agreement=agreement_id,
        purpose=purposes[0] if purposes else None,
    )
    document["request"]["fields"] = fields[:2]
    return document


def _input(
    organisation: str,
    org_type: str,
    roles: list[str],
    action: str,
    actions: dict[str, Any],
    *,
    agreement: str | None,
    purpose: str | None,
) -> dict[str, Any]:
    definition = _mapping(actions.get(action))
    request: dict[str, Any] = dict.fromkeys(REQUEST_KEYS)
    request.update(resource=definition.get("resource"), fields=[])
    return {
        "principal": {
            "subject": f"probe@{organisation}",
            "issuer": "https://probe.invalid",
            "organisation": organisation,
            "organisation_type": org_type,
            "roles": roles,
            "scope": {
                "la_code": 202 if org_type == "la" else None,
                "urn": 100001 if org_type == "school" else None,
            },
        },
        "action": action,
        "purpose": purpose,
        "agreement": agreement,
        "reason": REASON,
        "now": NOW,
        "request": request,
    }


def _near_misses(base: dict[str, Any]) -> list[dict[str, Any]]:
    """The request with one thing wrong, or left to the policy, at a time."""

    def changed(**parts: Any) -> dict[str, Any]:
        document: dict[str, Any] = json.loads(json.dumps(base))
        for key, value in parts.items():
            if key in REQUEST_KEYS:
                document["request"][key] = value
            else:
                document[key] = value
        return document

    return [
        changed(agreement=None),
        changed(purpose=None),
        changed(purpose="probe-purpose"),
        changed(reason=None),
        changed(now=LATE),
        changed(fields=[]),
        changed(fields=["probe_field"]),
        changed(level="national"),
        changed(level="la", la_code=330, urn=100002),
        changed(resource="probe_resource"),
    ]
