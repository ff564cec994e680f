"""The agreements a principal holds, as the policy itself answers it (no second copy of the holder rule).

For each agreement in the bundle's data, the engine decides a request under it; the agreement is the
principal's unless the denial says it is someone else's (wrong organisation, type or role)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gateway.auth.principal import Principal
from gateway.policy.bundle import load_bundle
from gateway.policy.engine import PolicyEngine
from gateway.policy.input import policy_input

# Reason codes that mean "this agreement is not yours": everything else is about the request itself.
NOT_HELD = frozenset(
    {
        "DENY_AGREEMENT_NOT_HELD",
        "DENY_ROLE_NOT_IN_AGREEMENT",
        "DENY_ROLE",
        "DENY_GATEWAY_REQUESTER",
        "DENY_NO_AGREEMENT",
        "DENY_UNKNOWN_ACTION",
        "DENY_INVALID_INPUT",
    }
)
STATUS_BY_REASON = {"DENY_AGREEMENT_EXPIRED": "Ended", "DENY_AGREEMENT_NOT_YET_VALID": "Not yet in force"}
PROBE_REASON = "Listing the caller's own agreements in the console"


@dataclass(frozen=True, slots=True)
class HeldAgreement:
    agreement_id: str
    title: str
    legal_gateway: str
    purposes: tuple[str, ...]
    actions: tuple[str, ...]
    granularity: str
    disclosure_profile: str | None
    valid_from: str
    valid_to: str
    dpia: str
    status: str  # "In force", "Ended" or "Not yet in force"


@dataclass
class AgreementData:
    """The bundle's agreements, read once per policy revision."""

    revision: str | None = None
    agreements: dict[str, Any] | None = None

    def for_revision(self, engine: PolicyEngine, bundle_dir: Any) -> dict[str, Any]:
        if self.agreements is None or self.revision != engine.revision:
            data = load_bundle(bundle_dir).data
            self.agreements = dict(data.get("data", {}).get("agreements", {}))
            self.revision = engine.revision
        return self.agreements


def _held(agreement_id: str, agreement: dict[str, Any], reason_codes: set[str]) -> HeldAgreement | None:
    if reason_codes & NOT_HELD:
        return None
    status = next((s for code, s in STATUS_BY_REASON.items() if code in reason_codes), "In force")
    return HeldAgreement(
        agreement_id=agreement_id,
        title=str(agreement.get("title", agreement_id)),
        legal_gateway=str(agreement.get("legal_gateway", "")),
        purposes=tuple(agreement.get("purposes") or ()),
        actions=tuple(agreement.get("actions") or ()),
        granularity=str(agreement.get("granularity", "")),
        disclosure_profile=agreement.get("disclosure_profile"),
        valid_from=str(agreement.get("valid_from", "")),
        valid_to=str(agreement.get("valid_to", "")),
        dpia=str(agreement.get("dpia", "")),
        status=status,
    )


async def agreements_held(
    engine: PolicyEngine, agreements: dict[str, Any], principal: Principal
) -> list[HeldAgreement]:
    held: list[HeldAgreement] = []
    for agreement_id, agreement in sorted(agreements.items()):
        if not isinstance(agreement, dict) or not agreement.get("actions") or not agreement.get("purposes"):
            continue
        actions, purposes = agreement["actions"], agreement["purposes"]
        document = policy_input(
            principal,
            action=str(actions[0]),
            purpose=str(purposes[0]),
            agreement=agreement_id,
            reason=PROBE_REASON,
            resource=None,
        )
        decision = await engine.decide(document)
        entry = _held(agreement_id, agreement, set(decision.reason_codes))
        if entry is not None:
            held.append(entry)
    return held
