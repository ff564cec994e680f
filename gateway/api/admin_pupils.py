"""DfE data management of a pupil's identity: correcting the name, date of birth, sex or ethnicity of a pupil,
decided, with a reason, and audited by which fields changed (never their values).

Ingest never does this across schools (a feed row that would is refused as `needs_data_management`); this route
is the one governed way, for the `data-manager` role under the `dfe-data-management` agreement."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

import msgspec
from litestar import Request, post
from litestar.params import Body

from gateway.api.admin import _decoded, _took_effect
from gateway.api.extracts import BodyDate
from gateway.api.params import IDENTIFIER_PATTERN, TEXT_PATTERN, UPN_PATTERN, Upn
from gateway.edge.governed import Governance, Governed, Requested, governed_route
from gateway.edge.parameters import invalid
from gateway.edge.problems import ProblemError, problem_responses
from gateway.edge.scope_state import access_record
from gateway.store.ethnicity import ETHNICITY_MAJOR
from gateway.store.pupil_identity import Identity, correct_identity
from gateway.store.pupil_merge import MergeCounts, MergeError, merge_pupils
from gateway.store.school_register import RegisterError
from gateway.store.upn import upn_problem

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=TEXT_PATTERN)]
EARLIEST_BIRTH = date(1990, 1, 1)


class IdentityRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The pupil's corrected identity (every field, as a roster row gives it), why, and optionally the day the
    correction took effect (today if not given)."""

    purpose: Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=IDENTIFIER_PATTERN)]
    agreement: Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=IDENTIFIER_PATTERN)]
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=500, pattern=TEXT_PATTERN)]
    forename: Name
    surname: Name
    date_of_birth: BodyDate
    sex: Literal["F", "M"]
    ethnicity: Annotated[
        str,
        msgspec.Meta(min_length=4, max_length=4, pattern=r"^[A-Z]{4}$", description="A DfE ethnicity code."),
    ]
    effective_date: BodyDate | None = None


class IdentityCorrection(msgspec.Struct, kw_only=True):
    """Which identity fields changed (names only: the values are the pupil's, not the response's)."""

    upn: str
    changed: bool  # false when the pupil already had this identity (nothing written)
    changed_fields: list[str]
    effective_date: date
    governance: Governance


@dataclass(frozen=True, slots=True)
class IdentityRequested(Requested):
    upn: str = ""
    identity: Identity | None = None
    effective_date: date | None = None


def _checked_upn(value: str, name: str, source: str) -> None:
    problem = upn_problem(value)
    if problem is not None:
        raise ProblemError(
            422,
            "invalid-upn",
            "The pupil reference is not a valid UPN (13 characters with a correct check letter).",
            errors=[{"field": name, "source": source, "message": problem}],
        )


async def identity_request(request: Request[Any, Any, Any], upn: Upn) -> IdentityRequested:
    _checked_upn(upn, "upn", "path")
    data = await _decoded(
        request, IdentityRequest, "/v1/admin/pupils/{upn}/identity", ("forename", "surname")
    )
    # What msgspec's patterns cannot hold.
    for name in ("forename", "surname"):
        if not getattr(data, name).strip():
            raise invalid(name, "body", "is blank")
    if data.ethnicity not in ETHNICITY_MAJOR:
        raise invalid("ethnicity", "body", "is not a DfE ethnicity code")
    if not EARLIEST_BIRTH <= data.date_of_birth <= datetime.now(UTC).date():
        raise invalid("date_of_birth", "body", "must be a day from 1990-01-01 to today")
    return IdentityRequested(
        purpose=data.purpose,
        agreement=data.agreement,
        reason=data.reason,
        upn=upn,
        identity=Identity(data.forename, data.surname, data.date_of_birth, data.sex, data.ethnicity),
        effective_date=data.effective_date or datetime.now(UTC).date(),
    )


@post(
    "/v1/admin/pupils/{upn:str}/identity",
    **governed_route("pupils.correct_identity", requested=identity_request),
    summary="Correct a pupil's name, date of birth, sex or ethnicity (DfE data management, with a reason)",
    tags=["admin"],
    responses=problem_responses(400, 401, 403, 404, 422, 503),
    status_code=200,
)
async def correct_pupil_identity(
    gov: Governed[IdentityRequested],
    request: Request[Any, Any, Any],
    upn: Upn,
    data: Annotated[IdentityRequest, Body(description="The pupil's corrected identity, and why.")],
) -> IdentityCorrection:
    """The pupil's record changes in one transaction (a change of sex or ethnicity moves their statistics to the
    new pupil group) and the data version moves; the request's audit event names the fields that changed,
    never their values. A feed's row with the corrected identity is accepted from then on."""
    asked = gov.requested
    effective = _took_effect(asked.effective_date)
    assert asked.identity is not None
    try:
        async with gov.conn.transaction():
            changed = await correct_identity(gov.conn, asked.upn, asked.identity)
    except RegisterError as exc:
        raise ProblemError(422, exc.code, str(exc)) from exc
    record = access_record(request.scope)
    if record is not None:
        record.params.update({"changed_fields": list(changed), "effective_date": effective.isoformat()})
    return IdentityCorrection(
        upn=asked.upn,
        changed=bool(changed),
        changed_fields=list(changed),
        effective_date=effective,
        governance=gov.release(1),
    )


class MergeRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The UPN of the record that survives (the pupil's other UPN: a temporary UPN is merged into the
    permanent one), why, and optionally the day the merge took effect (today if not given)."""

    purpose: Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=IDENTIFIER_PATTERN)]
    agreement: Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=IDENTIFIER_PATTERN)]
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=500, pattern=TEXT_PATTERN)]
    into: Annotated[
        str,
        msgspec.Meta(
            min_length=13,
            max_length=13,
            pattern=UPN_PATTERN,
            description="The surviving record's UPN (13 characters with a correct check letter).",
        ),
    ]
    effective_date: BodyDate | None = None


class PupilMerge(msgspec.Struct, kw_only=True):
    """What the merge moved into the surviving record (counts only: the records are the pupil's)."""

    upn: str
    into: str
    enrolments_moved: int  # whole enrolments, at schools where the surviving record was not enrolled
    enrolments_merged: int  # enrolments folded into the surviving record's at the same school
    marks_moved: int
    duplicate_marks: int  # sessions both records held with the same code, kept once
    effective_date: date
    governance: Governance


@dataclass(frozen=True, slots=True)
class MergeRequested(Requested):
    upn: str = ""
    into: str = ""
    effective_date: date | None = None


async def merge_request(request: Request[Any, Any, Any], upn: Upn) -> MergeRequested:
    _checked_upn(upn, "upn", "path")
    data = await _decoded(request, MergeRequest, "/v1/admin/pupils/{upn}/merge")
    _checked_upn(data.into, "into", "body")
    return MergeRequested(
        purpose=data.purpose,
        agreement=data.agreement,
        reason=data.reason,
        upn=upn,
        into=data.into,
        effective_date=data.effective_date or datetime.now(UTC).date(),
    )


@post(
    "/v1/admin/pupils/{upn:str}/merge",
    **governed_route("pupils.merge", requested=merge_request),
    summary="Merge a pupil recorded under two UPNs into the surviving record (DfE data management, with a reason)",
    tags=["admin"],
    responses=problem_responses(400, 401, 403, 404, 422, 503),
    status_code=200,
)
async def merge_pupil(
    gov: Governed[MergeRequested],
    request: Request[Any, Any, Any],
    upn: Upn,
    data: Annotated[MergeRequest, Body(description="The surviving record's UPN, and why.")],
) -> PupilMerge:
    """All or nothing, in one transaction: the pupil's enrolments and marks move to the surviving record (an
    enrolment at a school where both are enrolled is folded into the surviving one, a mark both hold is kept
    once, and two different marks for one session refuse the merge), every rollup they feed follows, the old
    UPN and record are retired (the UPN is unknown from then on) and the data version moves. The request's
    audit event records the counts moved, never a UPN in the clear."""
    asked = gov.requested
    effective = _took_effect(asked.effective_date)
    try:
        async with gov.conn.transaction():
            counts: MergeCounts = await merge_pupils(gov.conn, asked.upn, asked.into)
    except MergeError as exc:
        raise ProblemError(422, exc.code, str(exc), errors=exc.errors) from exc
    record = access_record(request.scope)
    if record is not None:
        record.params.update({**counts.as_params(), "effective_date": effective.isoformat()})
    return PupilMerge(
        upn=asked.upn,
        into=asked.into,
        **counts.as_params(),
        effective_date=effective,
        governance=gov.release(1),
    )


ROUTES = [correct_pupil_identity, merge_pupil]
