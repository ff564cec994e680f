"""Issue 10 section 2 through the real app: a bounded, typed feed body, written only by its owner, with
control characters kept as escaped rejects."""

from __future__ import annotations

import gzip
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import psycopg
import pytest
from litestar.testing import TestClient

from gateway.app import create_app
from gateway.auth.devissuer import DevIssuer
from gateway.auth.personas import persona_claims
from gateway.settings import IngestSettings, Settings
from tests.api.conftest import Tokens, audit_count
from tests.api.test_log_privacy import _env, _free_port

INGEST = "/v1/ingest/registers"
PARAMS = {"purpose": "data-collection", "agreement": "aggregator-collection"}
MARKS_HEADER = "urn,upn,date,session,code,recorded_at"


def _batches(store: psycopg.Connection[Any]) -> int:
    row = store.execute("SELECT count(*) FROM ingest_batches").fetchone()
    assert row is not None
    return int(row[0])


def _stored_mark(store: psycopg.Connection[Any], la_code: int) -> str:
    """A stored mark of a school in `la_code` as a feed line: re-sending it changes nothing."""
    row = store.execute(
        "SELECT m.urn, p.upn, m.date, m.session, m.code, m.recorded_at FROM marks m"
        " JOIN enrolments e USING (enrolment_id) JOIN pupils p ON p.pupil_id = e.pupil_id"
        " WHERE m.la_code = %s ORDER BY m.date, e.enrolment_id, m.session LIMIT 1",
        (la_code,),
    ).fetchone()
    assert row is not None
    urn, upn, day, session, code, recorded = row
    return f"{urn},{upn},{day},{'PM' if session else 'AM'},{code},{recorded.isoformat()}"


def _rejects(store: psycopg.Connection[Any], batch_id: int) -> list[tuple[int, str, str]]:
    rows = store.execute(
        "SELECT line_number, reason_code, raw FROM ingest_rejects WHERE batch_id = %s ORDER BY line_number",
        (batch_id,),
    ).fetchall()
    return [(int(n), str(code), str(raw)) for n, code, raw in rows]


def _post(
    client: TestClient[Any], headers: dict[str, str], body: bytes, content_type: str, **extra: str
) -> Any:
    return client.post(
        INGEST, params=PARAMS, content=body, headers={**headers, "content-type": content_type, **extra}
    )


@pytest.fixture(scope="module")
def capped(api_settings: Settings, loaded: Any, issuer: DevIssuer) -> Iterator[TestClient[Any]]:
    """The app with small caps (2 MB sent, 5 MB unpacked; lines at the 64 KiB default)."""
    caps = IngestSettings(max_body_bytes=2_000_000, max_unpacked_bytes=5_000_000)
    with TestClient(app=create_app(api_settings.model_copy(update={"ingest": caps}))) as test_client:
        yield test_client


@pytest.mark.parametrize(
    ("cap", "content_type", "body"),
    [
        # 200 MB of NULs is about 200 KB gzipped: refused at its first over-long "line".
        ("ingest.max_line_bytes", "application/gzip", gzip.compress(b"\0" * 200_000_000, compresslevel=9)),
        # Short lines, so only the unpacked size refuses it.
        ("ingest.max_unpacked_bytes", "application/gzip", gzip.compress(b"urn\n" + b"x\n" * 3_000_000)),
        ("ingest.max_body_bytes", "text/csv", (MARKS_HEADER + "\n").encode() + b"x\n" * 1_500_000),
    ],
    ids=["bomb-line", "unpacked", "sent"],
)
def test_a_body_over_a_cap_is_413_naming_the_cap_and_writes_nothing(
    capped: TestClient[Any],
    tokens: Tokens,
    store: psycopg.Connection[Any],
    cap: str,
    content_type: str,
    body: bytes,
) -> None:
    before = _batches(store)
    response = _post(capped, tokens.headers("aggregator"), body, content_type)
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["cap"] == cap
    assert cap.removeprefix("ingest.") in response.json()["detail"]
    assert _batches(store) == before
    assert audit_count(store, response.headers["x-request-id"]) == 1


def test_a_body_declared_longer_than_the_cap_is_refused_before_it_is_read(
    capped: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any]
) -> None:
    before = _batches(store)
    body = (MARKS_HEADER + "\n").encode()
    response = capped.post(
        INGEST,
        params=PARAMS,
        content=body,
        headers={**tokens.headers("aggregator"), "content-type": "text/csv", "content-length": "2000001"},
    )
    assert (response.status_code, response.json()["cap"]) == (413, "ingest.max_body_bytes")
    assert _batches(store) == before


@pytest.mark.parametrize(
    ("content_type", "encoding"),
    [
        ("application/json", None),
        ("text/plain", None),
        ("multipart/form-data; boundary=x", None),
        ("application/x-www-form-urlencoded", None),
        ("text/csv", "br"),
        ("application/gzip", "gzip"),
    ],
)
def test_a_body_that_is_not_a_feed_type_is_415(
    client: TestClient[Any],
    tokens: Tokens,
    store: psycopg.Connection[Any],
    content_type: str,
    encoding: str | None,
) -> None:
    before = _batches(store)
    extra = {"content-encoding": encoding} if encoding else {}
    body = (MARKS_HEADER + "\n" + _stored_mark(store, 886) + "\n").encode()
    response = _post(client, tokens.headers("aggregator"), body, content_type, **extra)
    assert response.status_code == 415
    assert response.json()["accepted"] == [
        "text/csv",
        "application/x-ndjson",
        "application/ndjson",
        "application/gzip",
        "application/x-gzip",
    ]
    assert _batches(store) == before
    assert audit_count(store, response.headers["x-request-id"]) == 1


@pytest.mark.parametrize(
    ("content_type", "body_of"),
    [
        ("application/x-ndjson", lambda csv: csv),  # CSV sent as NDJSON
        ("text/csv", gzip.compress),  # gzip without saying so
        ("application/gzip", lambda csv: csv),  # said gzip, is not
    ],
    ids=["csv-as-ndjson", "undeclared-gzip", "false-gzip"],
)
def test_a_body_that_is_not_what_its_headers_say_is_415(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any], content_type: str, body_of: Any
) -> None:
    before = _batches(store)
    body = body_of((MARKS_HEADER + "\n" + _stored_mark(store, 886) + "\n").encode())
    response = _post(client, tokens.headers("aggregator"), body, content_type)
    assert response.status_code == 415
    assert _batches(store) == before


def test_csv_with_content_encoding_gzip_is_a_feed(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any]
) -> None:
    body = gzip.compress((MARKS_HEADER + "\n" + _stored_mark(store, 886) + "\n").encode())
    response = _post(client, tokens.headers("aggregator"), body, "text/csv", **{"content-encoding": "gzip"})
    assert response.status_code == 200, response.text
    assert (response.json()["unchanged"], response.json()["rejected"]) == (1, 0)


def _northern(issuer: DevIssuer) -> dict[str, str]:
    """A second aggregator, which the agreement names as collecting for LA 202 only."""
    claims = {**persona_claims("aggregator"), "org": "northern-mis", "sub": "feeds@northern-mis"}
    return {"Authorization": f"Bearer {issuer.issue(claims)}"}


def test_marks_for_a_school_outside_the_senders_scope_are_rejected_as_not_your_school(
    client: TestClient[Any], issuer: DevIssuer, store: psycopg.Connection[Any]
) -> None:
    body = (MARKS_HEADER + "\n" + _stored_mark(store, 202) + "\n" + _stored_mark(store, 886) + "\n").encode()
    response = _post(client, _northern(issuer), body, "text/csv")
    assert response.status_code == 200, response.text
    result = response.json()
    assert (result["unchanged"], result["rejected"], result["reasons"]) == (1, 1, {"not_your_school": 1})
    assert [(n, code) for n, code, _ in _rejects(store, result["batch_id"])] == [(3, "not_your_school")]


def test_an_aggregator_the_agreement_does_not_name_writes_nothing(
    client: TestClient[Any], issuer: DevIssuer, store: psycopg.Connection[Any]
) -> None:
    claims = {**persona_claims("aggregator"), "org": "unnamed-mis", "sub": "feeds@unnamed-mis"}
    body = (MARKS_HEADER + "\n" + _stored_mark(store, 202) + "\n").encode()
    response = _post(client, {"Authorization": f"Bearer {issuer.issue(claims)}"}, body, "text/csv")
    assert response.status_code == 200, response.text
    assert response.json()["reasons"] == {"not_your_school": 1}


def _school_line(store: psycopg.Connection[Any], of_la: int, **change: object) -> tuple[int, str]:
    row = store.execute(
        "SELECT urn, name, la_code, estab_number, phase, school_type FROM schools WHERE la_code = %s"
        " ORDER BY urn LIMIT 1",
        (of_la,),
    ).fetchone()
    assert row is not None
    fields = dict(zip(("urn", "name", "la_code", "estab_number", "phase", "school_type"), row, strict=True))
    fields.update(change)
    return int(row[0]), ",".join(str(v) for v in fields.values())


SCHOOLS_HEADER = "urn,name,la_code,estab_number,phase,school_type"


def test_a_schools_row_for_another_senders_school_changes_nothing(
    client: TestClient[Any], issuer: DevIssuer, store: psycopg.Connection[Any]
) -> None:
    urn, line = _school_line(store, 886, la_code=202)  # move an LA 886 school into the sender's LA
    response = _post(client, _northern(issuer), f"{SCHOOLS_HEADER}\n{line}\n".encode(), "text/csv")
    assert response.status_code == 200, response.text
    assert response.json()["reasons"] == {"not_your_school": 1}
    assert store.execute("SELECT la_code FROM schools WHERE urn = %s", (urn,)).fetchone() == (886,)
    moved = store.execute(
        "SELECT count(*) FROM enrolments WHERE urn = %s AND la_code <> 886", (urn,)
    ).fetchone()
    assert moved == (0,)


@pytest.mark.parametrize(
    "change", [{"la_code": 886}, {"phase": "special"}, {"school_type": "foundation"}], ids=str
)
def test_a_feed_never_moves_its_own_school_to_another_la_phase_or_type(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any], change: dict[str, object]
) -> None:
    urn, line = _school_line(store, 202, **change)
    before = store.execute(
        "SELECT la_code, phase, school_type FROM schools WHERE urn = %s", (urn,)
    ).fetchone()
    body = f"{SCHOOLS_HEADER}\n{line}\n".encode()
    response = _post(client, tokens.headers("aggregator"), body, "text/csv")
    assert response.status_code == 200, response.text
    assert response.json()["reasons"] == {"needs_data_management": 1}
    after = store.execute("SELECT la_code, phase, school_type FROM schools WHERE urn = %s", (urn,)).fetchone()
    assert after == before


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x1b", "\x7f"], ids=repr)
def test_a_row_with_a_control_character_is_a_malformed_row_kept_escaped_and_the_rest_proceeds(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any], char: str
) -> None:
    good = _stored_mark(store, 886)
    urn, upn, day, session, code, recorded = good.split(",")
    bad = f"{urn},{upn},{day},{session},{code}{char}\\,{recorded}"
    body = f"{MARKS_HEADER}\n{bad}\n{good}\n".encode()
    response = _post(client, tokens.headers("aggregator"), body, "text/csv")
    assert response.status_code == 200, response.text
    result = response.json()
    assert (result["unchanged"], result["rejected"], result["reasons"]) == (1, 1, {"malformed_row": 1})
    kept = f"{urn},{upn},{day},{session},{code}\\x{ord(char):02x}\\\\,{recorded}"
    assert _rejects(store, result["batch_id"]) == [(2, "malformed_row", kept)]


def test_an_ndjson_value_holding_a_nul_is_a_malformed_row(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any]
) -> None:
    urn, upn, day, session, code, recorded = _stored_mark(store, 886).split(",")
    good = orjson.dumps(
        {"urn": urn, "upn": upn, "date": day, "session": session, "code": code, "recorded_at": recorded}
    )
    bad = good.replace(b'"code":"', b'"code":"\\u0000')
    response = _post(client, tokens.headers("aggregator"), good + b"\n" + bad + b"\n", "application/x-ndjson")
    assert response.status_code == 200, response.text
    result = response.json()
    assert (result["unchanged"], result["reasons"]) == (1, {"malformed_row": 1})
    assert _rejects(store, result["batch_id"]) == [(2, "malformed_row", bad.decode())]


ROOT = Path(__file__).resolve().parents[2]
# How much the server's resident memory may grow while it refuses a gzip bomb. Before streaming, 200 MB
# of NULs took it from 235 MB to 1.1 GB; streamed, it holds one chunk and one unpacked piece at a time.
BOMB_GROWTH_LIMIT = 64 * 1024 * 1024


def _memory(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak) of a process, in bytes."""
    lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    return {
        k: int(v.split()[0]) * 1024
        for k, v in (line.split(":", 1) for line in lines)
        if k in {"VmRSS", "VmHWM"}
    }


def test_the_real_server_refuses_a_gzip_bomb_with_its_memory_bounded(
    api_settings: Settings, loaded: Any, tokens: Tokens, store: psycopg.Connection[Any]
) -> None:
    bomb = gzip.compress(b"\0" * 200_000_000, compresslevel=9)
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gateway.cli", "serve", "--port", str(port)],
        env=_env(api_settings),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(base + "/health/ready", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.3)
        warm = (MARKS_HEADER + "\n" + _stored_mark(store, 886) + "\n").encode()
        headers = {**tokens.headers("aggregator"), "content-type": "text/csv"}
        assert (
            httpx.post(base + INGEST, params=PARAMS, content=warm, headers=headers, timeout=60).status_code
            == 200
        )
        Path(f"/proc/{process.pid}/clear_refs").write_text("5")  # the peak starts again from now
        before = _memory(process.pid)["VmRSS"]
        headers["content-type"] = "application/gzip"
        response = httpx.post(base + INGEST, params=PARAMS, content=bomb, headers=headers, timeout=120)
        peak = _memory(process.pid)["VmHWM"]
    finally:
        process.terminate()
        process.wait(timeout=60)
    assert (response.status_code, response.json()["cap"]) == (413, "ingest.max_line_bytes")
    assert peak - before < BOMB_GROWTH_LIMIT, f"grew {(peak - before) >> 20} MiB refusing the bomb"


ROSTER_COLUMNS = (
    "urn", "upn", "forename", "surname", "date_of_birth", "sex", "ethnicity", "year_group", "fsm",
    "sen_provision", "looked_after", "previously_looked_after", "child_in_need", "child_protection_plan",
    "admission_date", "leaving_date", "recorded_at",
)  # fmt: skip


def test_a_roster_row_never_rewrites_the_identity_of_a_pupil_enrolled_at_another_senders_school(
    client: TestClient[Any], issuer: DevIssuer, store: psycopg.Connection[Any], areas: dict[str, Any]
) -> None:
    """The LA 202 sender enrols an LA 886 pupil at its own school under another surname: refused."""
    upn = areas["own"]["upn"]
    select = ", ".join(f"e.{c}" if c not in ROSTER_COLUMNS[1:7] else f"p.{c}" for c in ROSTER_COLUMNS)
    row = store.execute(
        f"SELECT {select} FROM enrolments e JOIN pupils p USING (pupil_id) WHERE p.upn = %s LIMIT 1", (upn,)
    ).fetchone()
    assert row is not None
    fields = dict(zip(ROSTER_COLUMNS, row, strict=True))
    stored_surname = fields["surname"]
    fields.update(urn=areas["other"]["urn"], surname="Renamed", recorded_at="2030-01-01T00:00:00Z")
    fields["leaving_date"] = fields["leaving_date"] or ""
    line = ",".join(str(v).lower() if isinstance(v, bool) else str(v) for v in fields.values())
    body = (",".join(ROSTER_COLUMNS) + "\n" + line + "\n").encode()
    response = _post(client, _northern(issuer), body, "text/csv")
    assert response.status_code == 200, response.text
    assert response.json()["reasons"] == {"needs_data_management": 1}
    assert store.execute("SELECT surname FROM pupils WHERE upn = %s", (upn,)).fetchone() == (stored_surname,)
