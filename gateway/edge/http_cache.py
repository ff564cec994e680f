"""HTTP that caches: `ETag`, `Cache-Control`, `Data-Version` and `Data-As-Of` on every data response,
`If-None-Match` answered 304, and HEAD answered wherever GET is.

A data response (a governed route whose action is of kind "data" in policies/data/actions) is stamped by
the governed prologue after the decision (`stamp`): the data version (committed ingest batches: count and
highest id; batches are all-or-nothing), the latest ingested session, and a weak entity tag over
everything the answer depends on: the data version, the policy revision, the decision's obligations (the
caller's row scope, fields and disclosure profile), the request's target and `Accept`, and the UTC day
(periods such as `ytd` and agreements' validity move with it). Bodies carry the request id, so equal
answers are never byte-identical: the tag is weak (RFC 9110 8.8.1), and compared weakly.

The middleware (inside the audit trail, so the trail records what is really sent) adds the headers to
a stamped 200 and turns it into 304 without a body when `If-None-Match` names its tag. The request was
still authenticated, decided and audited: one event, status 304, no rows returned. `Cache-Control` is
`private, no-cache`: a client may keep the answer but must revalidate every time, so every use of it is
decided and audited again. HEAD is served as GET with the body left out (same headers, same audit).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import msgspec
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from psycopg import AsyncConnection

from gateway.edge.scope_state import access_record

HTTP_CACHE_KEY = "http_cache"
DATA_VERSION_HEADER = "Data-Version"
DATA_AS_OF_HEADER = "Data-As-Of"
CACHE_CONTROL = "private, no-cache"
VARY = "Authorization, Accept, Accept-Encoding"
# Actions of kind "data" in policies/data/actions/data.json (a test keeps the two in step).
DATA_ACTIONS = frozenset(
    {
        "attendance.summary",
        "attendance.daily",
        "attendance.closures",
        "pupils.list",
        "pupils.attendance",
        "early_warning.list",
        "schools.benchmark",
        "schools.trend",
        "extracts.create",
    }
)
DATA_VERSION_SQL = (
    "SELECT count(*) AS n, coalesce(max(batch_id), 0) AS top,"
    " (SELECT max(date) FROM school_day WHERE possible > 0) AS as_of FROM ingest_batches"
)
# Headers of a 200 that a 304 leaves out (RFC 9110 15.4.5: it describes the selected representation).
BODY_HEADERS = frozenset({b"content-type", b"content-length", b"content-encoding", b"transfer-encoding"})


@dataclass(frozen=True, slots=True)
class DataVersion:
    batches: int
    top_batch: int
    as_of: date | None  # the latest day with a possible session received

    @property
    def label(self) -> str:
        return f"{self.batches}.{self.top_batch}"


@dataclass(frozen=True, slots=True)
class Stamp:
    version: DataVersion
    etag: str


async def data_version(conn: AsyncConnection[Any]) -> DataVersion:
    cur = await conn.execute(DATA_VERSION_SQL)
    row = await cur.fetchone()
    if row is None:  # an aggregate always answers one row
        raise RuntimeError("the data version query returned no row")
    return DataVersion(int(row["n"]), int(row["top"]), row["as_of"])


def entity_tag(
    version: DataVersion,
    revision: str,
    obligations: Mapping[str, Any],
    target: str,
    accept: str,
    day: date,
) -> str:
    """Pure: a weak tag over everything a data answer depends on."""
    material = msgspec.json.encode(
        {
            "version": version.label,
            "as_of": version.as_of,
            "revision": revision,
            "obligations": obligations,
            "target": target,
            "accept": accept,
            "day": day,
        },
        order="sorted",
    )
    return 'W/"' + hashlib.sha256(material).hexdigest()[:32] + '"'


def matches(if_none_match: str | None, etag: str) -> bool:
    """Weak comparison of `etag` against an If-None-Match list (RFC 9110 13.1.2)."""
    if not if_none_match:
        return False
    opaque = etag.removeprefix("W/")
    for candidate in if_none_match.split(","):
        candidate = candidate.strip()
        if candidate == "*" or candidate.removeprefix("W/") == opaque:
            return True
    return False


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return ""


async def stamp(
    scope: Scope,
    conn: AsyncConnection[Any],
    action: str,
    revision: str,
    obligations: Mapping[str, Any],
) -> None:
    """Mark a data response for the middleware (the governed prologue calls this after the decision)."""
    if action not in DATA_ACTIONS:
        return
    version = await data_version(conn)
    query = bytes(scope.get("query_string", b"")).decode("latin-1")
    target = str(scope.get("path", "")) + ("?" + "&".join(sorted(query.split("&"))) if query else "")
    etag = entity_tag(
        version, revision, obligations, target, _header(scope, b"accept"), datetime.now(UTC).date()
    )
    scope.setdefault("state", {})[HTTP_CACHE_KEY] = Stamp(version, etag)


def stamp_of(scope: Scope) -> Stamp:
    """The stamp `stamp` left on a data request (a body that states its own data version reads it)."""
    found = (scope.get("state") or {}).get(HTTP_CACHE_KEY)
    if not isinstance(found, Stamp):
        raise RuntimeError("a data response read its stamp before the governed prologue set it")
    return found


def cache_headers(found: Stamp, *, validators: bool) -> list[tuple[bytes, bytes]]:
    """Data-Version and Data-As-Of always; ETag, Cache-Control and Vary on a GET (HEAD) answer."""
    headers = [(DATA_VERSION_HEADER.lower().encode(), found.version.label.encode())]
    if found.version.as_of is not None:
        headers.append((DATA_AS_OF_HEADER.lower().encode(), found.version.as_of.isoformat().encode()))
    if validators:
        headers += [
            (b"etag", found.etag.encode()),
            (b"cache-control", CACHE_CONTROL.encode()),
            (b"vary", VARY.encode()),
        ]
    return headers


def http_cache_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        head = scope.get("method") == "HEAD"
        if head:
            scope["method"] = "GET"  # in place: the audit trail around shares this scope (it kept HEAD)
        silent = {"body": head}

        async def cached_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                state = scope.get("state") or {}
                found = state.get(HTTP_CACHE_KEY)
                if isinstance(found, Stamp) and message["status"] == 200:
                    readable = scope.get("method") == "GET"  # HEAD was made GET above
                    headers = [*message.get("headers", ()), *cache_headers(found, validators=readable)]
                    not_modified = readable and matches(_header(scope, b"if-none-match"), found.etag)
                    record = access_record(scope)
                    if record is not None and (head or not_modified):
                        record.rows_returned = 0  # no row leaves (the pupils concerned stay recorded)
                    if not_modified:
                        silent["body"] = True
                        headers = [(k, v) for k, v in headers if bytes(k).lower() not in BODY_HEADERS]
                        message = {**message, "status": 304, "headers": headers}
                    else:
                        message = {**message, "headers": headers}
            elif message["type"] == "http.response.body" and silent["body"]:
                if message.get("more_body", False):
                    return
                message = {**message, "body": b""}
            await send(message)

        await app(scope, receive, cached_send)

    return middleware
