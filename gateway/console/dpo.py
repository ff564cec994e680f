"""A data protection officer's desk: the audit log in scope, who accessed a pupil (the lookup audited too), the
transparency report, and the page that verifies the log in the browser (static/verify.js)."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any, Final

import orjson
from litestar import Request, Response, Router, get, post
from litestar.params import QueryParameter

from gateway.api.audit import AuditRequested, audit_request, oversight, search_request
from gateway.api.audit_proofs import ReportRequested, audit_keys, consistency, event_proof, latest_checkpoint
from gateway.api.publishing_groups import REPORT_PROFILE, protect_report
from gateway.audit import store
from gateway.audit.checkpoint import ORIGIN
from gateway.console.errors import CONSOLE_EXCEPTION_HANDLERS
from gateway.console.la import posted_form
from gateway.console.pages import PAGE_BY_KEY
from gateway.console.views import page_view
from gateway.edge.governed import Governed, governed_route
from gateway.edge.parameters import CONTRACT_MOUNT
from gateway.edge.problems import ProblemError
from gateway.store.upn import upn_problem

VERIFY_API: Final = "/console/audit/verify/api"
REPORT_DAYS: Final = 30
DIMENSIONS: Final = {
    "organisation": "Organisation",
    "legal_gateway": "Legal gateway",
    "purpose": "Purpose",
    "decision": "Decision",
}


def _event_row(row: dict[str, Any]) -> dict[str, Any]:
    event = orjson.loads(row["content"])
    principal = event.get("principal") or {}
    return {
        "seq": row["seq"],
        "time": str(event.get("time", ""))[:19].replace("T", " "),
        "organisation": principal.get("organisation") or "(unauthenticated)",
        "who": principal.get("subject") or "",
        "action": event.get("action") or "",
        "route": event.get("route") or "",
        "agreement": event.get("agreement") or "",
        "purpose": event.get("purpose") or "",
        "outcome": event.get("outcome") or "",
        "status": event.get("status"),
        "rows": event.get("rows_returned"),
        "reason_given": "yes" if event.get("reason_given") else "no",
        "pupils": len(event.get("subjects") or []),
    }


@get(
    PAGE_BY_KEY["audit-search"].path.removeprefix("/console"),
    **governed_route("audit.search", requested=search_request),
)
async def audit_search(request: Request[Any, Any, Any], gov: Governed[AuditRequested]) -> Response[str]:
    """Events in log order within the officer's oversight scope, filtered as the API's search is."""
    asked, organisations = gov.requested, oversight(gov)
    where = replace(asked.filters, organisations=organisations, after=gov.cursor_position(asked.cursor))
    rows = await store.search_events(gov.conn, where, asked.limit)
    page = rows[: asked.limit]
    gov.release(len(page))
    query = {k: v for k, v in request.query_params.items() if k != "cursor"}
    return await page_view(
        request,
        gov,
        "audit_search.html",
        {
            "title": "Audit log",
            "events": [_event_row(r) for r in page],
            "next_cursor": gov.next_cursor(page[-1]["seq"]) if len(rows) > asked.limit else None,
            "query": query,
            "scope": organisations,
        },
        path=PAGE_BY_KEY["audit-search"].path,
    )


async def subject_request(request: Request[Any, Any, Any]) -> AuditRequested:
    form = await posted_form(request)
    upn = (form.upn or "").strip().upper()
    problem = upn_problem(upn)
    if problem is not None:
        raise ProblemError(
            422,
            "invalid-upn",
            "The pupil reference is not a valid UPN (13 characters with a correct check letter).",
            errors=[{"field": "upn", "message": problem}],
        )
    return audit_request("subject-access", None, ("upn", "audit_events"), upn=upn)


def lookup_form_requested() -> AuditRequested:
    return audit_request("subject-access", None, ("upn", "audit_events"))


def checkpoints_requested() -> AuditRequested:
    return AuditRequested(resource="audit", fields=("audit_checkpoints",))


@get(
    PAGE_BY_KEY["audit-subject"].path.removeprefix("/console"),
    **governed_route("audit.subject", requested=lookup_form_requested),
)
async def audit_subject_form(request: Request[Any, Any, Any], gov: Governed[AuditRequested]) -> Response[str]:
    """The lookup form: an oversight request that names no pupil and releases nothing."""
    gov.release(0)
    return await page_view(
        request,
        gov,
        "audit_subject.html",
        {"title": "Who accessed a pupil"},
        path=PAGE_BY_KEY["audit-subject"].path,
    )


@post(PAGE_BY_KEY["audit-subject"].path.removeprefix("/console"), status_code=200,
      **governed_route("audit.subject", requested=subject_request))  # fmt: skip
async def audit_subject(request: Request[Any, Any, Any], gov: Governed[AuditRequested]) -> Response[str]:
    """Every recorded access that returned the pupil's data; this lookup is itself an audited access."""
    upn = gov.requested.upn or ""
    hashed = gov.services.audit.subject_hash(upn)
    where = store.EventFilter(organisations=oversight(gov))
    rows = await store.subject_accesses(gov.conn, hashed, where, gov.requested.limit)
    page = rows[: gov.requested.limit]
    gov.release(len(page), [upn])
    return await page_view(
        request,
        gov,
        "audit_subject.html",
        {
            "title": "Who accessed a pupil",
            "upn": upn,
            "subject": "hmac-sha256:" + hashed.hex(),
            "accesses": page,
            "more": len(rows) > gov.requested.limit,
        },
        path=PAGE_BY_KEY["audit-subject"].path,
    )


def report_page_request(
    from_day: Annotated[date | None, QueryParameter(name="from", description="First day (ISO 8601).")] = None,
    to_day: Annotated[date | None, QueryParameter(name="to", description="Last day, inclusive.")] = None,
) -> ReportRequested:
    today = datetime.now(UTC).date()
    last = to_day or today
    first = from_day or last - timedelta(days=REPORT_DAYS - 1)
    if first > last:
        raise ProblemError(422, "invalid-period", "`to` must not be before `from`.")
    return ReportRequested(
        resource="audit",
        fields=("audit_events",),
        period_from=datetime.combine(first, time(), UTC),
        period_to=datetime.combine(last + timedelta(days=1), time(), UTC),
    )


@get(
    PAGE_BY_KEY["audit-report"].path.removeprefix("/console"),
    **governed_route("audit.report", requested=report_page_request),
)
async def audit_report(request: Request[Any, Any, Any], gov: Governed[ReportRequested]) -> Response[str]:
    """Accesses in the period by organisation, legal gateway, purpose and decision, disclosure-controlled."""
    asked, organisations = gov.requested, oversight(gov)
    if asked.period_from is None or asked.period_to is None:  # report_page_request always sets both
        raise RuntimeError("a report names its period")
    where = store.EventFilter(
        organisations=organisations, time_from=asked.period_from, time_to=asked.period_to
    )
    counts = await store.report_counts(gov.conn, where)
    total, by, rule = protect_report(counts, gov.services.disclosure_profiles.get(REPORT_PROFILE))
    gov.release(sum(len(b) for b in by.values()))
    return await page_view(
        request,
        gov,
        "audit_report.html",
        {
            "title": "Transparency report",
            "first": asked.period_from.date(),
            "last": (asked.period_to - timedelta(days=1)).date(),
            "total": total,
            "by": by,
            "dimensions": DIMENSIONS,
            "rule": rule,
            "scope": organisations,
        },
        path=PAGE_BY_KEY["audit-report"].path,
    )


def pinned_fingerprints(gov: Governed[Any]) -> list[str]:
    """SHA-256 of each checkpoint key the gateway is configured to trust (never read from the database)."""
    configured = list(gov.services.settings.console.pinned_audit_keys)
    own = hashlib.sha256(gov.services.audit.public_key.public_key).hexdigest()
    return configured or [own]


@get(
    PAGE_BY_KEY["audit-verify"].path.removeprefix("/console"),
    **governed_route("audit.checkpoint", requested=checkpoints_requested),
)
async def audit_verify(request: Request[Any, Any, Any], gov: Governed[AuditRequested]) -> Response[str]:
    """The page that checks the log in the browser: it fetches a checkpoint and proofs and verifies them there."""
    checkpoints = await store.checkpoints(gov.conn)
    latest = checkpoints[-1] if checkpoints else None
    first_in_scope = await store.search_events(gov.conn, store.EventFilter(organisations=oversight(gov)), 1)
    seq = next(
        (int(r["seq"]) for r in first_in_scope if latest is not None and r["seq"] <= latest.size), None
    )
    gov.release(len(checkpoints))
    return await page_view(
        request,
        gov,
        "audit_verify.html",
        {
            "title": "Verify the audit log",
            "checkpoints": [c.size for c in checkpoints],
            "latest": latest,
            "seq": seq,
            "pins": pinned_fingerprints(gov),
            "origin": ORIGIN,
            "api": VERIFY_API,
        },
        path=PAGE_BY_KEY["audit-verify"].path,
    )


def verify_api_router() -> Router:
    """The API's own proof routes, answered again under /console so the page's script reaches them with the
    session (the same handlers: the same decision, scope and audit, not a second implementation)."""
    return Router(
        path=VERIFY_API,
        route_handlers=[audit_keys, latest_checkpoint, event_proof, consistency],
        opt={"console": True, CONTRACT_MOUNT: VERIFY_API},
        exception_handlers=CONSOLE_EXCEPTION_HANDLERS,
        include_in_schema=False,
    )


DPO_ROUTES = [audit_search, audit_subject_form, audit_subject, audit_report, audit_verify]
