"""The closures of a day asked for again: the same figures, and nothing new in the release ledger (a
release the requester already holds adds nothing to any chain, so a reloaded page cannot fill it up)."""

from __future__ import annotations

from typing import Any

import psycopg
from litestar.testing import TestClient

from gateway.store.reference import local_authorities
from tests.api.conftest import Tokens, audit_count
from tests.api.test_release_wiring import ONS, ledger_rows, request_id

CLOSURES = "/v1/attendance/closures"
DAY = "2025-09-15"


def _closures(client: TestClient[Any], tokens: Tokens) -> Any:
    response = client.get(CLOSURES, params={**ONS, "date": DAY}, headers=tokens.headers("ons-statistician"))
    assert response.status_code == 200, response.text[:300]
    return response


def _without_request(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k != "governance"}


def test_closures_asked_twice_give_the_same_figures_and_record_each_cell_once(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any]
) -> None:
    first, again = _closures(client, tokens), _closures(client, tokens)
    body = first.json()
    assert _without_request(again.json()) == _without_request(body)
    region_of = {la.la_code: la.region for la in local_authorities()}
    schools = body["schools"]
    areas = 1 + len({region_of[s["la_code"]] for s in schools}) + len({s["la_code"] for s in schools})
    # The pupils of England, each region, each LA and each school (the sessions are magnitudes: the
    # ledger records counts only).
    assert ledger_rows(store, request_id(first)) == areas + len(schools) == 15
    assert ledger_rows(store, request_id(again)) == 0
    assert [audit_count(store, request_id(r)) for r in (first, again)] == [1, 1]


def test_closure_statuses_are_those_of_the_day_s_raw_marks(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any]
) -> None:
    """Recomputed from `marks` itself, not from the rollup the route reads: all # or Y4 is closed, some
    #, Y4 or Y3 is partially closed, none of them open; a school on roll without marks has no register."""
    body = _closures(client, tokens).json()
    marked = {
        urn: (marks, closed, partial)
        for urn, marks, closed, partial in store.execute(
            "SELECT urn, count(*), count(*) FILTER (WHERE code IN ('#', 'Y4')),"
            " count(*) FILTER (WHERE code = 'Y3') FROM marks WHERE date = %s GROUP BY urn",
            (DAY,),
        ).fetchall()
    }

    def status(urn: int) -> str:
        marks, closed, partial = marked.get(urn, (0, 0, 0))
        if marks == 0:
            return "no_register"
        if closed >= marks:
            return "closed"
        return "partially_closed" if closed or partial else "open"

    statuses = {s["urn"]: s["status"] for s in body["schools"]}
    assert statuses == {urn: status(urn) for urn in statuses}
    assert set(marked) <= set(statuses)
    counts = [sum(s == k for s in statuses.values()) for k in ("open", "partially_closed", "closed")]
    assert counts == [body["schools_open"], body["schools_partially_closed"], body["schools_closed"]]
    assert body["schools_without_registers"] == sum(s == "no_register" for s in statuses.values())
