"""Disclosure control across queries, at the routes: the query space refuses before the query, a filtered
cell under the minimum population is never served, and the release ledger records what leaves and refuses
what would pin a small count (issue 16 items 2-3, issue 10's research differencing), through the real app."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

import psycopg
import psycopg.sql
from litestar.testing import TestClient

from gateway.privacy.differencing import Release
from gateway.store.ledger import _release
from tests.api.conftest import PERIOD, Tokens, audit_count
from tests.privacy.profiles import policy_profiles
from tests.privacy.walks import feasible_shifts

ONS = {"purpose": "official-statistics", "agreement": "ons-srsa-s45a"}
DWP = {"purpose": "multiple-disadvantages", "agreement": "dwp-dea-s35"}
RESEARCH = {"purpose": "public-good-research", "agreement": "srs-research-p2025-017"}
LA = {"purpose": "attendance-support", "agreement": "la-attendance-support", "reason": "Termly targeting"}
SCHOOL = {"purpose": "school-improvement", "agreement": "school-benchmark"}
OFF_GRID = {"date_from": "2025-09-01", "date_to": "2025-10-24"}  # ends on a Friday: no grid period
SUNDAYS = [date(2025, 9, 7) + timedelta(weeks=n) for n in range(8)]  # ... to 26 October
WEEKS = [date(2025, 9, 1) + timedelta(weeks=n) for n in range(8)]


def request_id(response: Any) -> str:
    body = response.json()
    if "governance" in body:
        return str(body["governance"]["request_id"])
    return str(body["instance"]).removeprefix("urn:request:")


def reason_codes(response: Any) -> list[str]:
    return [reason["code"] for reason in response.json().get("reasons", [])]


def ledger_rows(store: psycopg.Connection[Any], rid: str) -> int:
    row = store.execute("SELECT count(*) FROM release_ledger WHERE request_id = %s", (rid,)).fetchone()
    return int(row[0]) if row else 0


def test_a_range_off_the_grid_is_refused_naming_the_rule_and_audited_once(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any]
) -> None:
    response = client.get(
        "/v1/attendance/summary",
        params={**ONS, **OFF_GRID, "level": "la"},
        headers=tokens.headers("ons-statistician"),
    )
    assert response.status_code == 403
    assert response.json()["type"].endswith("/disclosure-refused")
    assert reason_codes(response) == ["PERIOD_OFF_GRID"]
    assert "2025-09-01 to 2025-10-24 is not one whole period of" in response.json()["detail"]
    rid = request_id(response)
    assert audit_count(store, rid) == 1
    assert ledger_rows(store, rid) == 0


def test_casework_agreements_keep_free_ranges(client: TestClient[Any], tokens: Tokens, areas: Any) -> None:
    response = client.get(
        "/v1/attendance/summary",
        params={**LA, **OFF_GRID, "level": "school", "la_code": areas["own"]["la_code"]},
        headers=tokens.headers("la-attendance"),
    )
    assert response.status_code == 200, response.text[:300]


def test_a_breakdown_not_published_at_the_level_is_refused(client: TestClient[Any], tokens: Tokens) -> None:
    response = client.get(
        "/v1/attendance/summary",
        params={**ONS, **PERIOD, "level": "school", "breakdown": "year_group"},
        headers=tokens.headers("ons-statistician"),
    )
    assert response.status_code == 403
    assert reason_codes(response) == ["BREAKDOWN_NOT_PUBLISHED"]


def test_the_daily_series_is_held_to_the_grid_too(client: TestClient[Any], tokens: Tokens) -> None:
    response = client.get(
        "/v1/attendance/daily", params={**ONS, **OFF_GRID}, headers=tokens.headers("ons-statistician")
    )
    assert response.status_code == 403
    assert reason_codes(response) == ["PERIOD_OFF_GRID"]


def test_a_filtered_cell_below_the_minimum_population_is_not_served_at_all(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any]
) -> None:
    """A school's SEN groups include some of fewer than 10 pupils: the table is refused, not suppressed."""
    response = client.get(
        "/v1/attendance/summary",
        params={**DWP, **PERIOD, "level": "school", "breakdown": "sen"},
        headers=tokens.headers("ogd-analyst"),
    )
    assert response.status_code == 403
    assert reason_codes(response) == ["FILTER_BELOW_MINIMUM"]
    assert "rows" not in response.json()
    assert ledger_rows(store, request_id(response)) == 0


def test_every_released_count_is_recorded_with_its_published_value(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any]
) -> None:
    response = client.get(
        "/v1/attendance/summary",
        params={**ONS, **PERIOD, "level": "la"},
        headers=tokens.headers("ons-statistician"),
    )
    assert response.status_code == 200, response.text[:300]
    rows = response.json()["rows"]
    rid = request_id(response)
    recorded = store.execute(
        "SELECT requester, area, measure, published, date_from, date_to FROM release_ledger"
        " WHERE request_id = %s",
        (rid,),
    ).fetchall()
    # England, two regions, two LAs: three counts each.
    assert len(recorded) == len(rows) * 3 == 15
    (requester,) = {r[0] for r in recorded}
    assert requester.endswith("|ons")  # per issuer and organisation
    assert {(r[4].isoformat(), r[5].isoformat()) for r in recorded} == {("2025-09-01", "2025-10-26")}
    by_cell = {(r[1], r[2]): r[3] for r in recorded}
    series = {"national": "England", "region": "region {}", "la": "la {}"}  # by what the cell counts
    for row in rows:
        area = series[row["level"]].format(row["area_id"])
        for measure, named in (
            ("enrolments", "pupils"),
            ("persistent_absentees", "persistent_absentees"),
            ("severe_absentees", "severe_absentees"),
        ):
            assert by_cell[(area, named)] == str(row[measure])
    assert audit_count(store, rid) == 1


def _walk(
    client: TestClient[Any], path: str, params: list[dict[str, str]], headers: dict[str, str]
) -> list[Any]:
    return [client.get(path, params=p, headers=headers) for p in params]


def _requester(store: psycopg.Connection[Any], responses: list[Any]) -> str:
    rid = next(request_id(r) for r in responses if r.status_code == 200)
    row = store.execute(
        "SELECT requester FROM release_ledger WHERE request_id = %s LIMIT 1", (rid,)
    ).fetchone()
    assert row is not None
    return str(row[0])


def _unpinned(store: psycopg.Connection[Any], requester: str, profile: dict[str, Any]) -> list[int]:
    """For each of the requester's chains holding a count under 60 (the ledger's protected band), how many
    values the independent attacker (tests/privacy/walks.py) still has for it, knowing every true difference."""
    chains: dict[tuple[Any, ...], list[Release]] = defaultdict(list)
    for row in store.execute(
        "SELECT area, date_from, date_to, filters, measure, published, true_value, cell_key, scheme"
        " FROM release_ledger WHERE requester = %s ORDER BY seq",
        (requester,),
    ):
        release = _release(row)
        chains[release.chain].append(release)
    left = []
    for releases in chains.values():
        if any(0 < r.true_value < 60 for r in releases):
            left.append(len(feasible_shifts(profile, releases)))
    return left


def _grid_periods(weeks: bool = True) -> list[dict[str, str]]:
    ytds = [{"date_from": "2025-09-01", "date_to": s.isoformat()} for s in SUNDAYS]
    if not weeks:
        return ytds
    return ytds + [
        {"date_from": w.isoformat(), "date_to": (w + timedelta(days=6)).isoformat()} for w in WEEKS
    ]


def test_the_published_walk_over_grid_periods_pins_no_small_count(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any]
) -> None:
    """Issue 16's walk on the published profile: one school's counts over year-to-dates a week apart and
    over each week (populations differing by a few joiners and leavers). Whatever was released, every
    chain with a small count still allows at least two values."""
    responses = _walk(
        client,
        "/v1/attendance/summary",
        [{**ONS, **p, "level": "school"} for p in _grid_periods()],
        tokens.headers("ons-statistician"),
    )
    assert {r.status_code for r in responses} <= {200, 403}
    assert {code for r in responses if r.status_code == 403 for code in reason_codes(r)} <= {
        "DIFFERENCING_WOULD_PIN"
    }
    left = _unpinned(store, _requester(store, responses), policy_profiles()["published"])
    assert left, "the walk released small counts to attack"
    assert min(left) >= 2


def test_the_research_walk_with_and_without_a_filter_pins_no_small_count(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any]
) -> None:
    """Issue 10's research differencing: school totals and school-by-sex over periods a week apart."""
    params = [{**RESEARCH, **p, "level": "school"} for p in _grid_periods()]
    params += [{**RESEARCH, **p, "level": "school", "breakdown": "sex"} for p in _grid_periods(weeks=False)]
    responses = _walk(client, "/v1/attendance/summary", params, tokens.headers("researcher"))
    assert {code for r in responses if r.status_code == 403 for code in reason_codes(r)} <= {
        "DIFFERENCING_WOULD_PIN",
        "FILTER_BELOW_MINIMUM",
    }
    assert any(r.status_code == 200 for r in responses)
    left = _unpinned(store, _requester(store, responses), policy_profiles()["research"])
    assert left, "the walk released small counts to attack"
    assert min(left) >= 2


def test_the_school_benchmark_walk_pins_no_small_count(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any], areas: Any
) -> None:
    """school-benchmark only rounds: a rounding flip between two year-to-dates a week apart pins a count,
    so the ledger must refuse the release that would complete one."""
    urn = areas["own"]["urn"]
    responses = _walk(
        client,
        f"/v1/schools/{urn}/benchmark",
        [{**SCHOOL, **p} for p in _grid_periods(weeks=False)],
        tokens.headers("school-lead", urn=urn),
    )
    assert {code for r in responses if r.status_code == 403 for code in reason_codes(r)} <= {
        "DIFFERENCING_WOULD_PIN"
    }
    assert responses[0].status_code == 200, responses[0].text[:300]
    profile = dict(policy_profiles()["school-benchmark"])
    left = _unpinned(store, _requester(store, responses), profile)
    assert left, "the walk released small counts to attack"
    assert min(left) >= 2


def test_a_ledger_that_cannot_be_written_fails_closed(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any], api_settings: Any
) -> None:
    """The ledger is written before the response is built: if it cannot be, no data leaves (503)."""
    role = psycopg.sql.Identifier(api_settings.app_db_role)
    store.execute(psycopg.sql.SQL("REVOKE INSERT ON release_ledger FROM {}").format(role))
    try:
        response = client.get(
            "/v1/attendance/summary",
            params={**ONS, **PERIOD, "level": "region"},
            headers=tokens.headers("ons-statistician"),
        )
    finally:
        store.execute(psycopg.sql.SQL("GRANT INSERT ON release_ledger TO {}").format(role))
    assert response.status_code == 503
    assert response.json()["type"].endswith("/release-ledger-unavailable")
    assert "rows" not in response.json()
    rid = request_id(response)
    assert audit_count(store, rid) == 1
    assert ledger_rows(store, rid) == 0


DFE = {"purpose": "official-statistics", "agreement": "dfe-statistics"}


def test_a_walk_mixing_the_summary_and_the_benchmark_is_one_walk_in_the_ledger(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any], areas: Any
) -> None:
    """Issue 16's cross-route chains: the DfE asks one school's summary (perturbed) and its benchmark (the
    school's own figures protected and rounded) over the same eight year-to-dates. Both routes' cells of
    the school are one series per measure in the ledger, each read with its own publication, and the
    independent attacker over the joined series keeps at least two values for every small count."""
    urn, la_code = areas["own"]["urn"], areas["own"]["la_code"]
    headers = tokens.headers("dfe-analyst")
    responses = []
    for period in _grid_periods(weeks=False):
        responses.append(
            client.get(f"/v1/schools/{urn}/benchmark", params={**DFE, **period}, headers=headers)
        )
        responses.append(
            client.get(
                "/v1/attendance/summary",
                params={**DFE, **period, "level": "school", "la_code": la_code},
                headers=headers,
            )
        )
    assert {code for r in responses if r.status_code == 403 for code in reason_codes(r)} <= {
        "DIFFERENCING_WOULD_PIN"
    }
    answered = [request_id(r) for r in responses if r.status_code == 200]
    rows = store.execute(
        "SELECT DISTINCT request_id, scheme FROM release_ledger"
        " WHERE request_id = ANY(%s) AND area = %s AND measure = 'severe_absentees' AND filters = '[]'",
        (answered, f"school {urn}"),
    ).fetchall()
    # One series, fed by both routes: the summary's perturbed cells and the benchmark's rounded ones.
    assert {scheme for _, scheme in rows} == {"t=10;z=0;r=5;p=ckm-t10-d10-v3-r1", "t=10;z=0;r=5;p="}
    assert len({rid for rid, _ in rows}) == len(answered)
    left = _unpinned(store, _requester(store, responses), policy_profiles()["published"])
    assert left, "the walk released small counts to attack"
    assert min(left) >= 2
