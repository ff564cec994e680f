"""Named development personas: the claims of a typical caller of each kind, and an example call for each."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from gateway.auth.devissuer import keygen
from gateway.settings import Settings

DEFAULT_LA = 202
DEFAULT_URN = 100001


@dataclass(frozen=True, slots=True)
class Persona:
    name: str
    organisation: str  # may hold {la} or {urn}
    organisation_type: str
    roles: tuple[str, ...]
    description: str
    example_path: str  # may hold {la} or {urn}
    example_query: tuple[tuple[str, str], ...] = ()
    example_method: str = "GET"

    def claims(self, la_code: int, urn: int) -> dict[str, Any]:
        claims: dict[str, Any] = {
            "sub": f"{self.name}@{self.organisation.format(la=la_code, urn=urn)}",
            "org": self.organisation.format(la=la_code, urn=urn),
            "org_type": self.organisation_type,
            "roles": list(self.roles),
        }
        if self.organisation_type == "la":
            claims["la_code"] = la_code
        if self.organisation_type == "school":
            claims["urn"] = urn
        return claims

    def example_url(self, base_url: str, la_code: int, urn: int) -> str:
        query = [(k, v.format(la=la_code, urn=urn)) for k, v in self.example_query]
        path = self.example_path.format(la=la_code, urn=urn)
        return base_url.rstrip("/") + path + ("?" + urlencode(query) if query else "")


_REASON = "Attendance review meeting 2026-01 case ref AB-1234"

PERSONAS: dict[str, Persona] = {
    p.name: p
    for p in (
        Persona(
            "la-safeguarding",
            "la-{la}",
            "la",
            ("safeguarding-officer",),
            "LA children's social care (Children Act 1989 s.17/s.47)",
            "/v1/pupils",
            (
                ("la_code", "{la}"),
                ("agreement", "la-safeguarding"),
                ("purpose", "child-protection-enquiry"),
                ("reason", _REASON),
                ("persistent", "true"),
            ),
        ),
        Persona(
            "la-attendance",
            "la-{la}",
            "la",
            ("attendance-officer",),
            "LA attendance support team (SI 2024/208; Working together 2024)",
            "/v1/pupils",
            (
                ("la_code", "{la}"),
                ("agreement", "la-attendance-support"),
                ("purpose", "attendance-support"),
                ("reason", _REASON),
                ("severe", "true"),
            ),
        ),
        Persona("la-dpo", "la-{la}", "la", ("dpo",), "An LA's data protection officer", "/v1/audit/events"),
        Persona(
            "ogd-analyst",
            "dwp",
            "ogd",
            ("analyst",),
            "DWP analyst (DEA 2017 s.35)",
            "/v1/attendance/summary",
            (("level", "la"), ("agreement", "dwp-dea-s35"), ("purpose", "multiple-disadvantages")),
        ),
        Persona(
            "ons-statistician",
            "ons",
            "ogd",
            ("statistician",),
            "ONS statistician (SRSA 2007 s.45A)",
            "/v1/attendance/summary",
            (("level", "national"), ("agreement", "ons-srsa-s45a"), ("purpose", "official-statistics")),
        ),
        Persona(
            "researcher",
            "ons-srs",
            "ogd",
            ("researcher",),
            "Accredited researcher (DEA 2017 s.64)",
            "/v1/attendance/summary",
            (
                ("level", "national"),
                ("agreement", "srs-research-p2025-017"),
                ("purpose", "public-good-research"),
            ),
        ),
        Persona(
            "school-lead",
            "school-{urn}",
            "school",
            ("school-leader",),
            "A school's attendance lead",
            "/v1/schools/{urn}/benchmark",
            (("agreement", "school-benchmark"), ("purpose", "school-improvement")),
        ),
        Persona(
            "dfe-analyst",
            "dfe",
            "dfe",
            ("analyst",),
            "DfE analyst (EA 1996 s.537A)",
            "/v1/attendance/summary",
            (("level", "region"), ("agreement", "dfe-statistics"), ("purpose", "official-statistics")),
        ),
        Persona("dfe-dpo", "dfe", "dfe", ("dpo",), "DfE data protection officer", "/v1/audit/events"),
        Persona("ogd-dpo", "dwp", "ogd", ("dpo",), "DWP data protection officer", "/v1/audit/events"),
        Persona(
            "aggregator",
            "register-aggregator",
            "aggregator",
            ("feed-submitter",),
            "The register aggregator (EA 1996 s.537A collection)",
            "/v1/ingest/registers",
            example_method="POST",
        ),
        Persona(
            "policy-admin",
            "dfe",
            "dfe",
            ("policy-admin",),
            "DfE policy administrator",
            "/v1/admin/policies/reload",
            example_method="POST",
        ),
        Persona(
            "home-office-analyst",
            "home-office",
            "ogd",
            ("analyst",),
            "Home Office analyst (2016 agreement, ended: always denied)",
            "/v1/decisions/explain",
            (
                ("action", "extracts.create"),
                ("agreement", "home-office-2016"),
                ("purpose", "immigration-enforcement"),
                ("reason", _REASON),
            ),
        ),
    )
}


def persona_claims(name: str, *, la_code: int = DEFAULT_LA, urn: int = DEFAULT_URN) -> dict[str, Any]:
    if name not in PERSONAS:
        raise KeyError(f"unknown persona {name!r}; known: {', '.join(sorted(PERSONAS))}")
    return PERSONAS[name].claims(la_code, urn)


def demo_tokens(settings: Settings, la_code: int, urn: int) -> list[tuple[str, str, str]]:
    """(persona, token, example curl call) for every persona, from the development issuer (made if absent)."""
    issuer = keygen(settings.auth)
    base_url = f"http://{settings.host}:{settings.port}"
    rows = []
    for persona in PERSONAS.values():
        token = issuer.issue(persona.claims(la_code, urn), ttl_seconds=8 * 3600)
        method = "" if persona.example_method == "GET" else f"-X {persona.example_method} "
        curl = f"curl -s {method}-H 'Authorization: Bearer {token}' '{persona.example_url(base_url, la_code, urn)}'"
        rows.append((persona.name, token, curl))
    return rows
