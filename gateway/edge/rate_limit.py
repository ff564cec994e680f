"""Per-client rate limits at the edge: requests a minute, declared per agreement in the policy data.

The limit is operational data of the agreement (`rate_limit_per_minute` in `policies/data/agreements`),
read by the edge from the policy data rather than carried in the decision's obligations: it must also hold
for requests the policy would deny (a flood of denied requests costs the engine and the audit log just the
same), so it is applied before the decision, as soon as the caller is authenticated. A request naming no
agreement, or an agreement that declares no limit, gets the default limit from the settings.

The bucket is the client (token issuer and subject) under the agreement it names. A refused request gets
429 problem+json with `Retry-After`, and (like every request) exactly one audit event, written by the audit
trail around the app; its access record carries the principal, the agreement and the failure
`rate-limited`.

The counter is a GCRA (generic cell rate algorithm) held in each worker process. We write it ourselves
because it is a dozen lines and the maintained library (`limits`) keeps the same per-process state in its
memory storage; a shared store would cost a database round trip per request. With N uvicorn workers a
client whose connections land on different workers can get up to N times its limit through.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send

from gateway.audit.event import query_params
from gateway.auth.principal import Principal
from gateway.edge.problems import ProblemError, send_problem
from gateway.edge.scope_state import access_record, problem_instance

RATE_LIMITED = "rate-limited"
LIMIT_KEY = "rate_limit_per_minute"
# Expired buckets are dropped once the table holds this many clients (so memory stays bounded).
PRUNE_AT = 10_000


@dataclass(frozen=True, slots=True)
class RateLimits:
    """Requests a minute by agreement id, and the limit for everything else (None: unlimited)."""

    per_agreement: Mapping[str, int]
    default_per_minute: int | None

    def limit_for(self, agreement: str | None) -> int | None:
        if agreement is not None and agreement in self.per_agreement:
            return self.per_agreement[agreement]
        return self.default_per_minute


def rate_limits_from_policy_data(data: Mapping[str, Any], default_per_minute: int | None) -> RateLimits:
    """The limits the agreements declare (`data.data.agreements.<id>.rate_limit_per_minute`)."""
    agreements = data.get("data", {}).get("agreements", {})
    if not isinstance(agreements, Mapping):
        raise ValueError("policy data agreements must be an object of agreements")
    limits: dict[str, int] = {}
    for name, agreement in agreements.items():
        value = agreement.get(LIMIT_KEY) if isinstance(agreement, Mapping) else None
        if value is None:
            continue
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ValueError(f"agreement {name}: {LIMIT_KEY} must be a whole number of at least 1")
        limits[str(name)] = value
    return RateLimits(per_agreement=limits, default_per_minute=default_per_minute)


class RateLimiter:
    """GCRA buckets: a client may make up to `limit` requests at once, then one every 60/limit seconds."""

    def __init__(self, limits: RateLimits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self._clock = clock
        self._tat: dict[tuple[str, str, str | None], float] = {}  # theoretical arrival time per bucket

    def acquire(self, principal: Principal, agreement: str | None) -> float | None:
        """None if the request may go on, else the seconds until the client may try again."""
        limit = self.limits.limit_for(agreement)
        if limit is None:
            return None
        bucket = agreement if agreement in self.limits.per_agreement else None
        key = (principal.issuer, principal.subject, bucket)
        now = self._clock()
        interval = 60.0 / limit
        tolerance = interval * (limit - 1)
        tat = max(self._tat.get(key, now), now)
        if tat - now > tolerance:
            return tat - now - tolerance
        if len(self._tat) >= PRUNE_AT:
            self._tat = {k: v for k, v in self._tat.items() if v > now}
        self._tat[key] = tat + interval
        return None


def rate_limited(limit: int, agreement: str | None, retry_after_s: float) -> ProblemError:
    retry = max(1, math.ceil(retry_after_s))
    under = f"under the agreement {agreement}" if agreement else "without an agreement that declares a limit"
    return ProblemError(
        429,
        RATE_LIMITED,
        f"This client has used its {limit} requests a minute {under}; retry after {retry} s.",
        title="Too many requests",
        headers={"Retry-After": str(retry)},
    )


def rate_limit_middleware(app: ASGIApp, limiter: Callable[[], RateLimiter | None]) -> ASGIApp:
    """Refuse an authenticated client over its limit with 429 before its request is decided or served.
    Runs inside authentication (it needs the principal); `limiter` is None while the services are closed,
    and the request then goes on to be refused by the stages behind."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        principal = scope.get("user") if scope["type"] == ScopeType.HTTP else None
        current = limiter() if isinstance(principal, Principal) else None
        if current is None or not isinstance(principal, Principal):
            await app(scope, receive, send)
            return
        named = query_params(scope.get("query_string", b"")).get("agreement")
        agreement = named if isinstance(named, str) and named in current.limits.per_agreement else None
        retry_after = current.acquire(principal, agreement)
        if retry_after is None:
            await app(scope, receive, send)
            return
        record = access_record(scope)
        if record is not None:
            record.principal = principal
            record.agreement = agreement
            record.failure = RATE_LIMITED
        limit = current.limits.limit_for(agreement)
        assert limit is not None  # acquire() refuses only under a limit
        await send_problem(send, rate_limited(limit, agreement, retry_after), problem_instance(scope))

    return middleware
