"""Pieces every governed route shares: validated periods and areas, cursors, the governance block."""

from __future__ import annotations

import base64
import binascii
from datetime import date
from typing import Any

import msgspec
from litestar import Request
from psycopg import AsyncConnection

from gateway.context import access_record
from gateway.policy.decision import Decision
from gateway.problems import ProblemError
from gateway.services import Services
from gateway.settings import Settings
from gateway.store.aggregates import Period
from gateway.store.scope import AreaFilter

PHASES = ("primary", "secondary", "special")
REGIONS = (
    "North East", "North West", "Yorkshire and The Humber", "East Midlands", "West Midlands",
    "East of England", "London", "South East", "South West",
)  # fmt: skip


class Governance(msgspec.Struct, kw_only=True):
    """Under what this response was released: the agreement, statute, purpose and policy revision."""

    agreement: str | None
    legal_gateway: str | None
    purpose: str | None
    granularity: str | None
    disclosure_profile: str | None
    policy_revision: str
    request_id: str | None


def services_of(request: Request[Any, Any, Any]) -> Services:
    services = request.app.state.services
    assert isinstance(services, Services)
    return services


def governance(request: Request[Any, Any, Any], decision: Decision) -> Governance:
    o = decision.obligations
    profile = o.disclosure_profile.get("name") if o.disclosure_profile else None
    return Governance(
        agreement=o.agreement,
        legal_gateway=o.legal_gateway,
        purpose=o.purpose,
        granularity=o.granularity,
        disclosure_profile=str(profile) if profile is not None else None,
        policy_revision=decision.revision,
        request_id=request.scope.get("state", {}).get("request_id"),
    )


def validate_period(date_from: date, date_to: date, settings: Settings) -> Period:
    """A period must run forwards and stay within the gateway's maximum span."""
    if date_to < date_from:
        raise ProblemError(
            422,
            "invalid-period",
            f"date_to ({date_to}) is before date_from ({date_from}).",
            errors=[{"field": "date_to", "message": "must be on or after date_from"}],
        )
    span = (date_to - date_from).days + 1
    if span > settings.max_range_days:
        raise ProblemError(
            422,
            "period-too-long",
            f"The period spans {span} days; at most {settings.max_range_days} days may be asked for at once.",
            errors=[{"field": "date_to", "message": f"period longer than {settings.max_range_days} days"}],
        )
    return Period(date_from, date_to)


async def validate_area(conn: AsyncConnection[Any], area: AreaFilter) -> None:
    """Unknown LA codes, URNs, regions and phases are named, not silently returning nothing."""
    if area.region is not None and area.region not in REGIONS:
        raise ProblemError(
            422,
            "unknown-region",
            f"Unknown region {area.region!r}; expected one of: {', '.join(REGIONS)}.",
            errors=[{"field": "region", "message": "unknown region"}],
        )
    if area.phase is not None and area.phase not in PHASES:
        raise ProblemError(
            422, "unknown-phase", f"Unknown phase {area.phase!r}; expected primary, secondary or special."
        )
    if area.la_code is not None:
        cur = await conn.execute("SELECT 1 FROM local_authorities WHERE la_code = %s", (area.la_code,))
        if await cur.fetchone() is None:
            raise ProblemError(
                422,
                "unknown-la",
                f"No local authority has the code {area.la_code}.",
                errors=[{"field": "la_code", "message": "unknown local authority code"}],
            )
    if area.urn is not None:
        cur = await conn.execute("SELECT 1 FROM schools WHERE urn = %s", (area.urn,))
        if await cur.fetchone() is None:
            raise ProblemError(
                422,
                "unknown-school",
                f"No school in the store has the URN {area.urn}.",
                errors=[{"field": "urn", "message": "unknown school"}],
            )


def encode_cursor(after: int) -> str:
    return base64.urlsafe_b64encode(f"e:{after}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    """0 for the first page; a malformed cursor is a 400, not a silent restart."""
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, _, value = text.partition(":")
        if kind != "e" or not value.isdigit():
            raise ValueError(text)
        return int(value)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise ProblemError(
            400,
            "invalid-cursor",
            "The cursor is not one this gateway issued; start again without it.",
            errors=[{"field": "cursor", "message": "malformed cursor"}],
        ) from exc


def record_rows(request: Request[Any, Any, Any], rows: int, subjects: list[str] | None = None) -> None:
    """Tell the audit record how many rows leave and which pupils they concern (hashed by audit)."""
    record = access_record(request.scope)  # type: ignore[arg-type]
    if record is None:
        return
    record.rows_returned = rows
    if subjects:
        record.subject_upns.update(subjects)


def scope_denied(detail: str) -> ProblemError:
    """A request reaching past the principal's area: the same reason code the policy uses."""
    return ProblemError(
        403,
        "access-denied",
        detail,
        reasons=[
            {
                "code": "DENY_SCOPE_OUTSIDE_PRINCIPAL",
                "message": "outside the principal's scope",
                "citation": "the data-sharing agreement's area scope",
            }
        ],
    )
