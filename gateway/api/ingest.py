"""The aggregator's feed over HTTP: the same validation and lossless, all-or-nothing ingest as the CLI."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

import msgspec
from litestar import Request, post
from litestar.params import QueryParameter

from gateway.api.params import IDENTIFIER_PATTERN
from gateway.edge.governed import Governance, Governed, Requested, governed_route
from gateway.edge.problems import ProblemError, problem_responses
from gateway.ingest.feed import FeedError
from gateway.ingest.run import ingest_stream

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


@dataclass(frozen=True, slots=True)
class IngestRequested(Requested):
    kind: Literal["schools", "roster", "marks"] | None = None
    name: str | None = None


def ingest_request(
    purpose: Annotated[
        str,
        QueryParameter(
            description="Why the feed is sent (e.g. data-collection).",
            min_length=1,
            max_length=100,
            pattern=IDENTIFIER_PATTERN,
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
) -> IngestRequested:
    return IngestRequested(purpose=purpose, agreement=agreement, resource="ingest", kind=kind, name=name)


@post(
    "/v1/ingest/registers",
    **governed_route(
        "ingest.registers",
        requested=ingest_request,
        opt={"request_media_types": ["text/csv", "application/x-ndjson", "application/gzip"]},
    ),
    summary="Submit a feed file (schools, roster or register marks; CSV or NDJSON, optionally gzipped)",
    tags=["ingest"],
    status_code=200,
    responses=problem_responses(400, 401, 403, 422, 503),
    request_max_body_size=MAX_BODY_BYTES,
)
async def ingest_registers(request: Request[Any, Any, Any], gov: Governed[IngestRequested]) -> IngestResult:
    """The body is the file. The batch is all-or-nothing; re-sending the same file changes nothing."""
    asked = gov.requested
    body = await request.body()
    if not body:
        raise ProblemError(422, "invalid-feed", "The request body is empty; send the feed file as the body.")
    source_name = f"http:{gov.principal.organisation}:{asked.name or gov.request_id or 'upload'}"
    try:
        summary = await ingest_stream(gov.conn, asked.kind, source_name, body)
    except FeedError as exc:
        raise ProblemError(422, "invalid-feed", f"The body is not a feed file: {exc}") from exc
    return IngestResult(
        governance=gov.release(summary.accepted + summary.updated + summary.unchanged + summary.rejected),
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
