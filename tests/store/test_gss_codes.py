"""GSS codes for England, its regions and its local authorities: well-formed, unique, consistent with
the regions, and a few pairs checked against what the ONS publishes."""

from __future__ import annotations

import re
from collections import Counter

from gateway.store.reference import (
    ENGLAND,
    REGIONS,
    area_gss_codes,
    local_authorities,
    local_authority_by_code,
)

LA_GSS = re.compile(r"^E(06|08|09|10)\d{6}$")


def test_every_la_has_a_well_formed_unique_gss_code() -> None:
    codes = [la.gss_code for la in local_authorities()]
    assert len(codes) == 153
    assert [c for c in codes if not LA_GSS.fullmatch(c)] == []
    assert [c for c, n in Counter(codes).items() if n > 1] == []


def test_england_and_the_nine_regions_have_their_codes() -> None:
    assert area_gss_codes() == {
        ENGLAND: "E92000001",
        **{region: f"E1200000{i}" for i, region in enumerate(REGIONS, start=1)},
    }


def test_london_boroughs_are_e09_and_only_london_has_them() -> None:
    london = {la.gss_code[:3] for la in local_authorities() if la.region == "London"}
    elsewhere = {la.gss_code[:3] for la in local_authorities() if la.region != "London"}
    assert london == {"E09"}
    assert "E09" not in elsewhere


def test_known_pairs() -> None:
    pairs = {
        la_code: local_authority_by_code()[la_code].gss_code
        for la_code in (201, 202, 330, 391, 886, 942, 943, 815)
    }
    assert pairs == {
        201: "E09000001",  # City of London
        202: "E09000007",  # Camden
        330: "E08000025",  # Birmingham
        391: "E08000021",  # Newcastle upon Tyne
        886: "E10000016",  # Kent
        942: "E06000063",  # Cumberland (from April 2023)
        943: "E06000064",  # Westmorland and Furness (from April 2023)
        815: "E06000065",  # North Yorkshire (a unitary authority from April 2023)
    }
