"""Liveness and readiness probes (public: no data, no policy).

Readiness explains itself: each dependency a governed request needs is checked and reported with a reason
(database and its pool, the audit writer, the audit signer, the policy bundle, the pseudonym keyring). Any
failing check makes the probe 503 `not-ready`, with the same checks in the problem's `checks` member, so a
load balancer takes the instance out while it could only answer 503 anyway. Nothing here names a pupil, a
token or a key: key ids, fingerprints and revisions are public (GET /v1/audit/keys)."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from litestar import get
from litestar.di import NamedDependency

from gateway.audit.writer import APPEND_FUNCTION
from gateway.edge.problems import ProblemError, problem_responses
from gateway.edge.public import PUBLIC
from gateway.services import Services

# A failed audit batch keeps the probe failing this long unless a later batch committed: long enough for a
# load balancer's probe to see it, short enough that an idle instance does not stay out for good (the
# database checks below then speak for whether an append could commit).
AUDIT_FAILURE_WINDOW_S = 30.0
DATABASE_TIMEOUT_S = 2.0

PROBE_SQL = f"""SELECT NOT pg_is_in_recovery() AS writable,
       has_function_privilege(current_user, '{APPEND_FUNCTION}', 'EXECUTE') AS may_append"""


def check(ok: bool, reason: str, **facts: Any) -> dict[str, Any]:
    return {"ok": ok, "reason": reason, **facts}


def pool_saturation(stats: Mapping[str, int], max_size: int) -> dict[str, Any]:
    """Saturated: every connection the pool may open is open and in use, and requests are waiting."""
    size, available = stats.get("pool_size", 0), stats.get("pool_available", 0)
    waiting = stats.get("requests_waiting", 0)
    saturated = waiting > 0 and available == 0 and size >= max_size
    return check(
        not saturated,
        f"{waiting} requests waiting for one of {max_size} connections, all in use"
        if saturated
        else f"{size - available} of {max_size} connections in use, {waiting} waiting",
        in_use=size - available,
        max_size=max_size,
        waiting=waiting,
    )


async def database_checks(services: Services) -> dict[str, dict[str, Any]]:
    """The database answers through the pool, accepts writes, and lets this role append audit events;
    the pool is not saturated."""
    pool = services.pool
    pool_check = pool_saturation(pool.get_stats(), pool.max_size)
    started = time.perf_counter()
    try:
        async with pool.connection(timeout=DATABASE_TIMEOUT_S) as conn:
            cur = await conn.execute(PROBE_SQL)
            row = await cur.fetchone()
    except Exception as exc:
        reason = f"not reachable through the pool within {DATABASE_TIMEOUT_S:g} s ({type(exc).__name__})"
        return {"database": check(False, reason), "pool": pool_check}
    took_ms = round((time.perf_counter() - started) * 1000, 1)
    writable, may_append = (bool(row["writable"]), bool(row["may_append"])) if row else (False, False)
    if not writable:
        database = check(False, "in recovery (read-only): audit events cannot be committed")
    elif not may_append:
        database = check(False, f"the application role may not execute {APPEND_FUNCTION}")
    else:
        database = check(True, f"answered in {took_ms} ms, writable, audit append permitted")
    return {"database": database, "pool": pool_check}


def audit_checks(services: Services, now: float) -> dict[str, dict[str, Any]]:
    writer = services.audit.writer
    failure, committed = writer.last_failure, writer.last_commit_at
    recent_failure = (
        failure is not None
        and now - failure[0] < AUDIT_FAILURE_WINDOW_S
        and (committed is None or committed < failure[0])
    )
    if recent_failure and failure is not None:
        writer_check = check(
            False, f"the last audit batch failed {now - failure[0]:.0f} s ago ({failure[1]}); none since"
        )
    elif committed is None:
        writer_check = check(True, "no batch written yet by this process")
    else:
        writer_check = check(True, f"last batch committed {now - committed:.0f} s ago")
    halted = services.audit.signer.halted
    key = services.audit.public_key
    signer_check = check(
        halted is None,
        f"checkpoint signing halted: {halted}" if halted else "signing checkpoints",
        key_id=key.key_id,
    )
    return {"audit_writer": writer_check, "audit_signer": signer_check}


def policy_and_key_checks(services: Services) -> dict[str, dict[str, Any]]:
    try:
        revision = services.policy_engine.revision
    except Exception as exc:
        policy = check(False, f"no compiled bundle ({type(exc).__name__})")
    else:
        policy = check(bool(revision), "bundle compiled and deciding", revision=revision)
    keyring = services.keyring
    versions = keyring.versions
    return {
        "policy_bundle": policy,
        "keyring": check(
            keyring.current_version in versions,
            f"{len(versions)} key versions, version {keyring.current_version} current",
            current_version=keyring.current_version,
        ),
    }


async def readiness(services: Services) -> dict[str, dict[str, Any]]:
    return {
        **(await database_checks(services)),
        **audit_checks(services, time.monotonic()),
        **policy_and_key_checks(services),
    }


@get("/health/live", opt=PUBLIC, summary="Liveness probe", tags=["health"], sync_to_thread=False)
def live() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@get(
    "/health/ready",
    opt=PUBLIC,
    summary="Readiness probe: every dependency of a governed request, each with its reason",
    tags=["health"],
    responses=problem_responses(503),
)
async def ready(services: NamedDependency[Services]) -> dict[str, Any]:
    """Ready when the database answers, accepts writes and lets the application append audit events, the
    pool is not saturated, the audit writer's last batch did not fail, the signer runs, a policy bundle is
    compiled and the keyring has its current key. 503 `not-ready` names every failing check."""
    checks = await readiness(services)
    failing = sorted(name for name, result in checks.items() if not result["ok"])
    if failing:
        detail = "; ".join(f"{name}: {checks[name]['reason']}" for name in failing)
        raise ProblemError(
            503, "not-ready", f"Not ready: {detail}.", checks=checks, headers={"Retry-After": "2"}
        )
    return {"status": "ok", "database": "ok", "checks": checks}
