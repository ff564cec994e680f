"""The aggregator's feed over HTTP: the same validation and lossless, all-or-nothing ingest as the CLI."""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Annotated, Any, Final, Literal

import msgspec
from litestar import Request, post
from litestar.params import HeaderParameter, QueryParameter

from gateway.api.params import IDENTIFIER_PATTERN
from gateway.edge.governed import Governance, Governed, Requested, governed_route
from gateway.edge.problems import ProblemError, problem_responses
from gateway.ingest.body import BodyLimits, CapExceededError, spool_body
from gateway.ingest.feed import FeedError, FeedKind, FeedOrigin, WriteScope, WrongFormatError
from gateway.ingest.run import ingest_source
from gateway.ingest.source import Format, Source


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
    mis_product: str | None = None
    mis_version: str | None = None


# A product or version name as a supplier writes it (letters, digits, space and . _ + - inside).
MIS_NAME_PATTERN: Final = r"^[A-Za-z0-9](?:[A-Za-z0-9 ._+-]*[A-Za-z0-9+])?$"


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
    mis_product: Annotated[
        str | None,
        HeaderParameter(
            name="mis-product",
            description="The MIS product that produced the file, recorded with the batch (docs/feed.md).",
            min_length=1,
            max_length=64,
            pattern=MIS_NAME_PATTERN,
        ),
    ] = None,
    mis_version: Annotated[
        str | None,
        HeaderParameter(
            name="mis-version",
            description="The MIS product's version, recorded with the batch (docs/feed.md).",
            min_length=1,
            max_length=32,
            pattern=MIS_NAME_PATTERN,
        ),
    ] = None,
) -> IngestRequested:
    return IngestRequested(
        purpose=purpose,
        agreement=agreement,
        resource="ingest",
        kind=kind,
        name=name,
        mis_product=mis_product,
        mis_version=mis_version,
    )


# Content types a feed may be sent as: the format they promise (None: gzip of either format).
FEED_MEDIA_TYPES: Final[dict[str, Format | None]] = {
    "text/csv": "csv",
    "application/x-ndjson": "ndjson",
    "application/ndjson": "ndjson",
    "application/gzip": None,
    "application/x-gzip": None,
}
GZIP_TYPES: Final = frozenset({"application/gzip", "application/x-gzip"})


@dataclass(frozen=True, slots=True)
class Declared:
    """What the request's headers say the body is."""

    format: Format | None
    gzipped: bool


def declared_type(content_type: str | None, content_encoding: str | None) -> Declared:
    """The body's declared format and compression, or 415 naming what is accepted."""
    media = (content_type or "").split(";", 1)[0].strip().lower()
    encoding = (content_encoding or "identity").strip().lower()
    accepted = ", ".join(FEED_MEDIA_TYPES)
    if media not in FEED_MEDIA_TYPES:
        shown = repr(media[:100]) if media else "none"
        raise ProblemError(
            415,
            "unsupported-media-type",
            f"Content-Type {shown} is not a feed type; send one of: {accepted}"
            " (text/csv and the NDJSON types may also be sent with Content-Encoding: gzip).",
            accepted=list(FEED_MEDIA_TYPES),
        )
    if encoding not in {"identity", "gzip"} or (encoding == "gzip" and media in GZIP_TYPES):
        raise ProblemError(
            415,
            "unsupported-media-type",
            f"Content-Encoding {encoding[:40]!r} is not accepted with {media}; only gzip, on text/csv or NDJSON.",
            accepted=list(FEED_MEDIA_TYPES),
        )
    return Declared(FEED_MEDIA_TYPES[media], media in GZIP_TYPES or encoding == "gzip")


def _over_cap(exc: CapExceededError) -> ProblemError:
    return ProblemError(
        413,
        "payload-too-large",
        f"The feed was refused and nothing was written: {exc}. Split the file into smaller batches.",
        cap=f"ingest.{exc.cap}",
        limit=exc.limit,
    )


async def _spooled(request: Request[Any, Any, Any], name: str, limits: BodyLimits) -> Source:
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > limits.max_body_bytes:
        raise _over_cap(CapExceededError("max_body_bytes", limits.max_body_bytes, "the body as sent"))
    try:
        return await spool_body(name, request.stream(), limits)
    except CapExceededError as exc:
        raise _over_cap(exc) from exc
    except zlib.error as exc:
        raise ProblemError(422, "invalid-feed", "The body is not valid gzip.") from exc
    except FeedError as exc:
        raise ProblemError(422, "invalid-feed", f"The body is not a feed file: {exc}") from exc


@post(
    "/v1/ingest/registers",
    **governed_route(
        "ingest.registers",
        requested=ingest_request,
        opt={"request_media_types": list(FEED_MEDIA_TYPES)},
    ),
    summary="Submit a feed file (schools, roster or register marks; CSV or NDJSON, optionally gzipped)",
    tags=["ingest"],
    status_code=200,
    responses=problem_responses(400, 401, 403, 413, 415, 422, 503),
    # The body is streamed to a spool under the caps of settings.ingest (see _spooled), never whole in memory.
    request_max_body_size=None,
)
async def ingest_registers(request: Request[Any, Any, Any], gov: Governed[IngestRequested]) -> IngestResult:
    """The body is the file. The batch is all-or-nothing; re-sending the same file changes nothing.

    Over a cap of `settings.ingest` the answer is 413 naming the cap, and nothing is written."""
    asked = gov.requested
    declared = declared_type(request.headers.get("content-type"), request.headers.get("content-encoding"))
    caps = gov.services.settings.ingest
    limits = BodyLimits(caps.max_body_bytes, caps.max_unpacked_bytes, caps.max_line_bytes)
    source_name = f"http:{gov.principal.organisation}:{asked.name or gov.request_id or 'upload'}"
    source = await _spooled(request, source_name, limits)
    try:
        if source.is_empty():
            raise ProblemError(
                422, "invalid-feed", "The request body is empty; send the feed file as the body."
            )
        if source.is_gzip() != declared.gzipped:
            said = "gzip" if declared.gzipped else "not gzip"
            raise ProblemError(
                415, "unsupported-media-type", f"The headers say the body is {said}, but it is not so."
            )
        kind = FeedKind(asked.kind) if asked.kind is not None else None
        granted = gov.obligations.write_scope  # None for ingest means the agreement names no schools
        scope = WriteScope(
            la_codes=frozenset(granted.la_codes if granted else ()),
            urns=frozenset(granted.urns if granted else ()),
        )
        origin = FeedOrigin(asked.mis_product, asked.mis_version, gov.principal.organisation)
        summary = await ingest_source(
            gov.conn, source, kind, expected_format=declared.format, write_scope=scope, origin=origin
        )
    except WrongFormatError as exc:
        raise ProblemError(
            415, "unsupported-media-type", f"The body does not match its Content-Type: {exc}"
        ) from exc
    except FeedError as exc:
        raise ProblemError(422, "invalid-feed", f"The body is not a feed file: {exc}") from exc
    finally:
        source.close()
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
