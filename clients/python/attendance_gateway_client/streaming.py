"""Streaming extracts and walking paged lists: the hand-written part of the client.

This file is not generated. clients/generate.py copies it into the generated package as
`attendance_gateway_client.streaming` after openapi-python-client has run, so `make client` keeps it and
the drift test compares it with the rest.

Why it exists: the generated `create_extract` reads a whole extract into memory as one string, and the
paged lists (pupils, early warning, audit events) return one page per call. `stream_extract` reads the
NDJSON body line by line and checks the summary line the gateway ends it with, so a cut-off download
raises `TruncatedExtract` instead of looking like a shorter extract. `pages` follows `next_cursor` until the
gateway says there is no more. Both raise `GatewayError`, carrying the RFC 9457 problem, on a refusal.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from .client import AuthenticatedClient
from .models.extract_request import ExtractRequest
from .models.problem import Problem
from .types import UNSET, Response, Unset

SUMMARY_KEY = "_summary"  # the final NDJSON line: {"_summary": {"rows", "data_version", ...}}


class GatewayError(Exception):
    """The gateway answered with an error status; `problem` is its problem+json body when it sent one."""

    def __init__(self, status: int, problem: Problem | None) -> None:
        super().__init__(f"HTTP {status}: {problem.detail}" if problem is not None else f"HTTP {status}")
        self.status = status
        self.problem = problem


class TruncatedExtract(Exception):
    """The extract ended without its summary line, or with a summary that counts other rows."""


@dataclass(frozen=True)
class ExtractSummary:
    rows: int
    data_version: str
    data_as_of: str
    request_id: str


class ExtractReader:
    """Rows of an NDJSON extract, one by one; after the last row, `summary` holds the checked trailer."""

    def __init__(self, lines: Iterable[bytes | str]) -> None:
        self._lines = lines
        self.summary: ExtractSummary | None = None

    def __iter__(self) -> Iterator[dict[str, Any]]:
        rows = 0
        for line in self._lines:
            if not line.strip():
                continue
            if self.summary is not None:
                raise TruncatedExtract("a line followed the summary line")
            record = json.loads(line)
            if SUMMARY_KEY in record:
                trailer = record[SUMMARY_KEY]
                if trailer["rows"] != rows:
                    raise TruncatedExtract(f"the summary counts {trailer['rows']} rows; {rows} arrived")
                self.summary = ExtractSummary(
                    rows=trailer["rows"],
                    data_version=trailer["data_version"],
                    data_as_of=trailer["data_as_of"],
                    request_id=trailer["request_id"],
                )
                continue
            rows += 1
            yield record
        if self.summary is None:
            raise TruncatedExtract(f"the extract ended after {rows} rows without its summary line")


def _problem(status: int, body: bytes) -> GatewayError:
    try:
        parsed = json.loads(body)
    except ValueError:
        return GatewayError(status, None)
    return GatewayError(status, Problem.from_dict(parsed) if isinstance(parsed, dict) else None)


def stream_extract(client: AuthenticatedClient, request: ExtractRequest) -> Iterator[dict[str, Any]]:
    """POST /v1/extracts as NDJSON and yield its records as they arrive, never holding the whole body.

    Raises GatewayError on a refusal (before any row) and TruncatedExtract if the body is cut off.
    """
    body = {**request.to_dict(), "format": "ndjson"}
    headers = {"Accept": "application/x-ndjson"}
    with client.get_httpx_client().stream("POST", "/v1/extracts", json=body, headers=headers) as response:
        if response.status_code != 200:
            raise _problem(response.status_code, response.read())
        yield from ExtractReader(response.iter_lines())


def pages(fetch: Callable[..., Response[Any]], /, **params: Any) -> Iterator[Any]:
    """Call a paged operation's `sync_detailed` with `params`, then again with each `next_cursor`.

    Yields each page's parsed model (PupilPage, EarlyWarningPage, EventsPage); stops when `next_cursor` is
    null. Raises GatewayError if any page is refused (a later page can be refused: a rate limit, a policy
    reload, an expired token).
    """
    cursor: str | Unset = UNSET
    while True:
        response = fetch(cursor=cursor, **params)
        if response.status_code != 200:
            raise _problem(int(response.status_code), response.content)
        page = response.parsed
        yield page
        following = page.next_cursor
        if following is None or isinstance(following, Unset):
            return
        cursor = following
