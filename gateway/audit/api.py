"""Audit routes: the public checkpoint keys, and the data protection officers' tools (behind policy)."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from typing import Annotated, Any, Literal

import orjson
from litestar import Request, get
from litestar.datastructures import State
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import Stream
from psycopg import sql
from psycopg.rows import dict_row, tuple_row

from gateway.api.params import (
    CURSOR_PATTERN,
    IDENTIFIER_PATTERN,
    ROUTE_PATTERN,
    TEXT_PATTERN,
    TIMESTAMP_PATTERN,
    parse_timestamp,
)
from gateway.audit.checkpoint import Checkpoint
from gateway.audit.event import UPN_PATTERN
from gateway.audit.keys import PublicKey
from gateway.audit.merkle import BLOCK, BlockedTree, consistency_path, inclusion_path
from gateway.audit.reader import EXPORT_FORMAT
from gateway.audit.report import RULE, protect, protected_total
from gateway.context import access_record
from gateway.policy.decision import Decision
from gateway.policy.guard import authorize
from gateway.problems import ProblemError, problem_responses
from gateway.services import Services

PUBLIC = {"public": True}
TAGS = ["audit"]
DEFAULT_PAGE = 100
EVENT_COLUMNS = (
    "seq, content, prev_hash, event_hash, occurred_at, organisation, principal_subject, agreement,"
    " legal_gateway, purpose, outcome, route"
)
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


def _services(state: State) -> Services:
    services = state.services
    assert isinstance(services, Services)
    return services


async def _authorize(
    request: Request[Any, Any, Any],
    action: str,
    purpose: str | None,
    dpo_agreement: str | None,
    fields: Sequence[str] = ("audit_events",),
) -> Decision:
    return await authorize(
        request,
        action=action,
        purpose=purpose,
        agreement=dpo_agreement,
        reason=None,
        resource={"resource": "audit", "fields": list(fields)},
    )


def _organisation_scope(decision: Decision) -> tuple[str, ...] | None:
    """Which organisations' events the officer may see: None means all (the DfE officer)."""
    return decision.obligations.row_filter.organisations


def _rows_returned(request: Request[Any, Any, Any], rows: int, upns: Sequence[str] = ()) -> None:
    record = access_record(request.scope)  # type: ignore[arg-type]
    if record is not None:
        record.rows_returned = rows
        record.subject_upns.update(upns)


class EventFilter:
    """The search filters, compiled into one SQL predicate (scope included, never filtered in Python)."""

    def __init__(self, scope: tuple[str, ...] | None, **filters: Any) -> None:
        self.clauses: list[sql.Composable] = []
        self.params: list[Any] = []
        if scope is not None:
            self._add("organisation = ANY(%s)", list(scope))
        mapping = {
            "organisation": "organisation = %s",
            "agreement": "agreement = %s",
            "legal_gateway": "legal_gateway = %s",
            "decision": "outcome = %s",
            "route": "route = %s",
            "time_from": "occurred_at >= %s",
            "time_to": "occurred_at < %s",
            "after": "seq > %s",
        }
        for name, clause in mapping.items():
            value = filters.get(name)
            if value is not None:
                self._add(clause, value)

    def _add(self, clause: str, value: Any) -> None:
        self.clauses.append(sql.SQL(clause))
        self.params.append(value)

    def where(self) -> sql.Composable:
        if not self.clauses:
            return sql.SQL("TRUE")
        return sql.SQL(" AND ").join(self.clauses)


def _event_view(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "seq": row["seq"],
        "event_hash": bytes(row["event_hash"]).hex(),
        "prev_hash": bytes(row["prev_hash"]).hex(),
        "event": orjson.loads(row["content"]),
    }


def _required_time(name: str, text: str) -> datetime:
    parsed = parse_timestamp(name, text)
    assert parsed is not None  # a required parameter is never absent here
    return parsed


def _check_range(time_from: datetime | None, time_to: datetime | None) -> None:
    if time_from is not None and time_to is not None and time_to <= time_from:
        raise ProblemError(
            422,
            "invalid-period",
            "`to` must be after `from`.",
            errors=[{"field": "to", "message": "not after from"}],
        )


@get("/v1/audit/keys", opt=PUBLIC, summary="Checkpoint verification keys", tags=TAGS)
async def audit_keys(state: State) -> dict[str, Any]:
    """The configured Ed25519 public keys (with SHA-256 fingerprints to pin) that sign the audit log's
    checkpoints: the current key, keys it replaced, and the witnesses' keys. Never read from the database."""
    return dict(_services(state).audit.published_keys())


@get(
    "/v1/audit/events",
    opt={"policy_action": "audit.search"},
    summary="Search the audit log",
    tags=TAGS,
    security=[{"bearer": []}],
    responses=problem_responses(400, 401, 403, 422, 503),
)
async def search_events(
    request: Request[Any, Any, Any],
    state: State,
    purpose: Purpose = None,
    dpo_agreement: DpoAgreement = None,
    from_text: Annotated[
        str | None,
        QueryParameter(name="from", description="Events at or after (RFC 3339).", pattern=TIMESTAMP_PATTERN),
    ] = None,
    to_text: Annotated[
        str | None,
        QueryParameter(name="to", description="Events before (RFC 3339).", pattern=TIMESTAMP_PATTERN),
    ] = None,
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
    cursor: Annotated[
        str | None,
        QueryParameter(
            description="From the previous page's next_cursor.", max_length=100, pattern=CURSOR_PATTERN
        ),
    ] = None,
    limit: Annotated[int, QueryParameter(ge=1, le=1000)] = DEFAULT_PAGE,
) -> dict[str, Any]:
    """Events in log order, within the officer's organisation unless they oversee every organisation."""
    time_from, time_to = parse_timestamp("from", from_text), parse_timestamp("to", to_text)
    _check_range(time_from, time_to)
    allowed = await _authorize(request, "audit.search", purpose, dpo_agreement)
    after = _decode_cursor(cursor)
    where = EventFilter(
        _organisation_scope(allowed),
        organisation=organisation,
        agreement=agreement,
        legal_gateway=legal_gateway,
        decision=decision,
        route=route,
        time_from=time_from,
        time_to=time_to,
        after=after,
    )
    query = sql.SQL("SELECT {} FROM audit_events WHERE {} ORDER BY seq LIMIT %s").format(
        sql.SQL(EVENT_COLUMNS),
        where.where(),
    )
    services = _services(state)
    async with services.pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(query, [*where.params, limit + 1])
        rows = await cur.fetchall()
    page = rows[:limit]
    _rows_returned(request, len(page))
    return {
        "events": [_event_view(r) for r in page],
        "next_cursor": _encode_cursor(page[-1]["seq"]) if len(rows) > limit else None,
        "scope": {"organisations": None if (s := _organisation_scope(allowed)) is None else list(s)},
    }


def _encode_cursor(seq: int) -> str:
    return f"seq:{seq}"


def _decode_cursor(cursor: str | None) -> int | None:
    if cursor is None:
        return None
    kind, _, value = cursor.partition(":")
    if kind != "seq" or not value.isdigit():
        raise ProblemError(
            400,
            "invalid-cursor",
            "The cursor is not one this gateway issued; start again without it.",
            errors=[{"field": "cursor", "message": "malformed cursor"}],
        )
    return int(value)


@get(
    "/v1/audit/subjects/{upn:str}",
    opt={"policy_action": "audit.subject"},
    summary="Who accessed this pupil's data",
    tags=TAGS,
    security=[{"bearer": []}],
    responses=problem_responses(400, 401, 403, 422, 503),
)
async def subject_accesses(
    request: Request[Any, Any, Any],
    state: State,
    upn: FromPath[str],
    purpose: Purpose = None,
    dpo_agreement: DpoAgreement = None,
    limit: Annotated[int, QueryParameter(ge=1, le=1000)] = DEFAULT_PAGE,
    cursor: FromQuery[str | None] = None,
) -> dict[str, Any]:
    """Every recorded access that returned this pupil's data: when, by whom, under which statute and purpose.

    The UPN is looked up by its keyed hash; it is never stored in clear in the audit log."""
    if not UPN_PATTERN.match(upn):
        raise ProblemError(
            422,
            "invalid-upn",
            "The UPN must be 13 characters: a letter, 11 digits, and a digit or letter.",
            errors=[{"field": "upn", "message": "not a UPN"}],
        )
    allowed = await _authorize(request, "audit.subject", purpose, dpo_agreement, ("upn", "audit_events"))
    services = _services(state)
    hashed = services.audit.subject_hash(upn)
    where = EventFilter(_organisation_scope(allowed), after=_decode_cursor(cursor))
    query = sql.SQL(
        "SELECT e.seq, e.occurred_at, e.organisation, e.principal_subject, e.route, e.purpose, e.legal_gateway,"
        " e.agreement, e.outcome, e.content::jsonb ->> 'reason_text' AS reason_text"
        " FROM audit_subjects s JOIN audit_events e USING (seq)"
        " WHERE s.subject_hash = %s AND {} ORDER BY e.seq LIMIT %s"
    ).format(where.where())
    async with services.pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(query, [hashed, *where.params, limit + 1])
        rows = await cur.fetchall()
    page = rows[:limit]
    _rows_returned(request, len(page), [upn])
    return {
        "subject": "hmac-sha256:" + hashed.hex(),
        "accesses": [
            {
                "seq": r["seq"],
                "time": r["occurred_at"].isoformat(),
                "organisation": r["organisation"],
                "who": r["principal_subject"],
                "route": r["route"],
                "purpose": r["purpose"],
                "legal_gateway": r["legal_gateway"],
                "agreement": r["agreement"],
                "outcome": r["outcome"],
                "reason_text": r["reason_text"],
            }
            for r in page
        ],
        "next_cursor": _encode_cursor(page[-1]["seq"]) if len(rows) > limit else None,
    }


async def _checkpoint(services: Services, size: int | None = None) -> Checkpoint | None:
    async with services.pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
        if size is None:
            await cur.execute(
                "SELECT size, root, signed_at, key_id, signature FROM audit_checkpoints ORDER BY size DESC LIMIT 1"
            )
        else:
            await cur.execute(
                "SELECT size, root, signed_at, key_id, signature FROM audit_checkpoints WHERE size = %s",
                (size,),
            )
        row = await cur.fetchone()
    if row is None:
        return None
    return Checkpoint(
        row["size"], bytes(row["root"]), row["signed_at"], row["key_id"], bytes(row["signature"])
    )


@get(
    "/v1/audit/checkpoints/latest",
    opt={"policy_action": "audit.checkpoint"},
    summary="The latest signed checkpoint",
    tags=TAGS,
    security=[{"bearer": []}],
    responses=problem_responses(400, 401, 403, 404, 503),
)
async def latest_checkpoint(
    request: Request[Any, Any, Any], state: State, purpose: Purpose = None, dpo_agreement: DpoAgreement = None
) -> dict[str, Any]:
    """Tree size, root, time and key id, with the Ed25519 signature over them."""
    await _authorize(request, "audit.checkpoint", purpose, dpo_agreement, ("audit_checkpoints",))
    checkpoint = await _checkpoint(_services(state))
    if checkpoint is None:
        raise ProblemError(404, "no-checkpoint", "No checkpoint has been signed yet.")
    _rows_returned(request, 1)
    return checkpoint.as_dict()


async def _tree(services: Services, size: int, points: Sequence[int]) -> BlockedTree:
    """Cached block roots below `size`, and the leaves of the blocks around `points` and at the tail."""
    wanted = sorted({p // BLOCK for p in points if 0 <= p < size} | {(size - 1) // BLOCK})
    async with services.pool.connection() as conn, conn.cursor(row_factory=tuple_row, binary=True) as cur:
        await cur.execute("SELECT root FROM audit_subtrees WHERE idx < %s ORDER BY idx", (size // BLOCK,))
        blocks = [bytes(r[0]) for r in await cur.fetchall()]
        if len(blocks) != size // BLOCK:
            blocks, wanted = [], list(range(-(-size // BLOCK)))  # cache incomplete: read every leaf
        leaves: dict[int, bytes] = {}
        for b in wanted:
            await cur.execute(
                "SELECT seq, leaf_hash FROM audit_events WHERE seq > %s AND seq <= %s ORDER BY seq",
                (b * BLOCK, min((b + 1) * BLOCK, size)),
            )
            leaves.update((int(r[0]) - 1, bytes(r[1])) for r in await cur.fetchall())
    return BlockedTree(blocks, leaves)


@get(
    "/v1/audit/events/{seq:int}/proof",
    opt={"policy_action": "audit.proof"},
    summary="Inclusion proof for an event",
    tags=TAGS,
    security=[{"bearer": []}],
    responses=problem_responses(400, 401, 403, 404, 503),
)
async def event_proof(
    request: Request[Any, Any, Any],
    state: State,
    seq: FromPath[int],
    purpose: Purpose = None,
    dpo_agreement: DpoAgreement = None,
    size: Annotated[
        int | None, QueryParameter(description="Checkpoint size to prove against (default latest).")
    ] = None,
) -> dict[str, Any]:
    """The RFC 9162 audit path from the event's leaf to the root of a signed checkpoint that covers it."""
    allowed = await _authorize(request, "audit.proof", purpose, dpo_agreement, ("audit_proofs",))
    services = _services(state)
    checkpoint = await _checkpoint(services, size)
    if checkpoint is None:
        raise ProblemError(
            404, "no-checkpoint", f"No checkpoint at size {size}." if size else "No checkpoint yet."
        )
    if not 1 <= seq <= checkpoint.size:
        raise ProblemError(
            404,
            "event-not-covered",
            f"Event {seq} is not covered by the checkpoint at size {checkpoint.size}; ask again after the next one.",
        )
    where = EventFilter(_organisation_scope(allowed))
    query = sql.SQL("SELECT {} FROM audit_events WHERE seq = %s AND {}").format(
        sql.SQL(EVENT_COLUMNS),
        where.where(),
    )
    async with services.pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(query, [seq, *where.params])
        row = await cur.fetchone()
    if row is None:
        raise ProblemError(404, "event-not-found", f"No event {seq} within your oversight scope.")
    tree = await _tree(services, checkpoint.size, [seq - 1])
    path = inclusion_path(tree.root, seq - 1, checkpoint.size)
    _rows_returned(request, 1)
    return {
        "seq": seq,
        "leaf_index": seq - 1,
        "tree_size": checkpoint.size,
        "prev_hash": bytes(row["prev_hash"]).hex(),
        "event_hash": bytes(row["event_hash"]).hex(),
        "content": row["content"],
        "path": [h.hex() for h in path],
        "checkpoint": checkpoint.as_dict(),
    }


@get(
    "/v1/audit/consistency",
    opt={"policy_action": "audit.proof"},
    summary="Consistency proof between two checkpoints",
    tags=TAGS,
    security=[{"bearer": []}],
    responses=problem_responses(400, 401, 403, 404, 422, 503),
)
async def consistency(
    request: Request[Any, Any, Any],
    state: State,
    first: Annotated[int, QueryParameter(name="from", ge=1, description="Size of the earlier checkpoint.")],
    second: Annotated[int, QueryParameter(name="to", ge=1, description="Size of the later checkpoint.")],
    purpose: Purpose = None,
    dpo_agreement: DpoAgreement = None,
) -> dict[str, Any]:
    """The RFC 9162 proof that the log at `to` extends the log at `from` without rewriting it."""
    if second < first:
        raise ProblemError(
            422,
            "invalid-range",
            "`to` must not be smaller than `from`.",
            errors=[{"field": "to", "message": "< from"}],
        )
    await _authorize(request, "audit.proof", purpose, dpo_agreement, ("audit_proofs",))
    services = _services(state)
    older, newer = await _checkpoint(services, first), await _checkpoint(services, second)
    missing = [n for n, c in ((first, older), (second, newer)) if c is None]
    if older is None or newer is None:
        raise ProblemError(404, "no-checkpoint", f"No checkpoint at size {missing[0]}.")
    tree = await _tree(services, newer.size, [older.size - 1, older.size])
    path = consistency_path(tree.root, older.size, newer.size)
    _rows_returned(request, 1)
    return {"from": older.as_dict(), "to": newer.as_dict(), "path": [h.hex() for h in path]}


@get(
    "/v1/audit/report",
    opt={"policy_action": "audit.report"},
    summary="Transparency report for a period",
    tags=TAGS,
    security=[{"bearer": []}],
    responses=problem_responses(400, 401, 403, 422, 503),
)
async def transparency_report(
    request: Request[Any, Any, Any],
    state: State,
    from_text: Annotated[
        str, QueryParameter(name="from", description="Period start (RFC 3339).", pattern=TIMESTAMP_PATTERN)
    ],
    to_text: Annotated[
        str,
        QueryParameter(name="to", description="Period end, exclusive (RFC 3339).", pattern=TIMESTAMP_PATTERN),
    ],
    purpose: Purpose = None,
    dpo_agreement: DpoAgreement = None,
) -> dict[str, Any]:
    """Accesses in a period counted by organisation, legal gateway, purpose and decision, disclosure-controlled
    so it can be published."""
    time_from, time_to = _required_time("from", from_text), _required_time("to", to_text)
    _check_range(time_from, time_to)
    allowed = await _authorize(request, "audit.report", purpose, dpo_agreement)
    where = EventFilter(_organisation_scope(allowed), time_from=time_from, time_to=time_to)
    query = sql.SQL(
        "SELECT dimension, value, count(*) AS n FROM ("
        " SELECT 'organisation' AS dimension, coalesce(organisation, '(unauthenticated)') AS value"
        "   FROM audit_events WHERE {w}"
        " UNION ALL SELECT 'legal_gateway', coalesce(legal_gateway, '(none)') FROM audit_events WHERE {w}"
        " UNION ALL SELECT 'purpose', coalesce(purpose, '(none)') FROM audit_events WHERE {w}"
        " UNION ALL SELECT 'decision', outcome FROM audit_events WHERE {w}"
        ") t GROUP BY dimension, value"
    ).format(w=where.where())
    services = _services(state)
    async with services.pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(query, where.params * 4)
        rows = await cur.fetchall()
    breakdowns: dict[str, dict[str, int]] = {
        d: {} for d in ("organisation", "legal_gateway", "purpose", "decision")
    }
    for r in rows:
        breakdowns[r["dimension"]][r["value"]] = int(r["n"])
    total = sum(breakdowns["decision"].values())
    _rows_returned(request, sum(len(b) for b in breakdowns.values()))
    return {
        "period": {"from": time_from.isoformat(), "to": time_to.isoformat()},
        "scope": {"organisations": None if (s := _organisation_scope(allowed)) is None else list(s)},
        "total": protected_total(total),
        "by": {name: protect(counts) for name, counts in breakdowns.items()},
        "disclosure_rule": RULE,
    }


@get(
    "/v1/audit/export",
    opt={"policy_action": "audit.export", "stream_media_types": ["application/x-ndjson", "text/csv"]},
    summary="Export the audit log (NDJSON or CSV)",
    tags=TAGS,
    security=[{"bearer": []}],
    responses=problem_responses(400, 401, 403, 422, 503),
)
async def export_events(
    request: Request[Any, Any, Any],
    state: State,
    export_format: Annotated[Literal["ndjson", "csv"], QueryParameter(name="format")] = "ndjson",
    purpose: Purpose = None,
    dpo_agreement: DpoAgreement = None,
    from_text: Annotated[
        str | None,
        QueryParameter(name="from", description="Events at or after (RFC 3339).", pattern=TIMESTAMP_PATTERN),
    ] = None,
    to_text: Annotated[
        str | None,
        QueryParameter(name="to", description="Events before (RFC 3339).", pattern=TIMESTAMP_PATTERN),
    ] = None,
) -> Stream:
    """Events within the officer's scope. The NDJSON form carries keys and checkpoints too: a complete export
    (the DfE officer's, unfiltered) verifies offline with `gateway audit verify --export FILE`."""
    time_from, time_to = parse_timestamp("from", from_text), parse_timestamp("to", to_text)
    _check_range(time_from, time_to)
    allowed = await _authorize(request, "audit.export", purpose, dpo_agreement)
    cap = allowed.obligations.row_cap
    where = EventFilter(_organisation_scope(allowed), time_from=time_from, time_to=time_to)
    services = _services(state)
    query = sql.SQL("SELECT {} FROM audit_events WHERE {} ORDER BY seq LIMIT %s").format(
        sql.SQL(EVENT_COLUMNS),
        where.where(),
    )
    async with services.pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(query, [*where.params, (cap + 1) if cap else None])
        rows = await cur.fetchall()
        await cur.execute("SELECT key_id, public_key FROM audit_keys ORDER BY created_at, key_id")
        keys = [PublicKey(r["key_id"], bytes(r["public_key"])) for r in await cur.fetchall()]
        await cur.execute(
            "SELECT size, root, signed_at, key_id, signature FROM audit_checkpoints ORDER BY size"
        )
        checkpoints = [
            Checkpoint(r["size"], bytes(r["root"]), r["signed_at"], r["key_id"], bytes(r["signature"]))
            for r in await cur.fetchall()
        ]
    if cap is not None and len(rows) > cap:
        raise ProblemError(
            422,
            "export-too-large",
            f"More than {cap} events match; narrow the period with `from` and `to`.",
            row_cap=cap,
        )
    _rows_returned(request, len(rows))
    if export_format == "csv":
        return Stream(_csv_lines(rows), media_type="text/csv; charset=utf-8")
    return Stream(_ndjson_lines(rows, keys, checkpoints), media_type="application/x-ndjson")


async def _ndjson_lines(
    rows: list[dict[str, Any]], keys: list[PublicKey], checkpoints: list[Checkpoint]
) -> AsyncIterator[bytes]:
    yield orjson.dumps({"type": "header", "format": EXPORT_FORMAT}) + b"\n"
    for key in keys:
        yield orjson.dumps({"type": "key", **key.as_dict()}) + b"\n"
    for cp in checkpoints:
        yield orjson.dumps({"type": "checkpoint", **cp.as_dict()}) + b"\n"
    for r in rows:
        yield (
            orjson.dumps(
                {
                    "type": "event",
                    "seq": r["seq"],
                    "content": r["content"],
                    "prev_hash": bytes(r["prev_hash"]).hex(),
                    "event_hash": bytes(r["event_hash"]).hex(),
                    "leaf_hash": _leaf_hex(r),
                }
            )
            + b"\n"
        )


def _leaf_hex(row: dict[str, Any]) -> str:
    from gateway.audit.chain import event_leaf

    return event_leaf(bytes(row["event_hash"])).hex()


async def _csv_lines(rows: list[dict[str, Any]]) -> AsyncIterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        event = orjson.loads(r["content"])
        writer.writerow(
            [
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


AUDIT_ROUTES: list[Any] = [
    audit_keys,
    search_events,
    subject_accesses,
    latest_checkpoint,
    event_proof,
    consistency,
    transparency_report,
    export_events,
]
