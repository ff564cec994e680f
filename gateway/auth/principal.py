"""Who is calling: the verified identity a token carries (the contract between auth, policy and audit)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

OrganisationType = Literal["dfe", "ogd", "la", "school", "aggregator", "trust"]


@dataclass(frozen=True, slots=True)
class Principal:
    subject: str
    issuer: str
    organisation: str
    organisation_type: OrganisationType
    roles: tuple[str, ...]
    la_code: int | None = None  # scope for local-authority principals
    urn: int | None = None  # scope for school principals
    trust_id: int | None = None  # scope for multi-academy trust principals (GIAS group UID)
    token_id: str | None = None  # jti, for audit correlation (never the token itself)
    expires_at: int | None = None  # the token's exp (seconds since the epoch)
    single_use: bool = False  # the issuer's tokens may be presented once (the edge remembers the jti)

    def policy_input(self) -> dict[str, Any]:
        """The principal as Rego sees it (`input.principal`)."""
        return {
            "subject": self.subject,
            "issuer": self.issuer,
            "organisation": self.organisation,
            "organisation_type": self.organisation_type,
            "roles": list(self.roles),
            "scope": {"la_code": self.la_code, "urn": self.urn, "trust_id": self.trust_id},
        }
