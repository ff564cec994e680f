"""The governed prologue and epilogue: every non-public route receives a `Governed` object, or cannot start.

A route declares its policy action once (`governed_route(action, requested=...)`): `requested` maps the
route's parameters to a `Requested`. The prologue (a Litestar dependency, so a JSON route and a page
use it alike) validates the period, decides, refuses levels above the principal's scope, opens a
connection, validates the area and hands the handler a typed `Governed` (principal, decision, compiled
scope, connection). The epilogue is `Governed.release(rows, subjects)`: it records what leaves and returns
the governance block; a handler that returns without calling it answers 500 and nothing leaves.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Generic, TypeVar

import msgspec
from litestar import Request
from litestar.di import NamedDependency, Provide
from psycopg import AsyncConnection

from gateway.auth.principal import Principal
from gateway.edge.guard import POLICY_ACTION, authorize, declared_action, principal_of
from gateway.edge.http_cache import stamp
from gateway.edge.release_control import enforce_query_space
from gateway.edge.scope_state import access_record, request_id_of
from gateway.edge.tracing import span
from gateway.edge.validation import (
    measure_period,
    validate_area,
    validate_named_period,
    validate_period,
)
from gateway.policy.decision import Decision, Obligations, obligations_as_dict
from gateway.services import Services
from gateway.store.aggregates import Period
from gateway.store.named_periods import MeasuredPeriod
from gateway.store.queries import AggregateQuery, Rows
from gateway.store.scope import AreaFilter, Scope

ANY_AREA = AreaFilter()  # no narrowing: the policy's row filter alone
# Resources served as pupil aggregates: held to the profile's query space (grid, breakdowns, levels).
AGGREGATE_RESOURCES = frozenset({"attendance_aggregate", "benchmark"})


class EpilogueSkippedError(RuntimeError):
    """A governed handler returned without releasing through the epilogue: nothing may leave."""


@dataclass(frozen=True, slots=True)
class Requested:
    """What a governed request asks for (the policy's `request` document, plus purpose and agreement)."""

    purpose: str | None = None
    agreement: str | None = None
    reason: str | None = None
    resource: str | None = None  # None: the action's own resource
    fields: tuple[str, ...] = ()
    level: str | None = None
    area: AreaFilter = ANY_AREA
    date_from: date | None = None
    date_to: date | None = None
    breakdown: str | None = None
    period_name: str | None = None  # a named period (ytd, 2025-26, autumn-2025, ...) instead of dates
    single_day: bool = False  # about one day by design (closures): not held to the period grid

    def policy_request(self) -> dict[str, Any]:
        return {
            "resource": self.resource,
            "fields": list(self.fields),
            "level": self.level,
            "region": self.area.region,
            "la_code": self.area.la_code,
            "urn": self.area.urn,
            "trust_id": self.area.trust_id,
            "date_from": self.date_from,
            "date_to": self.date_to,
            "breakdown": self.breakdown,
        }


R = TypeVar("R", bound=Requested)


class Governance(msgspec.Struct, kw_only=True):
    """Under what this response was released: the agreement, statute, purpose and policy revision."""

    agreement: str | None
    legal_gateway: str | None
    purpose: str | None
    granularity: str | None
    disclosure_profile: str | None
    policy_revision: str
    request_id: str | None


@dataclass(slots=True)
class GovernedRequest(Generic[R]):
    """What the prologue hands a governed handler. Everything a route may use to serve the request."""

    action: str
    principal: Principal
    requested: R
    decision: Decision
    scope: Scope
    period: Period | None
    conn: AsyncConnection[Any]
    services: Services
    request_id: str | None
    _request: Request[Any, Any, Any] = field(repr=False)
    released: bool = False
    measured: MeasuredPeriod | None = None  # what the response says it measured (with `period`)

    @property
    def obligations(self) -> Obligations:
        return self.decision.obligations

    def require_period(self) -> Period:
        if self.period is None:  # a route that reads a period must declare one in its `requested`
            raise RuntimeError(f"{self.action} reads a period but its request declares none")
        return self.period

    def require_measured(self) -> MeasuredPeriod:
        if self.measured is None:  # as require_period: the route's `requested` declares its period
            raise RuntimeError(f"{self.action} reads a period but its request declares none")
        return self.measured

    async def read(self, query: AggregateQuery) -> Rows:
        """Aggregate rows through the store's cache (keyed by the query object itself)."""
        with span("query", **{"query.kind": type(query).__name__}):
            return await self.services.aggregate_cache.rows(self.conn, query)

    def cursor_position(self, cursor: str | None) -> int:
        """Where a page starts: 0 without a cursor; a cursor from any other listing or key is a 400."""
        return self.services.cursors.decode(self.action, cursor) or 0

    def next_cursor(self, position: int | None) -> str | None:
        return None if position is None else self.services.cursors.encode(self.action, position)

    def release(self, rows: int, subjects: Iterable[str] = ()) -> Governance:
        """The epilogue: record how many rows leave and which pupils they concern (hashed by the audit),
        and return the governance block the response carries."""
        if self.released:
            raise EpilogueSkippedError(f"{self.action} released twice")
        self.released = True
        record = access_record(self._request.scope)
        if record is not None:
            record.rows_returned = rows
            record.subject_upns.update(subjects)
        o = self.obligations
        profile = o.disclosure_profile.get("name") if o.disclosure_profile else None
        return Governance(
            agreement=o.agreement,
            legal_gateway=o.legal_gateway,
            purpose=o.purpose,
            granularity=o.granularity,
            disclosure_profile=str(profile) if profile is not None else None,
            policy_revision=self.decision.revision,
            request_id=self.request_id,
        )


async def governed_prologue(
    request: Request[Any, Any, Any], requested: NamedDependency[Any], services: NamedDependency[Services]
) -> AsyncIterator[GovernedRequest[Any]]:
    """Validate, decide, open the connection; after the handler, insist that it released its rows."""
    # `requested` is each route's own subclass of Requested; Litestar would try to convert it to the base.
    if not isinstance(requested, Requested):
        raise EpilogueSkippedError("a governed route's `requested` must build a Requested")
    action = declared_action(request.route_handler)
    period = None
    if requested.period_name is not None:
        validate_named_period(requested.period_name)
    elif requested.date_from is not None and requested.date_to is not None:
        period = validate_period(requested.date_from, requested.date_to, services.settings.max_range_days)
    decision = await authorize(
        request,
        services.policy_engine,
        action=action,
        purpose=requested.purpose,
        agreement=requested.agreement,
        reason=requested.reason,
        resource=requested.policy_request(),
    )
    scope = Scope(decision.obligations.row_filter, requested.area)
    async with services.pool.connection() as conn:
        await validate_area(conn, requested.area)
        measured = await measure_period(conn, requested.period_name, period, datetime.now(UTC).date())
        if requested.resource in AGGREGATE_RESOURCES:
            measured = await enforce_query_space(
                conn,
                decision.obligations.disclosure_profile,
                level=requested.level,
                breakdown=requested.breakdown,
                measured=measured,
                single_day=requested.single_day,
            )
        await stamp(request.scope, conn, action, decision.revision, obligations_as_dict(decision.obligations))
        governed: GovernedRequest[Any] = GovernedRequest(
            action=action,
            principal=principal_of(request),  # authorize() has refused a request without one
            requested=requested,
            decision=decision,
            scope=scope,
            period=measured.period if measured is not None else None,
            conn=conn,
            services=services,
            request_id=request_id_of(request.scope),
            _request=request,
            measured=measured,
        )
        yield governed
        if not governed.released:
            raise EpilogueSkippedError(f"{action} returned without releasing through the epilogue")


def governed_route(
    action: str,
    *,
    requested: Callable[..., Requested | Awaitable[Requested]],
    opt: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The keyword arguments that make a Litestar route governed: its action (written once) and the
    function that maps its parameters to what it asks for. Use as `@get(path, **governed_route(...))`."""
    return {
        "opt": {**(opt or {}), POLICY_ACTION: action},
        "dependencies": {
            "requested": Provide(requested, sync_to_thread=False)
            if not inspect.iscoroutinefunction(requested)
            else Provide(requested)
        },
        "security": [{"bearer": []}],
    }


def undeclared_request() -> Requested:
    """The app-wide stand-in for a route that declares no `requested`: the start-up check refuses such a
    route, and should one slip through it answers 500 before any decision or data."""
    raise EpilogueSkippedError("a governed route must declare what it requests (governed_route)")


GOVERNED_DEPENDENCIES = {
    "gov": Provide(governed_prologue),
    "requested": Provide(undeclared_request, sync_to_thread=False),
}
# What a governed handler declares: `gov: Governed[ItsRequested]` (the prologue's object, by name).
Governed = NamedDependency[GovernedRequest[R]]
