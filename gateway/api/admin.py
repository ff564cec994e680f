"""DfE data management: moving a school to another LA or trust, or changing its phase or type, decided, with
a reason, and audited.

Ingest never does these implicitly (a feed row that would is refused as `needs_data_management`); these routes
are the one governed way, for the `data-manager` role under the `dfe-data-management` agreement."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal, TypeVar

import msgspec
from litestar import Request, post
from litestar.exceptions import ValidationException
from litestar.params import Body, PathParameter

from gateway.api.extracts import BodyDate
from gateway.api.params import DATE_PATTERN, IDENTIFIER_PATTERN, TEXT_PATTERN
from gateway.edge.governed import Governance, Governed, Requested, governed_route
from gateway.edge.parameters import has_control_character, invalid
from gateway.edge.problems import ProblemError, problem_responses
from gateway.edge.scope_state import access_record
from gateway.ingest.roster import ReassignError, reassign_school
from gateway.store.school_register import RegisterError, reclassify_school
from gateway.store.scope import AreaFilter

Urn = Annotated[int, PathParameter(description="The school's URN.", ge=100000, le=999999)]


class AdminBody(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """What every data-management body gives: purpose and agreement, the day the change took effect, and why."""

    purpose: Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=IDENTIFIER_PATTERN)]
    agreement: Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=IDENTIFIER_PATTERN)]
    effective_date: BodyDate
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=500, pattern=TEXT_PATTERN)]


Body_ = TypeVar("Body_", bound=msgspec.Struct)


class ReassignRequest(AdminBody, kw_only=True, forbid_unknown_fields=True):
    """The school's new LA and trust (null: no trust), the day the change took effect, and why."""

    la_code: Annotated[int, msgspec.Meta(ge=200, le=999)]
    trust_id: Annotated[int, msgspec.Meta(ge=1, le=2_147_483_647)] | None


class ReclassifyRequest(AdminBody, kw_only=True, forbid_unknown_fields=True):
    """The school's new phase and type (as the register of schools names them), the day it took effect, and why."""

    phase: Literal["primary", "secondary", "special"]
    school_type: Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=TEXT_PATTERN)]


class Placement(msgspec.Struct, kw_only=True):
    la_code: int
    trust_id: int | None


class Reassignment(msgspec.Struct, kw_only=True):
    """What changed: the school's LA and trust before and after, and the day it took effect."""

    urn: int
    changed: bool  # false when the school was already in that LA and trust (nothing written)
    previous: Placement
    current: Placement
    effective_date: date
    governance: Governance


@dataclass(frozen=True, slots=True)
class ReassignRequested(Requested):
    la_code: int = 0
    trust_id: int | None = None
    effective_date: date | None = None


async def _decoded(
    request: Request[Any, Any, Any], body_type: type[Body_], route: str, texts: tuple[str, ...] = ()
) -> Body_:
    """The body of a data-management route (`route`: its path), decoded strictly: purpose, agreement and
    reason, the `texts` fields, and `effective_date` if the body has one (it may be optional). Read here, not
    through `data`, as extracts do (Litestar cannot hand `data` to a dependency's dependency)."""
    try:
        data = msgspec.json.decode(await request.body(), type=body_type)
    except (msgspec.ValidationError, msgspec.DecodeError) as exc:
        raise ValidationException(
            f"Validation failed for POST {route}", extra=[{"message": str(exc), "key": "body"}]
        ) from exc
    # What msgspec's patterns cannot hold (they search, so `$` lets a trailing newline through).
    for name in ("purpose", "agreement", "reason", *texts):
        if has_control_character(getattr(data, name)):
            raise invalid(name, "body", "contains a control character")
    effective: date | None = getattr(data, "effective_date", None)
    if effective is not None and not re.fullmatch(DATE_PATTERN, effective.isoformat()):
        raise invalid("effective_date", "body", "must be a day from 2000-01-01 to 2099-12-31")
    return data


def _took_effect(effective: date | None) -> date:
    if effective is None or effective > datetime.now(UTC).date():
        raise ProblemError(
            422,
            "effective-date-in-future",
            "A register change takes effect when it is made; effective_date may not be after today.",
            errors=[{"field": "effective_date", "source": "body", "message": "after today"}],
        )
    return effective


async def reassign_request(request: Request[Any, Any, Any], urn: Urn) -> ReassignRequested:
    data = await _decoded(request, ReassignRequest, "/v1/admin/schools/{urn}/reassign")
    return ReassignRequested(
        purpose=data.purpose,
        agreement=data.agreement,
        reason=data.reason,
        area=AreaFilter(la_code=data.la_code, urn=urn, trust_id=data.trust_id),
        la_code=data.la_code,
        trust_id=data.trust_id,
        effective_date=data.effective_date,
    )


@post(
    "/v1/admin/schools/{urn:int}/reassign",
    **governed_route("schools.reassign", requested=reassign_request),
    summary="Move a school to another LA or trust (DfE data management, with a reason)",
    tags=["admin"],
    responses=problem_responses(400, 401, 403, 404, 422, 503),
    status_code=200,
)
async def reassign(
    gov: Governed[ReassignRequested],
    request: Request[Any, Any, Any],
    urn: Urn,
    data: Annotated[ReassignRequest, Body(description="The school's new LA and trust, and why.")],
) -> Reassignment:
    """The school's enrolments, marks and statistics move with it; the old and new LA and trust and the
    effective date are recorded in the request's audit event."""
    asked = gov.requested
    effective = _took_effect(asked.effective_date)
    try:
        async with gov.conn.transaction():
            old_la, old_trust = await reassign_school(gov.conn, urn, asked.la_code, asked.trust_id)
    except ReassignError as exc:
        raise ProblemError(422, exc.code, str(exc)) from exc
    record = access_record(request.scope)
    if record is not None:
        record.params.update(
            {
                "previous_la_code": old_la,
                "previous_trust_id": old_trust,
                "la_code": asked.la_code,
                "trust_id": asked.trust_id,
                "effective_date": effective.isoformat(),
            }
        )
    return Reassignment(
        urn=urn,
        changed=(old_la, old_trust) != (asked.la_code, asked.trust_id),
        previous=Placement(la_code=old_la, trust_id=old_trust),
        current=Placement(la_code=asked.la_code, trust_id=asked.trust_id),
        effective_date=effective,
        governance=gov.release(1),
    )


class Classification(msgspec.Struct, kw_only=True):
    phase: str
    school_type: str


class Reclassification(msgspec.Struct, kw_only=True):
    """What changed: the school's phase and type before and after, and the day it took effect."""

    urn: int
    changed: bool  # false when the school already had that phase and type (nothing written)
    previous: Classification
    current: Classification
    effective_date: date
    governance: Governance


@dataclass(frozen=True, slots=True)
class ReclassifyRequested(Requested):
    phase: str = ""
    school_type: str = ""
    effective_date: date | None = None


async def reclassify_request(request: Request[Any, Any, Any], urn: Urn) -> ReclassifyRequested:
    data = await _decoded(request, ReclassifyRequest, "/v1/admin/schools/{urn}/reclassify", ("school_type",))
    if not data.school_type.strip():
        raise invalid("school_type", "body", "is blank")
    return ReclassifyRequested(
        purpose=data.purpose,
        agreement=data.agreement,
        reason=data.reason,
        area=AreaFilter(urn=urn),
        phase=data.phase,
        school_type=data.school_type,
        effective_date=data.effective_date,
    )


@post(
    "/v1/admin/schools/{urn:int}/reclassify",
    **governed_route("schools.reclassify", requested=reclassify_request),
    summary="Change a school's phase or type (DfE data management, with a reason)",
    tags=["admin"],
    responses=problem_responses(400, 401, 403, 404, 422, 503),
    status_code=200,
)
async def reclassify(
    gov: Governed[ReclassifyRequested],
    request: Request[Any, Any, Any],
    urn: Urn,
    data: Annotated[ReclassifyRequest, Body(description="The school's new phase and type, and why.")],
) -> Reclassification:
    """Every phase-filtered figure and every comparator follows the school from the next request (the data
    version moves); the old and new phase and type and the effective date are recorded in the request's
    audit event. A feed's rows for the school with the new values are accepted from then on."""
    asked = gov.requested
    effective = _took_effect(asked.effective_date)
    try:
        async with gov.conn.transaction():
            old_phase, old_type = await reclassify_school(gov.conn, urn, asked.phase, asked.school_type)
    except RegisterError as exc:
        raise ProblemError(422, exc.code, str(exc)) from exc
    record = access_record(request.scope)
    if record is not None:
        record.params.update(
            {
                "previous_phase": old_phase,
                "previous_school_type": old_type,
                "phase": asked.phase,
                "school_type": asked.school_type,
                "effective_date": effective.isoformat(),
            }
        )
    return Reclassification(
        urn=urn,
        changed=(old_phase, old_type) != (asked.phase, asked.school_type),
        previous=Classification(phase=old_phase, school_type=old_type),
        current=Classification(phase=asked.phase, school_type=asked.school_type),
        effective_date=effective,
        governance=gov.release(1),
    )


ROUTES = [reassign, reclassify]
