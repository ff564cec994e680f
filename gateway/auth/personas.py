"""Named development personas: the claims of a typical caller of each kind, and an example call for each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from gateway.auth.devissuer import keygen
from gateway.privacy.query_space import academic_year_start, year_to_date_end
from gateway.settings import Settings

DEFAULT_LA = 202
DEFAULT_URN = 100001
# The synthetic data's trusts are numbered from 2001 (gateway.synth.trusts), the first the largest.
DEFAULT_TRUST = 2001


@dataclass(frozen=True, slots=True)
class Persona:
    name: str
    organisation: str  # may hold {la}, {urn} or {trust}
    organisation_type: str
    roles: tuple[str, ...]
    description: str
    example_path: str  # may hold {la}, {urn} or {trust}
    example_query: tuple[tuple[str, str], ...] = ()
    example_method: str = "GET"
    example_body: str = ""  # extra curl arguments for the body, if the call sends one

    def claims(self, la_code: int, urn: int, trust_id: int = DEFAULT_TRUST) -> dict[str, Any]:
        organisation = self.organisation.format(la=la_code, urn=urn, trust=trust_id)
        claims: dict[str, Any] = {
            "sub": f"{self.name}@{organisation}",
            "org": organisation,
            "org_type": self.organisation_type,
            "roles": list(self.roles),
        }
        if self.organisation_type == "la":
            claims["la_code"] = la_code
        if self.organisation_type == "school":
            claims["urn"] = urn
        if self.organisation_type == "trust":
            claims["trust_id"] = trust_id
        return claims

    def example_url(
        self, base_url: str, la_code: int, urn: int, period: tuple[date, date] | None = None
    ) -> str:
        start, end = grid_year_to_date(*(period or default_period()))
        values = {
            "la": la_code, "urn": urn, "trust": DEFAULT_TRUST, "date_from": start.isoformat(),
            "date_to": end.isoformat(),
        }  # fmt: skip
        query = [(k, v.format(**values)) for k, v in self.example_query]
        path = self.example_path.format(la=la_code, urn=urn, trust=DEFAULT_TRUST)
        return base_url.rstrip("/") + path + ("?" + urlencode(query) if query else "")


_REASON = "Attendance review meeting 2026-01 case ref AB-1234"
_PERIOD = (("date_from", "{date_from}"), ("date_to", "{date_to}"))

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
                ("agreement", "la-safeguarding"),
                ("purpose", "child-protection-enquiry"),
                ("reason", _REASON),
                ("criterion", "severe"),
                *_PERIOD,
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
                ("agreement", "la-attendance-support"),
                ("purpose", "attendance-support"),
                ("reason", _REASON),
                ("criterion", "persistent"),
                *_PERIOD,
            ),
        ),
        Persona(
            "la-dpo",
            "la-{la}",
            "la",
            ("dpo",),
            "An LA's data protection officer",
            "/v1/audit/events",
            (("purpose", "audit-oversight"), ("limit", "20")),
        ),
        Persona(
            "ogd-analyst",
            "dwp",
            "ogd",
            ("analyst",),
            "DWP analyst (DEA 2017 s.35)",
            "/v1/attendance/summary",
            (
                ("agreement", "dwp-dea-s35"),
                ("purpose", "multiple-disadvantages"),
                ("level", "la"),
                ("breakdown", "fsm"),
                *_PERIOD,
            ),
        ),
        Persona(
            "ons-statistician",
            "ons",
            "ogd",
            ("statistician",),
            "ONS statistician (SRSA 2007 s.45A)",
            "/v1/attendance/daily",
            (("agreement", "ons-srsa-s45a"), ("purpose", "official-statistics"), *_PERIOD),
        ),
        Persona(
            "researcher",
            "ons-srs",
            "ogd",
            ("researcher",),
            "Accredited researcher (DEA 2017 s.64)",
            "/v1/attendance/summary",
            (
                ("agreement", "srs-research-p2025-017"),
                ("purpose", "public-good-research"),
                ("level", "region"),
                *_PERIOD,
            ),
        ),
        Persona(
            "school-lead",
            "school-{urn}",
            "school",
            ("school-leader",),
            "A school's attendance lead",
            "/v1/schools/{urn}/benchmark",
            (("agreement", "school-benchmark"), ("purpose", "school-improvement"), *_PERIOD),
        ),
        Persona(
            "trust-lead",
            "trust-{trust}",
            "trust",
            ("trust-leader",),
            "A multi-academy trust's attendance lead: its own academies (SI 2024/208; Working together 2024)",
            "/v1/attendance/summary",
            (
                ("agreement", "trust-attendance"),
                ("purpose", "school-attendance-management"),
                ("reason", _REASON),
                ("level", "school"),
                *_PERIOD,
            ),
        ),
        Persona(
            "dfe-analyst",
            "dfe",
            "dfe",
            ("analyst",),
            "DfE analyst (EA 1996 s.537A)",
            "/v1/attendance/summary",
            (
                ("agreement", "dfe-statistics"),
                ("purpose", "official-statistics"),
                ("level", "region"),
                ("by_code", "true"),
                *_PERIOD,
            ),
        ),
        Persona(
            "dfe-dpo",
            "dfe",
            "dfe",
            ("dpo",),
            "DfE data protection officer",
            "/v1/audit/report",
            (
                ("purpose", "audit-oversight"),
                ("from", "2026-01-01T00:00:00Z"),
                ("to", "2027-01-01T00:00:00Z"),
            ),
        ),
        Persona(
            "ogd-dpo",
            "dwp",
            "ogd",
            ("dpo",),
            "DWP data protection officer",
            "/v1/audit/events",
            (("purpose", "audit-oversight"), ("limit", "20")),
        ),
        Persona(
            "aggregator",
            "register-aggregator",
            "aggregator",
            ("feed-submitter",),
            "The register aggregator (EA 1996 s.537A collection)",
            "/v1/ingest/registers",
            (("agreement", "aggregator-collection"), ("purpose", "data-collection"), ("name", "example.csv")),
            example_method="POST",
            example_body="-H 'Content-Type: text/csv' --data-binary @marks.csv ",
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
            "data-manager",
            "dfe",
            "dfe",
            ("data-manager",),
            "DfE data manager (moves a school to another LA or trust, with a reason)",
            "/v1/decisions/explain",
            (
                ("action", "schools.reassign"),
                ("agreement", "dfe-data-management"),
                ("purpose", "data-management"),
                ("reason", "LA boundary change: GIAS record 2026-014 moves the school"),
            ),
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


def persona_claims(
    name: str, *, la_code: int = DEFAULT_LA, urn: int = DEFAULT_URN, trust_id: int = DEFAULT_TRUST
) -> dict[str, Any]:
    if name not in PERSONAS:
        raise KeyError(f"unknown persona {name!r}; known: {', '.join(sorted(PERSONAS))}")
    return PERSONAS[name].claims(la_code, urn, trust_id)


def default_period() -> tuple[date, date]:
    """The academic year to date."""
    today = datetime.now(UTC).date()
    start_year = today.year if today.month >= 9 else today.year - 1
    return date(start_year, 9, 1), today


def grid_year_to_date(start: date, end: date) -> tuple[date, date]:
    """A year to date as aggregate profiles serve it (gateway.privacy.query_space): 1 September to the
    Sunday closing the latest complete week, so the example calls are on every profile's period grid."""
    last = year_to_date_end(end)
    if last < start:  # no complete week yet: the first week of the range
        last = start + timedelta(days=6 - start.weekday())
    return academic_year_start(last), last


def demo_tokens(
    settings: Settings, la_code: int, urn: int, period: tuple[date, date] | None = None
) -> list[tuple[str, str, str]]:
    """(persona, token, example curl call) for every persona, from the development issuer (made if absent)."""
    issuer = keygen(settings.auth)
    base_url = f"http://{settings.host}:{settings.port}"
    rows = []
    for persona in PERSONAS.values():
        token = issuer.issue(persona.claims(la_code, urn), ttl_seconds=8 * 3600)
        method = "" if persona.example_method == "GET" else f"-X {persona.example_method} "
        url = persona.example_url(base_url, la_code, urn, period)
        curl = f"curl -s {method}{persona.example_body}-H 'Authorization: Bearer {token}' '{url}'"
        rows.append((persona.name, token, curl))
    return rows
