"""Audit routes for data protection officers: search, subject access and export (behind policy)."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Annotated, Any, Literal

import orjson
from litestar import get
from litestar.params import QueryParameter
from litestar.response import Stream

from gateway.api.audit_schemas import EventsPage, EventView, OversightScope, SubjectAccess, SubjectAccesses
from gateway.api.params import (
    IDENTIFIER_PATTERN,
    ROUTE_PATTERN,
    TEXT_PATTERN,
    TIMESTAMP_PATTERN,
    Cursor,
    Upn,
    parse_timestamp,
)
from gateway.audit import store
from gateway.audit.chain import event_leaf
from gateway.audit.checkpoint import Checkpoint, Cosignature
from gateway.audit.keys import PublicKey
from gateway.audit.reader import EXPORT_FORMAT
from gateway.edge.governed import Governed, Requested, governed_route
from gateway.edge.problems import ProblemError, problem_responses
from gateway.store.upn import upn_problem

TAGS = ["audit"]
NO_FILTER = store.EventFilter()
DEFAULT_PAGE = 100
CSV_COLUMNS = (
    "seq", "time", "organisation", "principal_subject", "agreement", "legal_gateway", "purpose", "outcome",
    "route", "status", "rows_returned", "reason_text", "prev_hash", "event_hash", "content",
)  # fmt: skip

Purpose = Annotated[
    str | None,
    QueryParameter(
        description="Why the officer is looking (e.g. audit-oversight).",
        max_length=100,
        pattern=IDENTIFIER_PATTERN,
    ),
]
DpoAgreement = Annotated[
    str | None,
    QueryParameter(
        name="dpo_agreement",
        description="The officer's own oversight agreement (chosen by policy if absent).",
        max_length=100,
        pattern=IDENTIFIER_PATTERN,
    ),
]
TimeFrom = Annotated[
    str | None,
    QueryParameter(
        name="from", description="Events at or after (RFC 3339).", max_length=40, pattern=TIMESTAMP_PATTERN
    ),
]
TimeTo = Annotated[
    str | None,
    QueryParameter(
        name="to", description="Events before (RFC 3339).", max_length=40, pattern=TIMESTAMP_PATTERN
    ),
]
PageLimit = Annotated[int, QueryParameter(ge=1, le=1000)]
# Who may read caseworkers' free-text reasons in the subject-access view (dpia/dpo-oversight-*.md): a DPO who
# also holds the Caldicott Guardian role. A reason can name a child's circumstances or a third party, and the
# subject-access view is what a DPO draws on to answer a parent; any other officer sees that a reason was
# given (reason_withheld), not what it says.
REASON_READER_ROLES = frozenset({"caldicott-guardian"})


@dataclass(frozen=True, slots=True)
class AuditRequested(Requested):
    """An officer's request: the oversight agreement is the `agreement`; filters ride along."""

    time_from: datetime | None = None
    time_to: datetime | None = None
    filters: store.EventFilter = NO_FILTER
    cursor: str | None = None
    limit: int = DEFAULT_PAGE
    upn: str | None = None
    export_format: Literal["ndjson", "csv"] = "ndjson"


def checked_range(time_from: datetime | None, time_to: datetime | None) -> None:
    if time_from is not None and time_to is not None and time_to <= time_from:
        raise ProblemError(
            422,
            "invalid-period",
            "`to` must be after `from`.",
            errors=[{"field": "to", "message": "not after from"}],
        )


def audit_request(
    purpose: str | None, dpo_agreement: str | None, fields: tuple[str, ...], **extra: Any
) -> AuditRequested:
    return AuditRequested(purpose=purpose, agreement=dpo_agreement, resource="audit", fields=fields, **extra)


def oversight(gov: Governed[Any]) -> tuple[str, ...] | None:
    """Which organisations' events the officer may see: None means all (the DfE officer)."""
    return gov.obligations.row_filter.organisations


def search_request(
    purpose: Purpose = None,
    dpo_agreement: DpoAgreement = None,
    from_text: TimeFrom = None,
    to_text: TimeTo = None,
    organisation: Annotated[
        str | None,
        QueryParameter(
            description="Events of this organisation.", max_length=100, pattern=IDENTIFIER_PATTERN
        ),
    ] = None,
    agreement: Annotated[
        str | None,
        QueryParameter(
            description="Events under this data-sharing agreement.",
            max_length=100,
            pattern=IDENTIFIER_PATTERN,
        ),
    ] = None,
    legal_gateway: Annotated[
        str | None,
        QueryParameter(
            name="gateway", description="Events citing this statute.", max_length=200, pattern=TEXT_PATTERN
        ),
    ] = None,
    decision: Annotated[
        Literal["allowed", "denied", "unauthenticated", "failed"] | None,
        QueryParameter(description="Outcome."),
    ] = None,
    route: Annotated[
        str | None,
        QueryParameter(
            description="Route template, e.g. /v1/pupils/{upn}.", max_length=200, pattern=ROUTE_PATTERN
        ),
    ] = None,
    cursor: Cursor = None,
    limit: PageLimit = DEFAULT_PAGE,
) -> AuditRequested:
    time_from, time_to = parse_timestamp("from", from_text), parse_timestamp("to", to_text)
    checked_range(time_from, time_to)
    return audit_request(
        purpose,
        dpo_agreement,
        ("audit_events",),
        filters=store.EventFilter(
            organisation=organisation,
            agreement=agreement,
            legal_gateway=legal_gateway,
            decision=decision,
            route=route,
            time_from=time_from,
            time_to=time_to,
        ),
        cursor=cursor,
        limit=limit,
    )


def _event_view(row: dict[str, Any]) -> EventView:
    return EventView(
        seq=row["seq"],
        event_hash=bytes(row["event_hash"]).hex(),
        prev_hash=bytes(row["prev_hash"]).hex(),
        event=orjson.loads(row["content"]),
    )


def _scope_view(organisations: tuple[str, ...] | None) -> OversightScope:
    return OversightScope(organisations=None if organisations is None else list(organisations))


@get(
    "/v1/audit/events",
    **governed_route("audit.search", requested=search_request),
    summary="Search the audit log",
    tags=TAGS,
    responses=problem_responses(400, 401, 403, 422, 503),
)
async def search_events(gov: Governed[AuditRequested]) -> EventsPage:
    """Events in log order, within the officer's organisation unless they oversee every organisation."""
    asked, organisations = gov.requested, oversight(gov)
    where = replace(asked.filters, organisations=organisations, after=gov.cursor_position(asked.cursor))
    rows = await store.search_events(gov.conn, where, asked.limit)
    page = rows[: asked.limit]
    gov.release(len(page))
    return EventsPage(
        events=[_event_view(r) for r in page],
        next_cursor=gov.next_cursor(page[-1]["seq"]) if len(rows) > asked.limit else None,
        scope=_scope_view(organisations),
    )


def subject_request(
    upn: Upn,
    purpose: Purpose = None,
    dpo_agreement: DpoAgreement = None,
    limit: PageLimit = DEFAULT_PAGE,
    cursor: Cursor = None,
) -> AuditRequested:
    problem = upn_problem(upn)
    if problem is not None:
        raise ProblemError(
            422,
            "invalid-upn",
            "The pupil reference is not a valid UPN (13 characters with a correct check letter).",
            errors=[{"field": "upn", "message": problem}],
        )
    return audit_request(purpose, dpo_agreement, ("upn", "audit_events"), upn=upn, limit=limit, cursor=cursor)


@get(
    "/v1/audit/subjects/{upn:str}",
    **governed_route("audit.subject", requested=subject_request),
    summary="Who accessed this pupil's data",
    tags=TAGS,
    responses=problem_responses(400, 401, 403, 422, 503),
)
async def subject_accesses(gov: Governed[AuditRequested]) -> SubjectAccesses:
    """Every recorded access that returned this pupil's data: when, by whom, under which statute and purpose.

    The UPN is looked up by its keyed hash; it is never stored in clear in the audit log."""
    asked = gov.requested
    upn = asked.upn or ""
    hashed = gov.services.audit.subject_hash(upn)
    where = store.EventFilter(organisations=oversight(gov), after=gov.cursor_position(asked.cursor))
    rows = await store.subject_accesses(gov.conn, hashed, where, asked.limit)
    page = rows[: asked.limit]
    reads_reasons = not REASON_READER_ROLES.isdisjoint(gov.principal.roles)
    gov.release(len(page), [upn])
    return SubjectAccesses(
        subject="hmac-sha256:" + hashed.hex(),
        accesses=[
            SubjectAccess(
                seq=r["seq"],
                time=r["occurred_at"].isoformat(),
                organisation=r["organisation"],
                who=r["principal_subject"],
                route=r["route"],
                purpose=r["purpose"],
                legal_gateway=r["legal_gateway"],
                agreement=r["agreement"],
                outcome=r["outcome"],
                reason_text=r["reason_text"] if reads_reasons else None,
                reason_withheld=r["reason_text"] is not None and not reads_reasons,
            )
            for r in page
        ],
        next_cursor=gov.next_cursor(page[-1]["seq"]) if len(rows) > asked.limit else None,
    )


def export_request(
    export_format: Annotated[Literal["ndjson", "csv"], QueryParameter(name="format")] = "ndjson",
    purpose: Purpose = None,
    dpo_agreement: DpoAgreement = None,
    from_text: TimeFrom = None,
    to_text: TimeTo = None,
) -> AuditRequested:
    time_from, time_to = parse_timestamp("from", from_text), parse_timestamp("to", to_text)
    checked_range(time_from, time_to)
    return audit_request(
        purpose,
        dpo_agreement,
        ("audit_events",),
        filters=store.EventFilter(time_from=time_from, time_to=time_to),
        export_format=export_format,
    )


@get(
    "/v1/audit/export",
    **governed_route(
        "audit.export",
        requested=export_request,
        opt={"stream_media_types": ["application/x-ndjson", "text/csv"]},
    ),
    summary="Export the audit log (NDJSON or CSV)",
    tags=TAGS,
    responses=problem_responses(400, 401, 403, 422, 503),
)
async def export_events(gov: Governed[AuditRequested]) -> Stream:
    """Events within the officer's scope. The NDJSON form carries keys and checkpoints too: a complete export
    (the DfE officer's, unfiltered) verifies offline with `gateway audit verify --export FILE`."""
    asked, cap = gov.requested, gov.obligations.row_cap
    where = store.EventFilter(
        organisations=oversight(gov), time_from=asked.filters.time_from, time_to=asked.filters.time_to
    )
    rows = await store.export_events(gov.conn, where, cap)
    keys = await store.public_keys(gov.conn)
    checkpoints = await store.checkpoints(gov.conn)
    witnessed = (await store.witness_keys(gov.conn), await store.cosignatures(gov.conn))
    if cap is not None and len(rows) > cap:
        raise ProblemError(
            422,
            "export-too-large",
            f"More than {cap} events match; narrow the period with `from` and `to`.",
            row_cap=cap,
        )
    gov.release(len(rows))
    if asked.export_format == "csv":
        return Stream(_csv_lines(rows), media_type="text/csv; charset=utf-8")
    return Stream(_ndjson_lines(rows, keys, checkpoints, witnessed), media_type="application/x-ndjson")


async def _ndjson_lines(
    rows: list[dict[str, Any]],
    keys: list[PublicKey],
    checkpoints: list[Checkpoint],
    witnessed: tuple[list[PublicKey], list[Cosignature]] = ([], []),
) -> AsyncIterator[bytes]:
    """The same lines as `gateway audit export`: header, keys, checkpoints, witness keys, cosignatures,
    events."""
    yield orjson.dumps({"type": "header", "format": EXPORT_FORMAT}) + b"\n"
    for key in keys:
        yield orjson.dumps({"type": "key", **key.as_dict()}) + b"\n"
    for cp in checkpoints:
        yield orjson.dumps({"type": "checkpoint", **cp.as_dict()}) + b"\n"
    for witness in witnessed[0]:
        yield orjson.dumps({"type": "witness-key", **witness.as_dict()}) + b"\n"
    for cos in witnessed[1]:
        yield orjson.dumps({"type": "cosignature", **cos.as_dict()}) + b"\n"
    for r in rows:
        yield (
            orjson.dumps(
                {
                    "type": "event",
                    "seq": r["seq"],
                    "content": r["content"],
                    "prev_hash": bytes(r["prev_hash"]).hex(),
                    "event_hash": bytes(r["event_hash"]).hex(),
                    "leaf_hash": event_leaf(bytes(r["event_hash"])).hex(),
                }
            )
            + b"\n"
        )


# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection"); the free-text
# reasons and organisation names in an export come from users, so such a cell is written as text.
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value: Any) -> Any:
    """A cell that a spreadsheet would run as a formula gets a leading apostrophe (numbers stay numbers)."""
    if isinstance(value, str) and value.startswith(FORMULA_LEADS):
        return "'" + value
    return value


async def _csv_lines(rows: list[dict[str, Any]]) -> AsyncIterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        event = orjson.loads(r["content"])
        writer.writerow(
            spreadsheet_text(cell)
            for cell in [
                r["seq"],
                r["occurred_at"].isoformat(),
                r["organisation"],
                r["principal_subject"],
                r["agreement"],
                r["legal_gateway"],
                r["purpose"],
                r["outcome"],
                r["route"],
                event.get("status"),
                event.get("rows_returned"),
                event.get("reason_text"),
                bytes(r["prev_hash"]).hex(),
                bytes(r["event_hash"]).hex(),
                r["content"],
            ]
        )
        if buffer.tell() > 65536:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


AUDIT_LOG_ROUTES = [search_events, subject_accesses, export_events]
