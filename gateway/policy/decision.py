"""The decision contract: what Rego answers and Python enforces (allow, reasons, obligations, revision)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Reason:
    """A stable reason code, a sentence for people, and the statute or rule it rests on."""

    code: str
    message: str
    citation: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "citation": self.citation}


@dataclass(frozen=True, slots=True)
class RowFilter:
    """Rows the caller may see, compiled into SQL by the store (never filtered in Python)."""

    la_codes: tuple[int, ...] | None = None  # None: no LA restriction
    urns: tuple[int, ...] | None = None  # None: no school restriction
    organisations: tuple[str, ...] | None = None  # audit log rows: None means every organisation
    trust_ids: tuple[int, ...] | None = None  # None: no trust restriction (set for trust principals)


@dataclass(frozen=True, slots=True)
class WriteScope:
    """The schools a feed may write rows for: any school in one of the LAs or with one of the URNs."""

    la_codes: tuple[int, ...] = ()
    urns: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Obligations:
    """How an allowed request must be served. Everything here is data from the policy."""

    agreement: str | None = None
    legal_gateway: str | None = None
    purpose: str | None = None
    fields: tuple[str, ...] = ()
    row_filter: RowFilter = field(default_factory=RowFilter)
    granularity: str | None = None  # "identifiable" | "pseudonymised" | "deidentified" | "aggregate"
    pseudonym_domain: str | None = None
    pseudonym_method: str | None = None  # "hmac" (one-way) | "siv" (reversible)
    generalisations: dict[str, str] = field(default_factory=dict)  # field -> rule, e.g. dob -> "month"
    disclosure_profile: dict[str, Any] | None = None  # the profile's parameters, from policy data
    row_cap: int | None = None
    reason_required: bool = False
    write_scope: WriteScope | None = None  # set for ingest only; None there means "writes nothing"

    def digest(self) -> str:
        """A stable SHA-256 of the obligations, stored in the audit event."""
        return hashlib.sha256(canonical_json(obligations_as_dict(self)).encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Decision:
    allow: bool
    reasons: tuple[Reason, ...]
    obligations: Obligations
    revision: str
    engine: str

    @property
    def reason_codes(self) -> list[str]:
        return [r.code for r in self.reasons]


def obligations_as_dict(o: Obligations) -> dict[str, Any]:
    row_filter: dict[str, Any] = {
        "la_codes": None if o.row_filter.la_codes is None else list(o.row_filter.la_codes),
        "urns": None if o.row_filter.urns is None else list(o.row_filter.urns),
        "organisations": None if o.row_filter.organisations is None else list(o.row_filter.organisations),
    }
    if o.row_filter.trust_ids is not None:
        # As in the policy's document, which carries trust_ids only for trust principals: every other
        # decision's obligations (and their digests) are what they were before trusts.
        row_filter["trust_ids"] = list(o.row_filter.trust_ids)
    return {
        "agreement": o.agreement,
        "legal_gateway": o.legal_gateway,
        "purpose": o.purpose,
        "fields": list(o.fields),
        "row_filter": row_filter,
        "granularity": o.granularity,
        "pseudonym_domain": o.pseudonym_domain,
        "pseudonym_method": o.pseudonym_method,
        "generalisations": dict(sorted(o.generalisations.items())),
        "disclosure_profile": o.disclosure_profile,
        "row_cap": o.row_cap,
        "reason_required": o.reason_required,
        "write_scope": None
        if o.write_scope is None
        else {"la_codes": list(o.write_scope.la_codes), "urns": list(o.write_scope.urns)},
    }


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
