"""The aggregator's feed over HTTP: the same validation and lossless, all-or-nothing ingest as the CLI."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from litestar import Request, post
from litestar.params import QueryParameter

from gateway.api.common import Governance, governance, record_rows, services_of
from gateway.api.params import IDENTIFIER_PATTERN
from gateway.ingest.feed import FeedError
from gateway.ingest.run import ingest_stream
from gateway.policy.guard import authorize
from gateway.problems import ProblemError, problem_responses

MAX_BODY_BYTES = 512 * 1024 * 1024


class IngestResult(msgspec.Struct, kw_only=True):
    """What the batch did: every row is accepted, updated, unchanged or kept as a reject with its reason."""

    governance: Governance
    batch_id: int
    kind: str
    source_name: str
    accepted: int
    updated: int
    unchanged: int
    rejected: int
    reasons: dict[str, int]
    seconds: float


@post(
    "/v1/ingest/registers",
    opt={
        "policy_action": "ingest.registers",
        "request_media_types": ["text/csv", "application/x-ndjson", "application/gzip"],
    },
    summary="Submit a feed file (schools, roster or register marks; CSV or NDJSON, optionally gzipped)",
    tags=["ingest"],
    security=[{"bearer": []}],
    status_code=200,
    responses=problem_responses(400, 401, 403, 422, 503),
    request_max_body_size=MAX_BODY_BYTES,
)
async def ingest_registers(
    request: Request[Any, Any, Any],
    purpose: Annotated[
        str,
        QueryParameter(
            description="Why the feed is sent (e.g. data-collection).", min_length=1, max_length=100
        ),
    ],
    agreement: Annotated[
        str,
        QueryParameter(
            description="The collection agreement.", min_length=1, max_length=100, pattern=IDENTIFIER_PATTERN
        ),
    ],
    kind: Annotated[
        Literal["schools", "roster", "marks"] | None,
        QueryParameter(description="Expected kind (default: from the header)."),
    ] = None,
    name: Annotated[
        str | None,
        QueryParameter(
            description="The file's name, recorded with the batch.",
            max_length=200,
            pattern=r"^[A-Za-z0-9._-]+$",
        ),
    ] = None,
) -> IngestResult:
    """The body is the file. The batch is all-or-nothing; re-sending the same file changes nothing."""
    services = services_of(request)
    decision = await authorize(
        request,
        action="ingest.registers",
        purpose=purpose,
        agreement=agreement,
        reason=None,
        resource={
            "resource": "ingest",
            "fields": [],
            "level": None,
            "region": None,
            "la_code": None,
            "urn": None,
            "date_from": None,
            "date_to": None,
            "breakdown": None,
        },
    )
    body = await request.body()
    if not body:
        raise ProblemError(422, "invalid-feed", "The request body is empty; send the feed file as the body.")
    principal = request.user
    source_name = (
        f"http:{principal.organisation}:{name or request.scope['state'].get('request_id', 'upload')}"
    )
    try:
        async with services.pool.connection() as conn:
            summary = await ingest_stream(conn, kind, source_name, body)
    except FeedError as exc:
        raise ProblemError(422, "invalid-feed", f"The body is not a feed file: {exc}") from exc
    record_rows(request, summary.accepted + summary.updated + summary.unchanged + summary.rejected)
    return IngestResult(
        governance=governance(request, decision),
        batch_id=summary.batch_id,
        kind=summary.kind,
        source_name=summary.source_name,
        accepted=summary.accepted,
        updated=summary.updated,
        unchanged=summary.unchanged,
        rejected=summary.rejected,
        reasons=summary.reasons,
        seconds=summary.seconds,
    )


ROUTES = [ingest_registers]
