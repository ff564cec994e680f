"""Record-level extracts for agreements that permit them: pseudonymised, generalised, capped, streamed."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal

import msgspec
from litestar import Request, post
from litestar.exceptions import ValidationException
from litestar.params import Body
from litestar.response import Stream

from gateway.api.params import DATE_BOUND, DATE_PATTERN, IDENTIFIER_PATTERN, REGION_PATTERN, TEXT_PATTERN
from gateway.api.release import release_pupil_rows, released_fields
from gateway.edge.governed import Governed, Requested, governed_route
from gateway.edge.http_cache import stamp_of
from gateway.edge.parameters import has_control_character, invalid
from gateway.edge.problems import ProblemError, problem_responses
from gateway.privacy.pseudonyms import Pseudonymiser
from gateway.store.queries import ExtractQuery
from gateway.store.scope import AreaFilter

DEFAULT_ROW_CAP = 100_000
CHUNK_ROWS = 2_000
MEDIA_TYPES = {"ndjson": "application/x-ndjson", "csv": "text/csv; charset=utf-8"}


# The same bound as the query's dates, stated in the body's schema (checked in extract_request).
BodyDate = Annotated[date, msgspec.Meta(extra_json_schema={"extra": DATE_BOUND})]


class ExtractRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """What to extract; the fields and period must lie within the agreement."""

    purpose: Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=IDENTIFIER_PATTERN)]
    agreement: Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=IDENTIFIER_PATTERN)]
    date_from: BodyDate
    date_to: BodyDate
    fields: list[Annotated[str, msgspec.Meta(min_length=1, max_length=40, pattern=r"^[a-z_]+$")]] = (
        msgspec.field(default_factory=list)
    )
    format: Literal["ndjson", "csv"] = "ndjson"
    reason: Annotated[str, msgspec.Meta(max_length=500, pattern=TEXT_PATTERN)] | None = None
    region: Annotated[str, msgspec.Meta(max_length=40, pattern=REGION_PATTERN)] | None = None
    la_code: Annotated[int, msgspec.Meta(ge=200, le=999)] | None = None
    phase: Literal["primary", "secondary", "special"] | None = None
    year_group: Annotated[int, msgspec.Meta(ge=0, le=14)] | None = None


class ExtractSummary(msgspec.Struct, kw_only=True):
    """The NDJSON extract's last line, so a truncated download is detectable: the rows sent before it,
    and the data version, data-as-of and request id its headers carry."""

    rows: int
    data_version: str
    data_as_of: date | None
    request_id: str | None


# The key of the last line. No record can have it: a released field is one of release.ROW_FIELDS, none of
# which starts with "_" (tests/api/test_extract_summary.py checks them).
SUMMARY_KEY = "_summary"


def encode_ndjson(rows: Sequence[dict[str, Any]], summary: ExtractSummary) -> Iterator[bytes]:
    """One JSON object per line, then `{"_summary": {...}}` as the final line (also when no row matched)."""
    encoder = msgspec.json.Encoder()
    for start in range(0, len(rows), CHUNK_ROWS):
        buffer = bytearray()
        for row in rows[start : start + CHUNK_ROWS]:
            encoder.encode_into(row, buffer, len(buffer))
            buffer.extend(b"\n")
        yield bytes(buffer)
    yield encoder.encode({SUMMARY_KEY: summary}) + b"\n"


def encode_csv(rows: Sequence[dict[str, Any]], fields: Sequence[str]) -> Iterator[bytes]:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(fields), extrasaction="raise", lineterminator="\n")
    writer.writeheader()
    for start in range(0, len(rows), CHUNK_ROWS):
        for row in rows[start : start + CHUNK_ROWS]:
            writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
        yield out.getvalue().encode()
        out.seek(0)
        out.truncate()
    rest = out.getvalue()
    if rest:
        yield rest.encode()


def check_extract_body(data: ExtractRequest) -> None:
    """What msgspec's patterns cannot hold (they search, so a `$` lets a trailing newline through): no
    control character in any text, and dates within the contract's years."""
    for name in data.__struct_fields__:
        value = getattr(data, name)
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(t, str) and has_control_character(t) for t in texts):
            raise invalid(name, "body", "contains a control character")
        if isinstance(value, date) and not re.fullmatch(DATE_PATTERN, value.isoformat()):
            raise invalid(name, "body", "must be a day from 2000-01-01 to 2099-12-31")


@dataclass(frozen=True, slots=True)
class ExtractRequested(Requested):
    export_format: Literal["ndjson", "csv"] = "ndjson"


async def extract_request(request: Request[Any, Any, Any]) -> ExtractRequested:
    # The body is read here, not through a `data` parameter: Litestar cannot yet hand `data` to a dependency
    # of a dependency. The handler's `data` parameter documents the same type (and Litestar checks it too).
    try:
        data = msgspec.json.decode(await request.body(), type=ExtractRequest)
    except (msgspec.ValidationError, msgspec.DecodeError) as exc:
        raise ValidationException(
            "Validation failed for POST /v1/extracts", extra=[{"message": str(exc), "key": "body"}]
        ) from exc
    check_extract_body(data)
    return ExtractRequested(
        purpose=data.purpose,
        agreement=data.agreement,
        reason=data.reason,
        resource="extract",
        fields=tuple(data.fields),
        level="pupil",
        area=AreaFilter(
            region=data.region, la_code=data.la_code, phase=data.phase, year_group=data.year_group
        ),
        date_from=data.date_from,
        date_to=data.date_to,
        export_format=data.format,
    )


@post(
    "/v1/extracts",
    **governed_route(
        "extracts.create",
        requested=extract_request,
        opt={"stream_media_types": ["application/x-ndjson", "text/csv"]},
    ),
    summary="A pseudonymised record-level extract, streamed as NDJSON or CSV",
    tags=["extracts"],
    responses=problem_responses(400, 401, 403, 422, 503),
    status_code=200,
    response_description=(
        "One record per enrolment; pupil_ref is a pseudonym in your own domain. NDJSON ends with a summary"
        ' line {"_summary": {"rows", "data_version", "data_as_of", "request_id"}}: a download without it,'
        " or whose rows differ from the lines before it, was cut short. CSV has no trailer (x-row-count)."
    ),
)
async def create_extract(
    request: Request[Any, Any, Any],
    gov: Governed[ExtractRequested],
    data: Annotated[ExtractRequest, Body(description="The extract to produce.")],
) -> Stream:
    """Fields and period within the agreement; the agreement's row cap is enforced before anything is sent.

    NDJSON: one JSON object per record, then one final line `{"_summary": {"rows": N, "data_version": ...,
    "data_as_of": ..., "request_id": ...}}` (also for an empty extract). `rows` counts the records before it,
    and the other three equal the `Data-Version`, `Data-As-Of` and `x-request-id` headers, so a truncated
    download is detectable from the file alone. No record has a key starting with `_`. CSV carries no
    trailer (a CSV reader such as pandas would read it as a record); compare its rows with `x-row-count`."""
    asked, period, o = gov.requested, gov.require_period(), gov.obligations
    fields = released_fields(o, asked.fields)
    if o.granularity == "identifiable" or not o.pseudonym_domain:
        raise ProblemError(
            403,
            "access-denied",
            "Record-level extracts are only released pseudonymised, in your own domain.",
            reasons=[
                {
                    "code": "DENY_GRANULARITY",
                    "message": "extract needs a pseudonymising agreement",
                    "citation": "the agreement's granularity",
                }
            ],
        )
    cap = o.row_cap or DEFAULT_ROW_CAP
    rows = await ExtractQuery(period=period, scope=gov.scope, fields=tuple(fields), cap=cap).fetch(gov.conn)
    if len(rows) > cap:
        raise ProblemError(
            422,
            "row-cap-exceeded",
            f"The extract would return more than {cap} rows, the agreement's row cap; narrow the period or area.",
            row_cap=cap,
        )
    out_fields = ["pupil_ref", *[f for f in fields if f != "pupil_ref"]] if "pupil_ref" in fields else fields
    released, subjects = release_pupil_rows(
        rows, o, out_fields, Pseudonymiser(gov.services.keyring), period.date_to
    )
    released = [{k: r[k] for k in out_fields if k in r} for r in released]
    gov.release(len(released), subjects)
    columns = [k for k in out_fields if released and k in released[0]] or out_fields
    if asked.export_format == "ndjson":
        version = stamp_of(request.scope).version
        summary = ExtractSummary(
            rows=len(released),
            data_version=version.label,
            data_as_of=version.as_of,
            request_id=gov.request_id,
        )
        body = encode_ndjson(released, summary)
    else:  # CSV has no place for a trailer that a CSV reader would skip: its x-row-count header says it
        body = encode_csv(released, columns)
    return Stream(
        body,
        media_type=MEDIA_TYPES[asked.export_format],
        headers={"x-row-count": str(len(released)), "x-row-cap": str(cap)},
    )


ROUTES = [create_extract]
