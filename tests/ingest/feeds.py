"""Tiny feed files built in the tests: schools, rosters and marks as CSV or NDJSON text."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

import orjson
from stdnum.gb.upn import calc_check_digit

from gateway.ingest.feed import COLUMNS, EXTRA_COLUMNS, FeedKind

URN_A = 100001
URN_B = 100002
RECORDED = "2024-09-02T09:30:00+01:00"
LATER = "2024-09-03T09:30:00+01:00"
EARLIER = "2024-09-01T09:30:00+01:00"


def upn(serial: int, la_code: int = 201, estab: int = 2001, year: int = 24) -> str:
    """A valid UPN (right check letter) for a serial number."""
    body = f"{la_code:03d}{estab:04d}{year:02d}{serial:03d}"
    return calc_check_digit(body) + body


def school(
    urn: int = URN_A, estab: int = 2001, la_code: int = 201, phase: str = "primary", trust: int | None = None
) -> dict[str, Any]:
    """A school row; with `trust` (None: no trust columns at all; 0: the columns, empty) its trust."""
    row: dict[str, Any] = {
        "urn": urn, "name": f"School {urn}", "la_code": la_code, "estab_number": estab,
        "phase": phase, "school_type": "academy_converter" if trust else "community",
    }  # fmt: skip
    if trust is not None:
        row.update(trust_id=trust or "", trust_name=f"Trust {trust}" if trust else "")
    return row


def pupil(
    serial: int,
    urn: int = URN_A,
    recorded_at: str = RECORDED,
    admission: str = "2024-09-02",
    leaving: str = "",
    **changes: Any,
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "urn": urn, "upn": upn(serial), "forename": "Ada", "surname": "Lovelace",
        "date_of_birth": "2016-05-01", "sex": "F", "ethnicity": "WBRI", "year_group": 3, "fsm": "false",
        "sen_provision": "N", "looked_after": "false", "previously_looked_after": "false",
        "child_in_need": "false", "child_protection_plan": "false", "admission_date": admission,
        "leaving_date": leaving, "recorded_at": recorded_at,
    }  # fmt: skip
    row.update(changes)
    return row


def mark(
    serial: int,
    day: str,
    session: str = "AM",
    code: str = "/",
    recorded_at: str = RECORDED,
    urn: int = URN_A,
    upn_value: str | None = None,
) -> dict[str, Any]:
    return {
        "urn": urn, "upn": upn_value or upn(serial), "date": day, "session": session, "code": code,
        "recorded_at": recorded_at,
    }  # fmt: skip


def csv_text(kind: FeedKind, rows: Sequence[dict[str, Any]]) -> str:
    """Required columns, and the optional ones every row has."""
    extra = tuple(c for c in EXTRA_COLUMNS[kind] if rows and all(c in r for r in rows))
    columns = (*COLUMNS[kind], *extra)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row[c] for c in columns])
    return out.getvalue()


def csv_bytes(kind: FeedKind, rows: Sequence[dict[str, Any]]) -> bytes:
    return csv_text(kind, rows).encode()


def ndjson_bytes(rows: Sequence[dict[str, Any]]) -> bytes:
    return b"".join(orjson.dumps(r) + b"\n" for r in rows)
