"""HTTP that caches and compresses, on the real gateway: ETag, 304 (still decided and audited), HEAD, gzip,
and the data version and data-as-of headers of every data response."""

from __future__ import annotations

import json
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import orjson
import psycopg
from hypothesis import event, given
from hypothesis import strategies as st
from litestar.testing import TestClient

from gateway.edge.http_cache import DATA_ACTIONS, DataVersion, entity_tag, matches
from tests.api.conftest import PERIOD, Tokens

ONS = {"purpose": "official-statistics", "agreement": "ons-srsa-s45a", "level": "school", **PERIOD}
DWP = {"purpose": "multiple-disadvantages", "agreement": "dwp-dea-s35", "level": "school", **PERIOD}
SUMMARY = "/v1/attendance/summary"
ACTIONS = json.loads((Path(__file__).resolve().parents[2] / "policies/data/actions/data.json").read_text())


def _rid() -> dict[str, str]:
    return {"x-request-id": f"cache-{uuid.uuid4().hex}"}


def _event(store: psycopg.Connection[Any], request_id: str) -> dict[str, Any]:
    rows = store.execute("SELECT content FROM audit_events WHERE request_id = %s", (request_id,)).fetchall()
    assert len(rows) == 1
    content = rows[0][0]
    return dict(orjson.loads(content) if isinstance(content, (str, bytes)) else content)


def test_a_data_response_carries_its_data_version_as_of_and_validators(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any]
) -> None:
    response = client.get(SUMMARY, params=ONS, headers={**tokens.headers("ons-statistician"), **_rid()})
    batches, top = store.execute("SELECT count(*), max(batch_id) FROM ingest_batches").fetchone() or (0, 0)
    [as_of] = store.execute("SELECT max(date) FROM school_day_group WHERE possible > 0").fetchone() or [None]
    assert response.status_code == 200
    assert response.headers["data-version"] == f"{batches}.{top}"
    assert response.headers["data-as-of"] == as_of.isoformat()
    assert response.headers["cache-control"] == "private, no-cache"
    assert response.headers["etag"].startswith('W/"')
    assert len(response.headers["etag"]) == len('W/""') + 32


def test_if_none_match_gives_304_decided_and_audited_as_one_event(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any]
) -> None:
    headers = tokens.headers("ons-statistician")
    first = client.get(SUMMARY, params=ONS, headers={**headers, **_rid()})
    again = client.get(
        SUMMARY, params=ONS, headers={**headers, **_rid(), "If-None-Match": first.headers["etag"]}
    )
    assert (again.status_code, again.content, again.headers["etag"]) == (304, b"", first.headers["etag"])
    assert "content-type" not in again.headers
    assert again.headers["data-version"] == first.headers["data-version"]
    event_ = _event(store, again.headers["x-request-id"])
    assert (event_["status"], event_["allow"], event_["action"], event_["rows_returned"]) == (
        304,
        True,
        "attendance.summary",
        0,
    )


def test_a_tag_that_does_not_match_gets_the_whole_answer(client: TestClient[Any], tokens: Tokens) -> None:
    headers = {**tokens.headers("ons-statistician"), "If-None-Match": 'W/"0000", "other"'}
    response = client.get(SUMMARY, params=ONS, headers=headers)
    assert response.status_code == 200
    assert response.json()["rows"] != []


def test_another_profile_or_request_gets_another_tag(client: TestClient[Any], tokens: Tokens) -> None:
    ons = client.get(SUMMARY, params=ONS, headers=tokens.headers("ons-statistician")).headers["etag"]
    dwp = client.get(SUMMARY, params=DWP, headers=tokens.headers("ogd-analyst")).headers["etag"]
    by_la = client.get(SUMMARY, params={**ONS, "level": "la"}, headers=tokens.headers("ons-statistician"))
    same = client.get(SUMMARY, params=ONS, headers=tokens.headers("ons-statistician")).headers["etag"]
    assert len({ons, dwp, by_la.headers["etag"]}) == 3
    assert same == ons


def test_a_denied_request_gets_no_validators(client: TestClient[Any], tokens: Tokens) -> None:
    response = client.get(
        SUMMARY, params={**ONS, "agreement": "dwp-dea-s35"}, headers=tokens.headers("ons-statistician")
    )
    assert response.status_code == 403
    assert {"etag", "data-version"} & set(response.headers) == set()


def test_head_answers_like_get_without_a_body_and_is_audited(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any]
) -> None:
    headers = tokens.headers("ons-statistician")
    got = client.get(SUMMARY, params=ONS, headers={**headers, "Accept-Encoding": "identity"})
    head = client.head(SUMMARY, params=ONS, headers={**headers, **_rid(), "Accept-Encoding": "identity"})
    assert (head.status_code, head.content) == (200, b"")
    assert head.headers["etag"] == got.headers["etag"]
    assert head.headers["content-length"] == str(len(got.content))
    event_ = _event(store, head.headers["x-request-id"])
    assert (event_["method"], event_["status"], event_["rows_returned"]) == ("HEAD", 200, 0)


def test_large_answers_are_gzipped_when_the_client_accepts_it(
    client: TestClient[Any], tokens: Tokens
) -> None:
    headers = tokens.headers("ons-statistician")
    zipped = client.get(SUMMARY, params=ONS, headers={**headers, "Accept-Encoding": "gzip"})
    plain = client.get(SUMMARY, params=ONS, headers={**headers, "Accept-Encoding": "identity"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert "content-encoding" not in plain.headers
    assert zipped.json()["rows"] == plain.json()["rows"]


def test_small_answers_are_not_compressed(client: TestClient[Any]) -> None:
    response = client.get("/health/live", headers={"Accept-Encoding": "gzip"})
    assert (response.status_code, "content-encoding" in response.headers) == (200, False)


def test_an_extract_states_its_data_version_but_no_validators(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any]
) -> None:
    body = {"purpose": "multiple-disadvantages", "agreement": "dwp-dea-s35", "la_code": 886, **PERIOD}
    response = client.post("/v1/extracts", json=body, headers=tokens.headers("ogd-analyst"))
    batches, top = store.execute("SELECT count(*), max(batch_id) FROM ingest_batches").fetchone() or (0, 0)
    assert response.status_code == 200
    assert response.headers["data-version"] == f"{batches}.{top}"
    assert "etag" not in response.headers


def test_the_data_actions_are_the_policy_datas_data_kind() -> None:
    assert frozenset(name for name, spec in ACTIONS.items() if spec["kind"] == "data") == DATA_ACTIONS


VERSION = DataVersion(3, 7, date(2025, 10, 24))


def _tag(**changes: Any) -> str:
    args: dict[str, Any] = {
        "version": VERSION,
        "revision": "r1",
        "obligations": {"agreement": "a", "row_filter": {"la_codes": [886]}},
        "target": "/v1/attendance/summary?level=la",
        "accept": "application/json",
        "day": date(2025, 10, 25),
        **changes,
    }
    return entity_tag(**args)


def test_every_input_of_the_tag_changes_it() -> None:
    base = _tag()
    changed = [
        _tag(version=DataVersion(4, 8, date(2025, 10, 24))),
        _tag(version=DataVersion(3, 7, date(2025, 10, 27))),
        _tag(revision="r2"),
        _tag(obligations={"agreement": "a", "row_filter": {"la_codes": [202]}}),
        _tag(target="/v1/attendance/summary?level=school"),
        _tag(accept="text/csv"),
        _tag(day=date(2025, 10, 26)),
    ]
    assert base == _tag()
    assert base not in changed
    assert len(set(changed)) == len(changed)


@given(tags=st.lists(st.text(alphabet="0123456789abcdef", min_size=1, max_size=8), min_size=1, max_size=4))
def test_if_none_match_compares_weakly_against_every_listed_tag(tags: list[str]) -> None:
    etag = f'W/"{tags[0]}"'
    listed = ", ".join(f'"{t}"' if i % 2 else f'W/"{t}"' for i, t in enumerate(reversed(tags)))
    event(f"{len(tags)} listed")
    assert matches(listed, etag)
    assert matches("*", etag)
    assert not matches(listed, 'W/"not-hex"')
    assert not matches(None, etag)
