"""Audit routes that prove the log: public keys, signed checkpoints, inclusion and consistency proofs, and
the published transparency report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from litestar import get
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from gateway.api.audit import (
    TAGS,
    AuditRequested,
    DpoAgreement,
    Purpose,
    audit_request,
    checked_range,
    oversight,
)
from gateway.api.audit_schemas import (
    CheckpointView,
    ConsistencyProof,
    InclusionProof,
    KeysResponse,
    KeyView,
    LatestCheckpointView,
    OversightScope,
    ReportPeriod,
    TransparencyReport,
)
from gateway.api.params import INT64_BOUNDS, INT64_MAX, TIMESTAMP_PATTERN, EventSeq, parse_timestamp
from gateway.api.publishing_groups import REPORT_PROFILE, protect_report
from gateway.audit import store
from gateway.audit.merkle import consistency_path, inclusion_path
from gateway.edge.governed import Governed, governed_route
from gateway.edge.problems import ProblemError, problem_responses
from gateway.edge.public import PUBLIC
from gateway.services import Services


@get("/v1/audit/keys", opt=PUBLIC, summary="Checkpoint verification keys", tags=TAGS)
async def audit_keys(services: NamedDependency[Services]) -> KeysResponse:
    """The configured Ed25519 public keys (with SHA-256 fingerprints to pin) that sign the audit log's
    checkpoints: the current key, keys it replaced, and the witnesses' keys. Never read from the database."""
    keys = services.audit.keys
    return KeysResponse(
        keys=[KeyView.of(k) for k in keys.signers.values()],
        current=None if keys.current is None else keys.current.key_id,
        witnesses=[KeyView.of(k) for k in keys.witnesses],
    )


def checkpoint_request(purpose: Purpose = None, dpo_agreement: DpoAgreement = None) -> AuditRequested:
    return audit_request(purpose, dpo_agreement, ("audit_checkpoints",))


@get(
    "/v1/audit/checkpoints/latest",
    **governed_route("audit.checkpoint", requested=checkpoint_request),
    summary="The latest signed checkpoint",
    tags=TAGS,
    responses=problem_responses(400, 401, 403, 404, 503),
)
async def latest_checkpoint(gov: Governed[AuditRequested]) -> LatestCheckpointView:
    """Tree size, root, time and key id, with the Ed25519 signature over them, and the cosignatures of the
    witnesses that found it consistent with the last checkpoint they saw."""
    checkpoint = await store.checkpoint(gov.conn)
    if checkpoint is None:
        raise ProblemError(404, "no-checkpoint", "No checkpoint has been signed yet.")
    cosignatures = await store.cosignatures(gov.conn, checkpoint.size)
    gov.release(1)
    return LatestCheckpointView.with_cosignatures(checkpoint, cosignatures)


@dataclass(frozen=True, slots=True)
class ProofRequested(AuditRequested):
    seq: int = 0
    size: int | None = None


def proof_request(
    seq: EventSeq,
    purpose: Purpose = None,
    dpo_agreement: DpoAgreement = None,
    size: Annotated[
        int | None,
        QueryParameter(description="Checkpoint size to prove against (default latest).", ge=1, le=INT64_MAX),
    ] = None,
) -> ProofRequested:
    return ProofRequested(
        purpose=purpose,
        agreement=dpo_agreement,
        resource="audit",
        fields=("audit_proofs",),
        seq=seq,
        size=size,
    )


@get(
    "/v1/audit/events/{seq:int}/proof",
    **governed_route("audit.proof", requested=proof_request),
    summary="Inclusion proof for an event",
    tags=TAGS,
    responses=problem_responses(400, 401, 403, 404, 503),
)
async def event_proof(gov: Governed[ProofRequested]) -> InclusionProof:
    """The RFC 9162 audit path from the event's leaf to the root of a signed checkpoint that covers it."""
    seq, size = gov.requested.seq, gov.requested.size
    checkpoint = await store.checkpoint(gov.conn, size)
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
    row = await store.event(gov.conn, seq, store.EventFilter(organisations=oversight(gov)))
    if row is None:
        raise ProblemError(404, "event-not-found", f"No event {seq} within your oversight scope.")
    tree = await store.tree(gov.conn, checkpoint.size, [seq - 1])
    path = inclusion_path(tree.root, seq - 1, checkpoint.size)
    gov.release(1)
    return InclusionProof(
        seq=seq,
        leaf_index=seq - 1,
        tree_size=checkpoint.size,
        prev_hash=bytes(row["prev_hash"]).hex(),
        event_hash=bytes(row["event_hash"]).hex(),
        content=row["content"],
        path=[h.hex() for h in path],
        checkpoint=CheckpointView.of(checkpoint),
    )


@dataclass(frozen=True, slots=True)
class ConsistencyRequested(AuditRequested):
    first: int = 1
    second: int = 1


def consistency_request(
    first: Annotated[
        int,
        QueryParameter(
            name="from",
            ge=1,
            le=INT64_MAX,
            schema_extra=INT64_BOUNDS,
            description="Size of the earlier checkpoint.",
        ),
    ],
    second: Annotated[
        int,
        QueryParameter(
            name="to",
            ge=1,
            le=INT64_MAX,
            schema_extra=INT64_BOUNDS,
            description="Size of the later checkpoint.",
        ),
    ],
    purpose: Purpose = None,
    dpo_agreement: DpoAgreement = None,
) -> ConsistencyRequested:
    if second < first:
        raise ProblemError(
            422,
            "invalid-range",
            "`to` must not be smaller than `from`.",
            errors=[{"field": "to", "message": "< from"}],
        )
    return ConsistencyRequested(
        purpose=purpose,
        agreement=dpo_agreement,
        resource="audit",
        fields=("audit_proofs",),
        first=first,
        second=second,
    )


@get(
    "/v1/audit/consistency",
    **governed_route("audit.proof", requested=consistency_request),
    summary="Consistency proof between two checkpoints",
    tags=TAGS,
    responses=problem_responses(400, 401, 403, 404, 422, 503),
)
async def consistency(gov: Governed[ConsistencyRequested]) -> ConsistencyProof:
    """The RFC 9162 proof that the log at `to` extends the log at `from` without rewriting it."""
    first, second = gov.requested.first, gov.requested.second
    older, newer = await store.checkpoint(gov.conn, first), await store.checkpoint(gov.conn, second)
    if older is None or newer is None:
        missing = first if older is None else second
        raise ProblemError(404, "no-checkpoint", f"No checkpoint at size {missing}.")
    tree = await store.tree(gov.conn, newer.size, [older.size - 1, older.size])
    path = consistency_path(tree.root, older.size, newer.size)
    gov.release(1)
    return ConsistencyProof(
        older=CheckpointView.of(older), newer=CheckpointView.of(newer), path=[h.hex() for h in path]
    )


@dataclass(frozen=True, slots=True)
class ReportRequested(AuditRequested):
    period_from: datetime | None = None
    period_to: datetime | None = None


def report_request(
    from_text: Annotated[
        str,
        QueryParameter(
            name="from", description="Period start (RFC 3339).", max_length=40, pattern=TIMESTAMP_PATTERN
        ),
    ],
    to_text: Annotated[
        str,
        QueryParameter(
            name="to",
            description="Period end, exclusive (RFC 3339).",
            max_length=40,
            pattern=TIMESTAMP_PATTERN,
        ),
    ],
    purpose: Purpose = None,
    dpo_agreement: DpoAgreement = None,
) -> ReportRequested:
    time_from, time_to = parse_timestamp("from", from_text), parse_timestamp("to", to_text)
    if time_from is None or time_to is None:  # both are required parameters
        raise ProblemError(400, "invalid-request", "`from` and `to` are required.")
    checked_range(time_from, time_to)
    return ReportRequested(
        purpose=purpose,
        agreement=dpo_agreement,
        resource="audit",
        fields=("audit_events",),
        period_from=time_from,
        period_to=time_to,
    )


@get(
    "/v1/audit/report",
    **governed_route("audit.report", requested=report_request),
    summary="Transparency report for a period",
    tags=TAGS,
    responses=problem_responses(400, 401, 403, 422, 503),
)
async def transparency_report(gov: Governed[ReportRequested]) -> TransparencyReport:
    """Accesses in a period counted by organisation, legal gateway, purpose and decision, disclosure-controlled
    (through gateway.privacy, with the policy data's transparency-report profile) so it can be published."""
    asked, organisations = gov.requested, oversight(gov)
    if asked.period_from is None or asked.period_to is None:  # report_request always sets both
        raise RuntimeError("a report names its period")
    where = store.EventFilter(
        organisations=organisations, time_from=asked.period_from, time_to=asked.period_to
    )
    counts = await store.report_counts(gov.conn, where)
    total, by, rule = protect_report(counts, gov.services.disclosure_profiles.get(REPORT_PROFILE))
    gov.release(sum(len(b) for b in by.values()))
    return TransparencyReport(
        period=ReportPeriod(start=asked.period_from.isoformat(), end=asked.period_to.isoformat()),
        scope=OversightScope(organisations=None if organisations is None else list(organisations)),
        total=total,
        by=by,
        disclosure_rule=rule,
    )


AUDIT_PROOF_ROUTES = [audit_keys, latest_checkpoint, event_proof, consistency, transparency_report]
