"""The store's reference data: every English LA and the versioned code table are seeded by migration."""

from __future__ import annotations

from datetime import date

import psycopg

from gateway.store.codes import CODE_COUNT, CODES, ORDINALS, code_category
from gateway.store.reference import REGIONS, local_authorities


def test_local_authorities_are_the_153_current_english_las() -> None:
    las = local_authorities()
    assert len(las) == 153
    assert len({la.la_code for la in las}) == 153
    by_code = {la.la_code: la for la in las}
    assert by_code[940].name == "North Northamptonshire"
    assert by_code[942].region == "North West"
    assert by_code[839].name == "Bournemouth, Christchurch and Poole"
    assert by_code[201].region == "London"
    assert {la.region for la in las} == set(REGIONS)


def test_seeded_local_authorities_match_the_packaged_list(admin_conn: psycopg.Connection) -> None:
    rows = admin_conn.execute(
        "SELECT la_code, name, region FROM local_authorities ORDER BY la_code"
    ).fetchall()
    assert rows == sorted((la.la_code, la.name, la.region) for la in local_authorities())


def test_seeded_codes_match_the_python_table(admin_conn: psycopg.Connection) -> None:
    rows = admin_conn.execute(
        "SELECT code, valid_from, valid_to, category, ordinal, meaning FROM attendance_codes"
        " ORDER BY code, valid_from"
    ).fetchall()
    assert rows == sorted(tuple(c) for c in CODES)


def test_retired_codes_are_valid_only_before_19_august_2024() -> None:
    assert [code_category(c, date(2024, 8, 16)) for c in ("H", "J", "Y")] == ["AUTH", "AEA", "NC"]
    assert [code_category(c, date(2024, 8, 19)) for c in ("H", "J", "Y")] == [None, None, None]


def test_new_2024_codes_are_not_valid_before_they_came_in() -> None:
    assert code_category("J1", date(2024, 8, 18)) is None
    assert code_category("J1", date(2024, 8, 19)) == "AUTH"
    assert code_category("ZZ", date(2024, 9, 1)) is None


def test_ordinals_are_one_per_code_and_dense() -> None:
    assert sorted(ORDINALS.values()) == list(range(1, CODE_COUNT + 1))
    assert all(c.ordinal == ORDINALS[c.code] for c in CODES)
