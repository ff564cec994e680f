"""What every signed-in page shares: navigation from the principal's agreements, the CSRF token, the disclosure
legend, CSV downloads, and the period a page measures."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from litestar import Request, Response

from gateway.console.middleware import session_of
from gateway.console.pages import HELD, navigation
from gateway.console.rendering import page, security_headers
from gateway.edge.governed import GovernedRequest
from gateway.edge.problems import ProblemError
from gateway.privacy.disclosure import SYMBOLS
from gateway.store.calendar import academic_periods
from gateway.store.named_periods import NAME_PATTERN, YTD, ResolvedPeriod, UnknownPeriodError, resolve_period

FIELD_LABELS = {
    "upn": "UPN",
    "forename": "Forename",
    "surname": "Surname",
    "date_of_birth": "Date of birth",
    "year_group": "Year",
    "school_name": "School",
    "urn": "URN",
    "possible_sessions": "Possible sessions",
    "absence_rate": "Absence (%)",
    "unauthorised_sessions": "Unauthorised sessions",
    "admission_date": "Admitted",
    "leaving_date": "Left",
}
PERIOD_LABELS = {"autumn": "Autumn term", "spring": "Spring term", "summer": "Summer term"}


async def page_view(
    request: Request[Any, Any, Any],
    gov: GovernedRequest[Any],
    template: str,
    context: Mapping[str, Any],
    *,
    path: str,
    status_code: int = 200,
) -> Response[str]:
    """A governed page: the caller's navigation and CSRF token beside the page's own context."""
    held = await HELD.of(gov.services, gov.principal)
    session = session_of(request.scope)
    csrf = gov.services.console.keys.csrf_token(session.session_id) if session is not None else ""
    return page(
        template,
        {
            "navigation": navigation(held, path),
            "csrf_token": csrf,
            "organisation": gov.principal.organisation,
            "symbols": SYMBOLS,
            "field_labels": FIELD_LABELS,
            "governance": gov.obligations,
            **context,
        },
        status_code=status_code,
    )


def csv_download(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Response[bytes]:
    """A table as CSV (symbols such as c stay as they are shown); formula-like cells are quoted as text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return Response(
        buffer.getvalue().encode(),
        media_type="text/csv; charset=utf-8",
        headers={**security_headers(), "Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _csv_cell(value: Any) -> Any:
    # A spreadsheet would run a cell starting with = + - @ as a formula (CSV injection): prefix a quote.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def period_name(value: str | None) -> str:
    """A named period from the query (ytd by default); anything else is a 400 before any decision."""
    name = value or YTD
    if not NAME_PATTERN.fullmatch(name):
        raise ProblemError(
            400,
            "invalid-request",
            "Invalid request parameters: period must be ytd, an academic year (2025-26) or a term.",
            errors=[{"key": "period", "message": "not a named period"}],
        )
    return name


async def resolve(gov: GovernedRequest[Any], name: str) -> ResolvedPeriod:
    """The period's dates (and cells), with year to date ending at the latest session received."""
    try:
        return await resolve_period(gov.conn, name, datetime.now(UTC).date())
    except UnknownPeriodError as exc:
        raise ProblemError(422, "unknown-period", str(exc)) from exc


def period_label(name: str) -> str:
    if name == YTD:
        return "Year to date"
    season, _, year = name.partition("-")
    if season in PERIOD_LABELS:
        return f"{PERIOD_LABELS[season]} {year}"
    return f"Academic year {name}"


def period_choices(ytd_year: int, latest: datetime | Any) -> list[dict[str, Any]]:
    """Year to date and each term of that academic year that has begun, for a period picker."""
    terms = [
        p.name
        for p in academic_periods()
        if p.kind == "term" and p.academic_year == ytd_year and p.date_from <= latest
    ]
    return [{"value": n, "text": period_label(n)} for n in (YTD, *terms)]
