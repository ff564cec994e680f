"""One UPN validator and one identifier pattern: a UPN of each LA created after 2011 (838, 839, 940-943) is
valid at ingest, at the pupil route and at the audit subject route, is hashed in the audit log and is
redacted from logs; the same UPN with a wrong check letter is refused everywhere."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from litestar.testing import TestClient
from stdnum.gb import upn as stdnum_upn

from gateway.identifiers import is_upn_shaped
from gateway.ingest.validate import RowError, parse_upn
from gateway.observability import REDACTED, redact_sensitive
from gateway.store.upn import upn_problem
from tests.api.conftest import Tokens

POST_2011_LAS = (838, 839, 940, 941, 942, 943)
CASEWORK = {
    "purpose": "attendance-support",
    "agreement": "la-attendance-support",
    "reason": "Termly targeting meeting",
}


def upn_of(la_code: int) -> str:
    body = f"{la_code}12345678" + "9"
    return stdnum_upn.calc_check_digit(body) + body


def wrong_letter(upn: str) -> str:
    letters = "ABCDEFGHJKLMNPQRTUVWXYZ"
    return letters[(letters.index(upn[0]) + 1) % len(letters)] + upn[1:]


def test_stdnum_alone_rejects_these_las() -> None:
    """The reason the gateway extends stdnum: its LA list stops in 2011."""
    refused = [la for la in POST_2011_LAS if not stdnum_upn.is_valid(upn_of(la))]
    assert refused == list(POST_2011_LAS)


@pytest.mark.parametrize("la_code", POST_2011_LAS)
def test_the_validator_and_ingest_accept_the_upn_and_refuse_a_wrong_check_letter(la_code: int) -> None:
    upn = upn_of(la_code)
    assert upn_problem(upn) is None
    assert parse_upn(upn) == upn
    assert upn_problem(wrong_letter(upn)) == "check letter does not match"
    with pytest.raises(RowError, match="check letter does not match"):
        parse_upn(wrong_letter(upn))


@pytest.mark.parametrize("la_code", POST_2011_LAS)
def test_logs_and_audit_treat_it_as_an_identifier(la_code: int) -> None:
    upn = upn_of(la_code)
    assert is_upn_shaped(upn)
    event = redact_sensitive(None, "info", {"event": f"looked up {upn} today", "detail": [upn]})
    assert event == {"event": f"looked up {REDACTED} today", "detail": [REDACTED]}


@pytest.mark.parametrize("la_code", POST_2011_LAS)
def test_the_pupil_route_takes_the_upn_and_the_audit_log_hashes_it(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any], la_code: int
) -> None:
    upn = upn_of(la_code)
    found = client.get(
        f"/v1/pupils/{upn}/attendance", params=CASEWORK, headers=tokens.headers("la-attendance")
    )
    request_id = found.headers["x-request-id"]
    refused = client.get(
        f"/v1/pupils/{wrong_letter(upn)}/attendance", params=CASEWORK, headers=tokens.headers("la-attendance")
    )
    assert (found.status_code, found.json()["type"].rsplit("/", 1)[-1]) == (404, "pupil-not-found")
    assert (refused.status_code, refused.json()["type"].rsplit("/", 1)[-1]) == (422, "invalid-upn")
    row = store.execute("SELECT content FROM audit_events WHERE request_id = %s", (request_id,)).fetchone()
    assert row is not None
    assert upn not in row[0]
    assert '"upn": "hmac-sha256:' in row[0].replace('":"', '": "')


@pytest.mark.parametrize("la_code", POST_2011_LAS)
def test_the_audit_subject_route_takes_the_upn(client: TestClient[Any], tokens: Tokens, la_code: int) -> None:
    upn = upn_of(la_code)
    found = client.get(f"/v1/audit/subjects/{upn}", headers=tokens.headers("dfe-dpo"))
    refused = client.get(f"/v1/audit/subjects/{wrong_letter(upn)}", headers=tokens.headers("dfe-dpo"))
    assert found.status_code == 200
    assert upn not in found.text
    assert (refused.status_code, refused.json()["type"].rsplit("/", 1)[-1]) == (422, "invalid-upn")
