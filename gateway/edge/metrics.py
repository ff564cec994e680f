"""Prometheus metrics at `/metrics` (prometheus-client), for operators only.

Not public: the route answers only a bearer token equal to the `metrics_token` setting
(`GATEWAY_METRICS_TOKEN`), and 404 while none is configured (the default, in every environment). Like the
health probes it is outside the audit log and the policy: it serves counts about the service, never data.

Labels never carry an identifier: routes are templates (`/v1/pupils/{upn}/attendance`, never the path),
methods and reason codes are checked against closed forms (anything else is `other`), statuses are numbers.
Request ids, tokens, URNs and UPNs are never labels.

Two kinds of family:
- counted as things happen (requests, decisions, audit batches): module-level prometheus-client objects;
- read at scrape time (audit queue, pool, decision cache, checkpoint age, ingest, data version): built
  per scrape from the running services and one short database read.

Several worker processes: with `PROMETHEUS_MULTIPROC_DIR` set (before the gateway starts, an empty folder
each start), the counted families are summed over the workers by prometheus-client's multiprocess
collector, whichever worker answers the scrape. The scrape-time families that describe one process (audit
queue, pool, decision cache) are those of the worker that answered; the database-derived ones are the same
from every worker."""

from __future__ import annotations

import hmac
import os
import re
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from typing import Any

import structlog
from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.registry import Collector
from psycopg.rows import tuple_row

from gateway.edge.problems import ProblemError
from gateway.edge.public import PUBLIC
from gateway.edge.request_id import route_template
from gateway.policy.decision import Decision
from gateway.services import Services

log = structlog.get_logger("gateway.metrics")

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# Reason and reject codes are upper-case constants (DENY_ROLE_NOT_IN_AGREEMENT, BAD_UPN_CHECK_LETTER...).
CODE = re.compile(r"[A-Za-z][A-Za-z0-9_.-]{0,63}")
# A route template holds only literal segments and {parameters}; anything else is not a template.
TEMPLATE = re.compile(r"(/([A-Za-z0-9_.-]+|\{[a-z_]+(:[a-z]+)?\}))*/?|unmatched")
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
DECISION_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0)
DATABASE_TIMEOUT_S = 2.0

REQUESTS = Counter(
    "gateway_http_requests",
    "Responses sent, by route template, method and status",
    ["route", "method", "status"],
)
REQUEST_SECONDS = Histogram(
    "gateway_http_request_duration_seconds",
    "Time from request to the end of the response, by route template, method and status",
    ["route", "method", "status"],
    buckets=LATENCY_BUCKETS,
)
DECISIONS = Counter(
    "gateway_policy_decisions", "Policy decisions, by outcome (allow, deny, error)", ["outcome"]
)
DECISION_REASONS = Counter(
    "gateway_policy_decision_reasons", "Reason codes the decisions gave, by outcome", ["outcome", "reason"]
)
DECISION_SECONDS = Histogram(
    "gateway_policy_decision_duration_seconds",
    "Time the policy engine took to decide (cache hits included), by outcome",
    ["outcome"],
    buckets=DECISION_BUCKETS,
)


def code_label(value: str) -> str:
    return value if CODE.fullmatch(value) else "other"


def route_label(template: str) -> str:
    return template if TEMPLATE.fullmatch(template) else "other"


def method_label(method: str) -> str:
    return method if method in METHODS else "other"


def observe_decision(decision: Decision | None, seconds: float) -> None:
    """One decision (None: the engine failed) and the time it took."""
    outcome = "error" if decision is None else "allow" if decision.allow else "deny"
    DECISIONS.labels(outcome).inc()
    DECISION_SECONDS.labels(outcome).observe(seconds)
    for code in () if decision is None else decision.reason_codes:
        DECISION_REASONS.labels(outcome, code_label(code)).inc()


def request_metrics(app: ASGIApp) -> ASGIApp:
    """Counts every HTTP response by the status the client really got (it wraps the audit trail, so a 503
    the trail put in place of the handler's response counts as 503) and times it to its last byte."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # type: ignore[comparison-overlap]
            await app(scope, receive, send)
            return
        started = time.perf_counter()
        status = {"code": 500}  # a handler that dies before answering: the server answers 500

        async def counted(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = int(message["status"])
            await send(message)

        try:
            await app(scope, receive, counted)
        finally:
            labels = (
                route_label(route_template(scope)),
                method_label(str(scope.get("method", ""))),
                str(status["code"]),
            )
            REQUESTS.labels(*labels).inc()
            REQUEST_SECONDS.labels(*labels).observe(time.perf_counter() - started)

    return middleware


class _Families(Collector):
    """The families read at scrape time, handed to a registry of their own for one exposition."""

    def __init__(self, families: list[Metric]) -> None:
        self.families = families

    def collect(self) -> Iterable[Metric]:
        return iter(self.families)


def gauge(name: str, doc: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, doc, value=value)


def process_families(services: Services) -> list[Metric]:
    """This process's state: the audit writer's queue, the pool, the decision cache."""
    writer = services.audit.writer
    stats = services.pool.get_stats()
    size, available = stats.get("pool_size", 0), stats.get("pool_available", 0)
    families: list[Metric] = [
        gauge("gateway_audit_queue_depth", "Audit events queued for the next batch", writer.queue_depth),
        gauge("gateway_audit_queue_capacity", "The audit queue's bound", writer.queue_max),
        gauge("gateway_db_pool_size", "Connections the pool holds open", size),
        gauge("gateway_db_pool_in_use", "Connections in use", size - available),
        gauge(
            "gateway_db_pool_waiting", "Requests waiting for a connection", stats.get("requests_waiting", 0)
        ),
        gauge("gateway_db_pool_max_size", "Connections the pool may open", services.pool.max_size),
    ]
    cache = getattr(services.policy_engine, "cache", None)
    if cache is not None:  # the embedded engines keep a decision cache; OPA's does not
        hits, misses = int(cache.hits), int(cache.misses)
        families += [
            CounterMetricFamily("gateway_decision_cache_hits", "Decisions served from the cache", value=hits),
            CounterMetricFamily(
                "gateway_decision_cache_misses", "Decisions the engine evaluated", value=misses
            ),
            gauge(
                "gateway_decision_cache_hit_ratio",
                "Hits over lookups since the process started (0 before any)",
                hits / (hits + misses) if hits + misses else 0.0,
            ),
        ]
    return families


CHECKPOINT_SQL = """SELECT (SELECT coalesce(max(seq), 0) FROM audit_events),
       (SELECT coalesce(max(size), 0) FROM audit_checkpoints),
       (SELECT extract(epoch FROM now() - max(signed_at)) FROM audit_checkpoints)"""
INGEST_SQL = """SELECT feed_kind, count(*), coalesce(sum(accepted), 0), coalesce(sum(updated), 0),
       coalesce(sum(unchanged), 0), coalesce(sum(rejected), 0)
  FROM ingest_batches GROUP BY feed_kind ORDER BY feed_kind"""
REJECTS_SQL = "SELECT reason_code, count(*) FROM ingest_rejects GROUP BY reason_code ORDER BY reason_code"
VERSION_SQL = "SELECT count(*), coalesce(max(batch_id), 0) FROM ingest_batches"
# The newest day with rollups (indexed), then its latest session among that day's marks.
SESSION_SQL = """SELECT d, (SELECT max(session) FROM marks WHERE date = d)
  FROM (SELECT max(date) AS d FROM school_day_group) AS newest"""

# The latest session by data version: it changes only when a batch commits, and reading it is not free.
_latest_session: dict[tuple[str, int, int], tuple[date | None, int | None]] = {}


async def database_families(services: Services) -> list[Metric]:
    """The log's signing lag, what ingest has taken and refused, the data version and latest session."""
    async with (
        services.pool.connection(timeout=DATABASE_TIMEOUT_S) as conn,
        conn.cursor(row_factory=tuple_row) as cur,
    ):
        await cur.execute(CHECKPOINT_SQL)
        head, signed, age = await _one(cur)
        await cur.execute(INGEST_SQL)
        ingest = await cur.fetchall()
        await cur.execute(REJECTS_SQL)
        rejects = await cur.fetchall()
        await cur.execute(VERSION_SQL)
        version = tuple(int(v) for v in await _one(cur))
        key = (services.settings.database_name, version[0], version[1])
        if key not in _latest_session:
            await cur.execute(SESSION_SQL)
            _latest_session.clear()
            newest, half = await _one(cur)
            _latest_session[key] = (newest, half)
    families: list[Metric] = [
        gauge("gateway_audit_head_size", "Events in the audit log", int(head)),
        gauge("gateway_audit_signed_size", "Events covered by the newest signed checkpoint", int(signed)),
        gauge(
            "gateway_audit_unsigned_events", "Events after the newest signed checkpoint", int(head - signed)
        ),
        gauge(
            "gateway_audit_checkpoint_age_seconds",
            "Seconds since the newest checkpoint was signed (-1: none yet)",
            -1.0 if age is None else float(age),
        ),
        gauge(
            "gateway_data_version",
            "The newest committed ingest batch id (changes with every batch)",
            version[1],
        ),
        gauge("gateway_data_batches", "Committed ingest batches", version[0]),
    ]
    batches = CounterMetricFamily(
        "gateway_ingest_batches", "Committed ingest batches, by feed", labels=["feed"]
    )
    rows = CounterMetricFamily(
        "gateway_ingest_rows", "Ingested rows by feed and outcome", labels=["feed", "outcome"]
    )
    for feed, n, accepted, updated, unchanged, rejected in ingest:
        feed_label = code_label(str(feed))
        batches.add_metric([feed_label], int(n))
        for outcome, count in (("accepted", accepted), ("updated", updated), ("unchanged", unchanged)):
            rows.add_metric([feed_label, outcome], int(count))
        rows.add_metric([feed_label, "rejected"], int(rejected))
    refused = CounterMetricFamily(
        "gateway_ingest_rejected_rows",
        "Rejected rows kept with their reason, by reason code",
        labels=["reason"],
    )
    for reason, count in rejects:
        refused.add_metric([code_label(str(reason))], int(count))
    newest, half = _latest_session.get(key, (None, None))
    families += [batches, rows, refused, _session_family(newest, half)]
    return families


def _session_family(newest: date | None, half: int | None) -> GaugeMetricFamily:
    """The latest ingested session as a Unix time: the day's midnight (UTC) for AM, noon for PM."""
    if newest is None:
        value = 0.0
    else:
        value = datetime(newest.year, newest.month, newest.day, tzinfo=UTC).timestamp() + 43200 * (half or 0)
    return gauge(
        "gateway_latest_ingested_session_timestamp_seconds",
        "The newest session with marks: its day at 00:00 UTC for AM, 12:00 for PM (0: none)",
        value,
    )


async def _one(cur: Any) -> tuple[Any, ...]:
    row = await cur.fetchone()
    if row is None:  # each query is an aggregate, which always answers one row
        raise RuntimeError("a metrics query returned no row")
    return tuple(row)


def counted_registry() -> CollectorRegistry:
    """The counted families: this process's, or every worker's when prometheus-client's multiprocess mode
    is on."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return registry
    return REGISTRY


async def exposition(services: Services) -> bytes:
    families = process_families(services)
    try:
        families += await database_families(services)
        up = 1.0
    except Exception as exc:  # the rest is still worth scraping; the error type only (no content)
        log.warning("metrics_database_unavailable", error_type=type(exc).__name__)
        up = 0.0
    families.append(gauge("gateway_metrics_database_up", "Whether this scrape could read the database", up))
    scraped = CollectorRegistry()
    scraped.register(_Families(families))
    return generate_latest(counted_registry()) + generate_latest(scraped)


def scrape_allowed(request: Request[Any, Any, Any], token: str | None) -> bool:
    given = request.headers.get("authorization", "")
    scheme, _, value = given.partition(" ")
    return token is not None and scheme.lower() == "bearer" and hmac.compare_digest(value.strip(), token)


@get("/metrics", opt=PUBLIC, include_in_schema=False)
async def metrics(request: Request[Any, Any, Any], services: NamedDependency[Services]) -> Response[bytes]:
    """The Prometheus exposition, for a bearer token equal to the configured `metrics_token`."""
    configured = services.settings.metrics_token
    if configured is None:
        raise ProblemError(404, "not-found", "No metrics endpoint is configured (set GATEWAY_METRICS_TOKEN).")
    if not scrape_allowed(request, configured.get_secret_value()):
        raise ProblemError(
            401,
            "unauthenticated",
            "Scraping metrics needs the configured metrics bearer token.",
            headers={"WWW-Authenticate": 'Bearer realm="metrics"'},
        )
    return Response(await exposition(services), media_type=CONTENT_TYPE_LATEST)


def samples_of(text: str) -> Iterator[tuple[str, dict[str, str], float]]:
    """Every sample's name, labels and value in an exposition (for tests and scripts)."""
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            yield sample.name, dict(sample.labels), float(sample.value)


__all__ = ["exposition", "metrics", "observe_decision", "request_metrics", "samples_of"]
