"""A school's own benchmark figures are exact only for the school itself (issue 10 section 5): every other
caller allowed to benchmark it gets them through its own disclosure profile, so no small count follows
from enrolments times a rate."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import psycopg
import pytest
from litestar.testing import TestClient

from gateway.api.publishing_groups import own_figures_exact
from gateway.auth.principal import OrganisationType, Principal
from gateway.privacy.disclosure import DisclosureProfile
from tests.api.conftest import PERIOD, Tokens

ROOT = Path(__file__).resolve().parents[2]

DFE = {"purpose": "official-statistics", "agreement": "dfe-statistics", **PERIOD}
SCHOOL = {"purpose": "school-improvement", "agreement": "school-benchmark", **PERIOD}
COUNTS = (("severe_absence_rate", "severe"), ("persistent_absence_rate", "persistent"))


def implied(figures: dict[str, Any], rate: str) -> int | None:
    """The count a caller can work out as enrolments x rate (None where either is withheld)."""
    enrolments, value = figures["enrolments"], figures[rate]
    if not isinstance(enrolments, int) or not isinstance(value, int | float):
        return None
    return round(enrolments * value / 100)


@pytest.fixture(scope="module")
def schools(store: psycopg.Connection[Any]) -> list[int]:
    return [int(r[0]) for r in store.execute("SELECT DISTINCT urn FROM enrolments ORDER BY urn").fetchall()]


@pytest.fixture(scope="module")
def exact(client: TestClient[Any], tokens: Tokens, schools: list[int]) -> dict[int, dict[str, Any]]:
    """Each school's own view of itself (exact)."""
    out = {}
    for urn in schools:
        response = client.get(
            f"/v1/schools/{urn}/benchmark", params=SCHOOL, headers=tokens.headers("school-lead", urn=urn)
        )
        assert response.status_code == 200, response.text[:200]
        out[urn] = response.json()["school"]
    return out


def test_the_data_holds_schools_with_small_counts(exact: dict[int, dict[str, Any]]) -> None:
    """The property below is exercised: some school's severe or persistent count is between 1 and 9."""
    small = [
        (urn, name) for urn, f in exact.items() for rate, name in COUNTS if 0 < (implied(f, rate) or 0) < 10
    ]
    assert small != []


def test_the_school_itself_sees_its_exact_figures(
    client: TestClient[Any], tokens: Tokens, schools: list[int]
) -> None:
    response = client.get(
        f"/v1/schools/{schools[0]}/benchmark",
        params=SCHOOL,
        headers=tokens.headers("school-lead", urn=schools[0]),
    )
    assert (
        "the school's own figures are exact: they describe its own pupils"
        in response.json()["disclosure"]["rules"]
    )


def test_the_dfe_analyst_cannot_compute_a_small_count_for_any_school(
    client: TestClient[Any], tokens: Tokens, exact: dict[int, dict[str, Any]]
) -> None:
    recovered = []
    for urn in exact:
        response = client.get(
            f"/v1/schools/{urn}/benchmark", params=DFE, headers=tokens.headers("dfe-analyst")
        )
        assert response.status_code == 200, response.text[:200]
        figures = response.json()["school"]
        for rate, name in COUNTS:
            count = implied(figures, rate)
            if count is not None and 0 < count < 10:
                recovered.append((urn, name, count))
    assert recovered == []


def test_the_analysts_response_says_the_school_is_protected(
    client: TestClient[Any], tokens: Tokens, schools: list[int]
) -> None:
    response = client.get(
        f"/v1/schools/{schools[0]}/benchmark", params=DFE, headers=tokens.headers("dfe-analyst")
    )
    rules = response.json()["disclosure"]["rules"]
    assert (
        "the school's own figures are protected with your disclosure profile (exact only for the school itself)"
        in rules
    )
    assert response.json()["school"]["enrolments"] % 5 == 0  # rounded to the profile's base


def _principal(
    organisation_type: OrganisationType, *, urn: int | None = None, la: int | None = None
) -> Principal:
    return Principal(
        subject="s",
        issuer="i",
        organisation="o",
        organisation_type=organisation_type,
        roles=(),
        la_code=la,
        urn=urn,
    )


@pytest.mark.parametrize(
    ("principal", "holders", "exact"),
    [
        (_principal("school", urn=100001), ("school",), True),
        (_principal("school", urn=100002), ("school",), False),  # another school
        (_principal("school", urn=100001), (), False),  # the profile names no holder
        (_principal("la", la=201), ("school",), False),  # the school's LA, not named by the profile
        (_principal("la", la=201), ("school", "la"), True),  # ... named
        (_principal("la", la=202), ("la",), False),  # another LA
        (_principal("dfe"), ("school", "la", "trust"), False),
        (_principal("aggregator"), ("trust",), False),  # no principal carries a trust scope yet
    ],
)
def test_own_figures_are_exact_only_for_the_holders_the_profile_names(
    principal: Principal, holders: tuple[str, ...], exact: bool
) -> None:
    assert own_figures_exact(principal, 100001, 201, holders) is exact


def test_the_school_benchmark_profile_names_the_school_alone() -> None:
    profiles = json.loads((ROOT / "policies/data/disclosure_profiles/data.json").read_text())
    assert DisclosureProfile.from_policy(profiles["school-benchmark"]).exact_own_figures == ("school",)
