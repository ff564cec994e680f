"""The DfE data-management action `pupils.correct_identity`: a pupil's name, date of birth, sex or ethnicity
changes across schools only through `POST /v1/admin/pupils/{upn}/identity`, for the data-manager under
dfe-data-management, with a reason; decided, audited by which fields changed (never their values), refused for
every other persona, and afterwards the feed's row with the corrected identity is accepted. Through the real
app, database and policy."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import orjson
import psycopg
import pytest
from litestar.testing import TestClient
from stdnum.gb import upn as stdnum_upn

from gateway.auth.personas import PERSONAS, persona_claims
from tests.api.conftest import Tokens

BODY = {
    "purpose": "data-management",
    "agreement": "dfe-data-management",
    "reason": "School letter 2026-11: the surname was mistyped at admission",
}
IDENTITY = ("forename", "surname", "date_of_birth", "sex", "ethnicity")
INGEST = "/v1/ingest/registers"
FEED = {"purpose": "data-collection", "agreement": "aggregator-collection"}
ROSTER_COLUMNS = (
    "urn", "upn", "forename", "surname", "date_of_birth", "sex", "ethnicity", "year_group", "fsm",
    "sen_provision", "looked_after", "previously_looked_after", "child_in_need", "child_protection_plan",
    "admission_date", "leaving_date", "recorded_at",
)  # fmt: skip
SURNAME = "Corrected-Surname"


def _northern(tokens: Tokens) -> dict[str, str]:
    """The second aggregator, which the agreement names as collecting for LA 202 only (the aggregator persona
    collects for LA 886 too)."""
    claims = {**persona_claims("aggregator"), "org": "northern-mis", "sub": "feeds@northern-mis"}
    return {"Authorization": f"Bearer {tokens.issuer.issue(claims)}", "content-type": "text/csv"}


def _path(upn: str) -> str:
    return f"/v1/admin/pupils/{upn}/identity"


def _event(store: psycopg.Connection[Any], response: Any) -> dict[str, Any]:
    rows = store.execute(
        "SELECT content FROM audit_events WHERE request_id = %s", (response.headers["x-request-id"],)
    ).fetchall()
    assert len(rows) == 1
    event: dict[str, Any] = orjson.loads(rows[0][0])
    return event


def _identity(store: psycopg.Connection[Any], upn: str) -> dict[str, Any]:
    row = store.execute(
        "SELECT forename, surname, date_of_birth::text, sex, ethnicity FROM pupils WHERE upn = %s", (upn,)
    ).fetchone()
    assert row is not None
    return dict(zip(IDENTITY, row, strict=True))


def _batches(store: psycopg.Connection[Any]) -> int:
    row = store.execute("SELECT count(*) FROM ingest_batches").fetchone()
    assert row is not None
    return int(row[0])


@pytest.fixture
def pupil(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any], areas: dict[str, Any]
) -> Iterator[dict[str, Any]]:
    """An LA 886 pupil whom the LA 202 aggregator's feed also enrols, under
    the same identity, at an LA 202 school. Afterwards the identity is put back through the same route and the
    arranged enrolment (it has no marks) is removed, so the next test sees the data it expects."""
    upn, urn, other = str(areas["own"]["upn"]), int(areas["own"]["urn"]), int(areas["other"]["urn"])
    stored = _identity(store, upn)
    arranged = client.post(
        INGEST, params=FEED, content=_feed_row(store, upn, urn, other, stored["surname"], newer=False),
        headers=_northern(tokens),
    )  # fmt: skip
    assert (arranged.status_code, arranged.json()["accepted"]) == (200, 1), arranged.text[:300]
    yield {"upn": upn, "urn": urn, "other_urn": other, **stored}
    back = client.post(_path(upn), headers=tokens.headers("data-manager"), json={**BODY, **stored})
    assert back.status_code == 200, back.text[:300]
    assert _identity(store, upn) == stored
    store.execute(
        "DELETE FROM enrolments WHERE urn = %s AND pupil_id = (SELECT pupil_id FROM pupils WHERE upn = %s)",
        (other, upn),
    )


def _feed_row(
    store: psycopg.Connection[Any], upn: str, urn: int, at: int, surname: str, *, newer: bool = True
) -> bytes:
    """A roster row for the pupil at school `at`, copied from their enrolment at `urn`, with `surname`; newer
    than anything stored for them, or (newer=False) as old as their identity."""
    select = ", ".join(f"e.{c}" if c not in ROSTER_COLUMNS[1:7] else f"p.{c}" for c in ROSTER_COLUMNS)
    row = store.execute(
        f"SELECT {select}, p.recorded_at, (SELECT max(recorded_at) FROM enrolments o"
        " WHERE o.pupil_id = p.pupil_id) FROM enrolments e JOIN pupils p USING (pupil_id)"
        " WHERE p.upn = %s AND e.urn = %s",
        (upn, urn),
    ).fetchone()
    assert row is not None
    fields = dict(zip(ROSTER_COLUMNS, row[:-2], strict=True))
    recorded = max(row[-2], row[-1]) + timedelta(seconds=1) if newer else row[-2]
    fields.update(urn=at, surname=surname, recorded_at=recorded.isoformat())
    fields["leaving_date"] = fields["leaving_date"] or ""
    line = ",".join(str(v).lower() if isinstance(v, bool) else str(v) for v in fields.values())
    return (",".join(ROSTER_COLUMNS) + "\n" + line + "\n").encode()


def _corrected(pupil: dict[str, Any], **change: Any) -> dict[str, Any]:
    return {**{k: pupil[k] for k in IDENTITY}, "surname": SURNAME, **change}


def test_the_data_manager_corrects_a_pupils_surname(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any], pupil: dict[str, Any]
) -> None:
    response = client.post(
        _path(pupil["upn"]), headers=tokens.headers("data-manager"), json={**BODY, **_corrected(pupil)}
    )
    assert response.status_code == 200, response.text[:300]
    body = response.json()
    today = datetime.now(UTC).date().isoformat()
    assert (body["upn"], body["changed"], body["changed_fields"], body["effective_date"]) == (
        pupil["upn"],
        True,
        ["surname"],
        today,
    )
    assert body["governance"]["agreement"] == "dfe-data-management"
    assert _identity(store, pupil["upn"]) == {**{k: pupil[k] for k in IDENTITY}, "surname": SURNAME}


def test_the_audit_event_names_the_changed_fields_never_their_values(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any], pupil: dict[str, Any]
) -> None:
    change = _corrected(pupil, forename="Corrected-Forename", date_of_birth="2015-02-03")
    response = client.post(
        _path(pupil["upn"]),
        headers=tokens.headers("data-manager"),
        json={**BODY, **change, "effective_date": "2026-09-01"},
    )
    assert response.status_code == 200, response.text[:300]
    event = _event(store, response)
    assert (event["action"], event["outcome"], event["status"], event["reason_given"]) == (
        "pupils.correct_identity",
        "allowed",
        200,
        True,
    )
    assert (event["params"]["changed_fields"], event["params"]["effective_date"]) == (
        ["forename", "surname", "date_of_birth"],
        "2026-09-01",
    )
    text = orjson.dumps(event).decode()
    for value in ("Corrected-Forename", SURNAME, "2015-02-03", pupil["forename"], pupil["surname"]):
        assert value not in text
    assert pupil["date_of_birth"] not in text
    newest = store.execute("SELECT source_name FROM ingest_batches ORDER BY batch_id DESC LIMIT 1").fetchone()
    assert newest == ("data-management: pupils.correct_identity",)


def test_the_correction_moves_the_data_version(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any], pupil: dict[str, Any]
) -> None:
    before = _batches(store)
    client.post(
        _path(pupil["upn"]), headers=tokens.headers("data-manager"), json={**BODY, **_corrected(pupil)}
    )
    assert _batches(store) - before == 1


def test_a_correction_to_what_the_pupil_is_writes_nothing(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any], pupil: dict[str, Any]
) -> None:
    before = _batches(store)
    same = {k: pupil[k] for k in IDENTITY}
    response = client.post(_path(pupil["upn"]), headers=tokens.headers("data-manager"), json={**BODY, **same})
    assert (response.status_code, response.json()["changed"], response.json()["changed_fields"]) == (
        200,
        False,
        [],
    )
    assert _batches(store) == before


def _group_sessions(store: psycopg.Connection[Any], urn: int, sex: str) -> int:
    row = store.execute(
        "SELECT coalesce(sum(possible), 0) FROM school_day_group WHERE urn = %s AND sex = %s", (urn, sex)
    ).fetchone()
    assert row is not None
    return int(row[0])


def _pupil_sessions(store: psycopg.Connection[Any], upn: str, urn: int) -> int:
    row = store.execute(
        "SELECT count(*) FROM marks m JOIN enrolments e USING (enrolment_id) JOIN pupils p USING (pupil_id)"
        " JOIN attendance_codes c ON c.code = m.code AND c.valid_from <= m.date"
        " AND (c.valid_to IS NULL OR m.date < c.valid_to)"
        " WHERE p.upn = %s AND m.urn = %s AND c.category <> 'NC'",
        (upn, urn),
    ).fetchone()
    assert row is not None
    return int(row[0])


def test_a_change_of_sex_moves_the_pupils_sessions_to_the_other_group(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any], pupil: dict[str, Any]
) -> None:
    """The daily rollup of the pupil's school moves their possible sessions from one sex to the other."""
    urn, old, new = pupil["urn"], pupil["sex"], "M" if pupil["sex"] == "F" else "F"
    sessions = _pupil_sessions(store, pupil["upn"], urn)
    assert sessions > 0
    before = (_group_sessions(store, urn, old), _group_sessions(store, urn, new))
    response = client.post(
        _path(pupil["upn"]),
        headers=tokens.headers("data-manager"),
        json={**BODY, **{k: pupil[k] for k in IDENTITY}, "sex": new},
    )
    assert (response.status_code, response.json()["changed_fields"]) == (200, ["sex"])
    after = (_group_sessions(store, urn, old), _group_sessions(store, urn, new))
    assert after == (before[0] - sessions, before[1] + sessions)


def test_a_feed_row_with_the_corrected_identity_is_refused_before_and_accepted_after(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any], pupil: dict[str, Any]
) -> None:
    feed = _northern(tokens)
    before = client.post(
        INGEST,
        params=FEED,
        content=_feed_row(store, pupil["upn"], pupil["urn"], pupil["other_urn"], SURNAME),
        headers=feed,
    )
    assert (before.status_code, before.json()["reasons"]) == (200, {"needs_data_management": 1})
    assert _identity(store, pupil["upn"])["surname"] == pupil["surname"]
    client.post(
        _path(pupil["upn"]), headers=tokens.headers("data-manager"), json={**BODY, **_corrected(pupil)}
    )
    after = client.post(
        INGEST,
        params=FEED,
        content=_feed_row(store, pupil["upn"], pupil["urn"], pupil["other_urn"], SURNAME),
        headers=feed,
    )
    assert after.status_code == 200, after.text[:300]
    assert (after.json()["rejected"], after.json()["updated"], after.json()["reasons"]) == (0, 1, {})
    # And the old surname is now the change a feed may not make.
    old = client.post(
        INGEST,
        params=FEED,
        content=_feed_row(store, pupil["upn"], pupil["urn"], pupil["other_urn"], pupil["surname"]),
        headers=feed,
    )
    assert old.json()["reasons"] == {"needs_data_management": 1}
    assert _identity(store, pupil["upn"])["surname"] == SURNAME


@pytest.mark.parametrize("persona", sorted(set(PERSONAS) - {"data-manager"}))
def test_every_other_persona_is_refused_and_nothing_changes(
    client: TestClient[Any],
    tokens: Tokens,
    store: psycopg.Connection[Any],
    pupil: dict[str, Any],
    persona: str,
) -> None:
    response = client.post(
        _path(pupil["upn"]), headers=tokens.headers(persona), json={**BODY, **_corrected(pupil)}
    )
    assert response.status_code == 403, response.text[:300]
    event = _event(store, response)
    assert (event["action"], event["outcome"], event["allow"]) == ("pupils.correct_identity", "denied", False)
    assert _identity(store, pupil["upn"])["surname"] == pupil["surname"]


def test_a_reason_too_short_is_refused_by_the_policy(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any], pupil: dict[str, Any]
) -> None:
    response = client.post(
        _path(pupil["upn"]),
        headers=tokens.headers("data-manager"),
        json={**BODY, **_corrected(pupil), "reason": "typo"},
    )
    assert response.status_code == 403
    assert [r["code"] for r in response.json()["reasons"]] == ["DENY_REASON_REQUIRED"]
    assert _identity(store, pupil["upn"])["surname"] == pupil["surname"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"reason": None}, "reason"),
        ({"sex": "X"}, "sex"),
        ({"ethnicity": "ZZZZ"}, "ethnicity"),
        ({"surname": "   "}, "surname"),
        ({"forename": "Ann\n"}, "forename"),
        ({"reason": "School letter 2026-11\u0000"}, "reason"),
        ({"date_of_birth": "1989-12-31"}, "date_of_birth"),
        ({"date_of_birth": (date.today() + timedelta(days=2)).isoformat()}, "date_of_birth"),
        ({"effective_date": "1999-12-31"}, "effective_date"),
    ],
    ids=[
        "no reason", "unknown sex", "unknown ethnicity", "blank surname", "control character in forename",
        "control character in reason", "born before 1990", "born after today", "effective before 2000",
    ],
)  # fmt: skip
def test_a_bad_value_is_refused_before_the_policy_and_nothing_changes(
    client: TestClient[Any],
    tokens: Tokens,
    store: psycopg.Connection[Any],
    pupil: dict[str, Any],
    change: dict[str, Any],
    field: str,
) -> None:
    body = {k: v for k, v in {**BODY, **_corrected(pupil), **change}.items() if v is not None}
    response = client.post(_path(pupil["upn"]), headers=tokens.headers("data-manager"), json=body)
    assert response.status_code == 400, response.text[:300]
    assert field in response.text
    assert _identity(store, pupil["upn"])["surname"] == pupil["surname"]


def test_an_effective_date_after_today_is_refused(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any], pupil: dict[str, Any]
) -> None:
    tomorrow = (datetime.now(UTC).date() + timedelta(days=1)).isoformat()
    response = client.post(
        _path(pupil["upn"]),
        headers=tokens.headers("data-manager"),
        json={**BODY, **_corrected(pupil), "effective_date": tomorrow},
    )
    assert (response.status_code, response.json()["type"].rsplit("/", 1)[-1]) == (
        422,
        "effective-date-in-future",
    )
    assert _identity(store, pupil["upn"])["surname"] == pupil["surname"]


def _upn(body: str) -> str:
    return str(stdnum_upn.calc_check_digit(body)) + body


def test_an_unknown_pupil_is_refused_and_nothing_is_written(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any], pupil: dict[str, Any]
) -> None:
    unknown = _upn("202" + "98765432" + "1")
    assert store.execute("SELECT 1 FROM pupils WHERE upn = %s", (unknown,)).fetchone() is None
    before = _batches(store)
    row = {k: pupil[k] for k in IDENTITY}
    response = client.post(_path(unknown), headers=tokens.headers("data-manager"), json={**BODY, **row})
    assert (response.status_code, response.json()["type"].rsplit("/", 1)[-1]) == (422, "unknown-pupil")
    assert _batches(store) == before


def test_a_upn_with_a_wrong_check_letter_is_refused(
    client: TestClient[Any], tokens: Tokens, pupil: dict[str, Any]
) -> None:
    letters = "ABCDEFGHJKLMNPQRTUVWXYZ"
    wrong = letters[(letters.index(pupil["upn"][0]) + 1) % len(letters)] + pupil["upn"][1:]
    row = {k: pupil[k] for k in IDENTITY}
    response = client.post(_path(wrong), headers=tokens.headers("data-manager"), json={**BODY, **row})
    assert (response.status_code, response.json()["type"].rsplit("/", 1)[-1]) == (422, "invalid-upn")


def test_a_upn_of_the_wrong_shape_is_refused_by_the_edge(
    client: TestClient[Any], tokens: Tokens, pupil: dict[str, Any]
) -> None:
    row = {k: pupil[k] for k in IDENTITY}
    response = client.post(
        _path("not-a-upn-abc"), headers=tokens.headers("data-manager"), json={**BODY, **row}
    )
    assert response.status_code == 400, response.text[:300]
    assert "upn" in response.text
