"""The DfE data-management action `schools.reclassify`: a school's phase or type changes only through
`POST /v1/admin/schools/{urn}/reclassify`, for the data-manager under dfe-data-management, with a reason;
decided, audited with the old and new values, refused for every other persona, and afterwards the feed's rows
with the new values are accepted. Through the real app, database and policy."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import psycopg
import pytest
from litestar.testing import TestClient

from gateway.auth.personas import PERSONAS
from gateway.db.urls import resolve_database
from gateway.settings import Settings
from gateway.store.school_register import RegisterError, reclassify_school
from tests.api.conftest import Tokens

BODY = {
    "purpose": "data-management",
    "agreement": "dfe-data-management",
    "effective_date": "2025-09-01",
    "reason": "GIAS change 12346: the school became an all-through academy",
}
NEW = {"phase": "special", "school_type": "Academy special converter"}
INGEST = "/v1/ingest/registers"
FEED = {"purpose": "data-collection", "agreement": "aggregator-collection"}
SCHOOLS_HEADER = "urn,name,la_code,estab_number,phase,school_type"


def _path(urn: int) -> str:
    return f"/v1/admin/schools/{urn}/reclassify"


def _event(store: psycopg.Connection[Any], response: Any) -> dict[str, Any]:
    rows = store.execute(
        "SELECT content FROM audit_events WHERE request_id = %s", (response.headers["x-request-id"],)
    ).fetchall()
    assert len(rows) == 1
    event: dict[str, Any] = orjson.loads(rows[0][0])
    return event


def _classification(store: psycopg.Connection[Any], urn: int) -> tuple[str, str]:
    row = store.execute("SELECT phase, school_type FROM schools WHERE urn = %s", (urn,)).fetchone()
    assert row is not None
    return str(row[0]), str(row[1])


def _batches(store: psycopg.Connection[Any]) -> int:
    row = store.execute("SELECT count(*) FROM ingest_batches").fetchone()
    assert row is not None
    return int(row[0])


@pytest.fixture
def school(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any]
) -> Iterator[dict[str, Any]]:
    """A primary school of LA 202 (the aggregator persona's LA); its phase and type are put back afterwards
    through the same route, so the next test sees the data it expects."""
    row = store.execute(
        "SELECT urn, name, la_code, estab_number, phase, school_type FROM schools"
        " WHERE la_code = 202 AND phase = 'primary' ORDER BY urn LIMIT 1"
    ).fetchone()
    assert row is not None
    school = dict(zip(("urn", "name", "la_code", "estab_number", "phase", "school_type"), row, strict=True))
    yield school
    back = client.post(
        _path(school["urn"]),
        headers=tokens.headers("data-manager"),
        json={**BODY, "phase": school["phase"], "school_type": school["school_type"]},
    )
    assert back.status_code == 200, back.text[:300]
    assert _classification(store, school["urn"]) == (school["phase"], school["school_type"])


def test_the_data_manager_changes_a_schools_phase_and_type(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any], school: dict[str, Any]
) -> None:
    urn = school["urn"]
    response = client.post(_path(urn), headers=tokens.headers("data-manager"), json={**BODY, **NEW})
    assert response.status_code == 200, response.text[:300]
    body = response.json()
    assert (body["urn"], body["changed"], body["previous"], body["current"], body["effective_date"]) == (
        urn,
        True,
        {"phase": "primary", "school_type": school["school_type"]},
        NEW,
        "2025-09-01",
    )
    assert body["governance"]["agreement"] == "dfe-data-management"
    assert _classification(store, urn) == (NEW["phase"], NEW["school_type"])


def test_the_change_is_audited_with_its_reason_and_both_classifications(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any], school: dict[str, Any]
) -> None:
    response = client.post(_path(school["urn"]), headers=tokens.headers("data-manager"), json={**BODY, **NEW})
    event = _event(store, response)
    assert (event["action"], event["outcome"], event["status"], event["reason_given"]) == (
        "schools.reclassify",
        "allowed",
        200,
        True,
    )
    named = ("previous_phase", "previous_school_type", "phase", "school_type", "effective_date")
    assert {k: event["params"][k] for k in named} == {
        "previous_phase": "primary",
        "previous_school_type": school["school_type"],
        "phase": "special",
        "school_type": "Academy special converter",
        "effective_date": "2025-09-01",
    }


def test_the_change_moves_the_data_version(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any], school: dict[str, Any]
) -> None:
    before = _batches(store)
    client.post(_path(school["urn"]), headers=tokens.headers("data-manager"), json={**BODY, **NEW})
    newest = store.execute(
        "SELECT feed_kind, source_name FROM ingest_batches ORDER BY batch_id DESC LIMIT 1"
    ).fetchone()
    assert (_batches(store) - before, newest) == (
        1,
        ("schools", f"data-management: schools.reclassify {school['urn']}"),
    )


def test_a_phase_filtered_figure_follows_the_school(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any], school: dict[str, Any]
) -> None:
    """The school leaves the primary schools' enrolments of its LA and joins the special schools'."""

    def enrolments(phase: str) -> int:
        row = store.execute(
            "SELECT count(*) FROM enrolments e JOIN schools s USING (urn)"
            " WHERE s.la_code = 202 AND s.phase = %s",
            (phase,),
        ).fetchone()
        assert row is not None
        return int(row[0])

    own = store.execute("SELECT count(*) FROM enrolments WHERE urn = %s", (school["urn"],)).fetchone()
    assert own is not None
    primary, special = enrolments("primary"), enrolments("special")
    client.post(_path(school["urn"]), headers=tokens.headers("data-manager"), json={**BODY, **NEW})
    assert (enrolments("primary"), enrolments("special")) == (primary - own[0], special + own[0])


def test_a_reclassification_to_what_the_school_is_writes_nothing(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any], school: dict[str, Any]
) -> None:
    before = _batches(store)
    same = {"phase": school["phase"], "school_type": school["school_type"]}
    response = client.post(
        _path(school["urn"]), headers=tokens.headers("data-manager"), json={**BODY, **same}
    )
    assert (response.status_code, response.json()["changed"]) == (200, False)
    assert _batches(store) == before


def _feed_row(school: dict[str, Any], **change: str) -> bytes:
    fields = {**school, **change}
    line = ",".join(str(fields[k]) for k in SCHOOLS_HEADER.split(","))
    return f"{SCHOOLS_HEADER}\n{line}\n".encode()


def test_a_feed_row_with_the_new_phase_is_refused_before_and_accepted_after(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any], school: dict[str, Any]
) -> None:
    feed = {**tokens.headers("aggregator"), "content-type": "text/csv"}
    before = client.post(INGEST, params=FEED, content=_feed_row(school, **NEW), headers=feed)
    assert (before.status_code, before.json()["reasons"]) == (200, {"needs_data_management": 1})
    client.post(_path(school["urn"]), headers=tokens.headers("data-manager"), json={**BODY, **NEW})
    after = client.post(INGEST, params=FEED, content=_feed_row(school, **NEW), headers=feed)
    assert after.status_code == 200, after.text[:300]
    assert (after.json()["rejected"], after.json()["unchanged"], after.json()["reasons"]) == (0, 1, {})
    # And the old values are now the change a feed may not make.
    old = client.post(INGEST, params=FEED, content=_feed_row(school), headers=feed)
    assert old.json()["reasons"] == {"needs_data_management": 1}
    assert _classification(store, school["urn"]) == (NEW["phase"], NEW["school_type"])


@pytest.mark.parametrize("persona", sorted(set(PERSONAS) - {"data-manager"}))
def test_every_other_persona_is_refused_and_nothing_changes(
    client: TestClient[Any],
    tokens: Tokens,
    store: psycopg.Connection[Any],
    school: dict[str, Any],
    persona: str,
) -> None:
    response = client.post(_path(school["urn"]), headers=tokens.headers(persona), json={**BODY, **NEW})
    assert response.status_code == 403, response.text[:300]
    event = _event(store, response)
    assert (event["action"], event["outcome"], event["allow"]) == ("schools.reclassify", "denied", False)
    assert _classification(store, school["urn"]) == (school["phase"], school["school_type"])


def test_a_reason_is_required_by_the_contract(
    client: TestClient[Any], tokens: Tokens, school: dict[str, Any]
) -> None:
    body = {k: v for k, v in BODY.items() if k != "reason"}
    response = client.post(_path(school["urn"]), headers=tokens.headers("data-manager"), json={**body, **NEW})
    assert response.status_code == 400


def test_a_reason_too_short_is_refused_by_the_policy(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any], school: dict[str, Any]
) -> None:
    response = client.post(
        _path(school["urn"]), headers=tokens.headers("data-manager"), json={**BODY, **NEW, "reason": "fix"}
    )
    assert response.status_code == 403
    assert [r["code"] for r in response.json()["reasons"]] == ["DENY_REASON_REQUIRED"]
    assert _classification(store, school["urn"]) == (school["phase"], school["school_type"])


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"phase": "nursery"}, "phase"),
        ({"school_type": "   "}, "school_type"),
        ({"school_type": "Academy\n"}, "school_type"),
        ({"reason": "GIAS change 12346\u0000"}, "reason"),
    ],
    ids=["unknown phase", "blank type", "control character in type", "control character in reason"],
)
def test_a_bad_value_is_refused_before_the_policy_and_nothing_changes(
    client: TestClient[Any],
    tokens: Tokens,
    store: psycopg.Connection[Any],
    school: dict[str, Any],
    change: dict[str, str],
    field: str,
) -> None:
    response = client.post(
        _path(school["urn"]), headers=tokens.headers("data-manager"), json={**BODY, **NEW, **change}
    )
    assert response.status_code == 400, response.text[:300]
    assert field in response.text
    assert _classification(store, school["urn"]) == (school["phase"], school["school_type"])


def test_an_effective_date_after_today_is_refused(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any], school: dict[str, Any]
) -> None:
    tomorrow = (datetime.now(UTC).date() + timedelta(days=1)).isoformat()
    response = client.post(
        _path(school["urn"]),
        headers=tokens.headers("data-manager"),
        json={**BODY, **NEW, "effective_date": tomorrow},
    )
    assert (response.status_code, response.json()["type"].rsplit("/", 1)[-1]) == (
        422,
        "effective-date-in-future",
    )
    assert _classification(store, school["urn"]) == (school["phase"], school["school_type"])


def test_an_unknown_school_is_refused(client: TestClient[Any], tokens: Tokens) -> None:
    response = client.post(_path(999999), headers=tokens.headers("data-manager"), json={**BODY, **NEW})
    assert (response.status_code, response.json()["type"].rsplit("/", 1)[-1]) == (422, "unknown-school")


def test_the_register_refuses_a_urn_it_does_not_hold_and_writes_nothing(
    api_settings: Settings, store: psycopg.Connection[Any]
) -> None:
    """The store's own check, behind the edge's URN check (which answers 422 first over HTTP)."""
    batches_before = store.execute("SELECT count(*) FROM ingest_batches").fetchone()

    async def attempt() -> RegisterError:
        urls = resolve_database(api_settings)
        async with await psycopg.AsyncConnection.connect(urls.admin) as conn:
            with pytest.raises(RegisterError) as caught:
                await reclassify_school(conn, 999_999, NEW["phase"], NEW["school_type"])
            return caught.value

    refused = asyncio.run(attempt())
    assert (refused.code, str(refused)) == ("unknown-school", "No school in the store has the URN 999999.")
    assert store.execute("SELECT count(*) FROM ingest_batches").fetchone() == batches_before
