"""Policy fixtures: the real bundle under policies/, compiled once per worker, and decision inputs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gateway.policy.rego_engine import RegoEngine

ROOT = Path(__file__).resolve().parents[2]
POLICIES = ROOT / "policies"
NOW = "2026-01-12T09:30:00Z"


@pytest.fixture(scope="session")
def rego_engine() -> Iterator[RegoEngine]:
    engine = RegoEngine(POLICIES, watch=False)
    yield engine
    engine.close()


def principal(
    org: str, org_type: str, roles: list[str], *, la_code: int | None = None, urn: int | None = None
) -> dict[str, Any]:
    return {
        "subject": f"tester@{org}",
        "issuer": "https://dev-issuer.attendance-gateway.local",
        "organisation": org,
        "organisation_type": org_type,
        "roles": roles,
        "scope": {"la_code": la_code, "urn": urn},
    }


def decision_input(
    who: dict[str, Any],
    action: str,
    resource: str,
    *,
    agreement: str | None = None,
    purpose: str | None = None,
    reason: str | None = None,
    now: str = NOW,
    **request: Any,
) -> dict[str, Any]:
    document: dict[str, Any] = {
        "resource": resource,
        "fields": [],
        "level": None,
        "region": None,
        "la_code": None,
        "urn": None,
        "date_from": None,
        "date_to": None,
        "breakdown": None,
    }
    document.update(request)
    return {
        "principal": who,
        "action": action,
        "purpose": purpose,
        "agreement": agreement,
        "reason": reason,
        "now": now,
        "request": document,
    }
