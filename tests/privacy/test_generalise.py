"""Generalisation driven by obligations: dates coarsened, names removed, ethnicity to its major group."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from gateway.privacy.generalise import (
    GeneralisationError,
    age_band,
    generalise_columns,
    generalise_record,
    generalise_records,
)

AS_OF = date(2025, 3, 14)
PUPIL = {
    "pupil": "p1.dwp.abc",
    "forename": "Ada",
    "surname": "Lovelace",
    "date_of_birth": date(2015, 9, 1),
    "ethnicity": "WBRI",
    "sex": "F",
    "notes": "lives with gran",
}


def test_dob_to_month_removes_names_and_groups_ethnicity() -> None:
    rules = {"date_of_birth": "month", "forename": "remove", "surname": "remove", "ethnicity": "major"}
    assert generalise_record(PUPIL, rules, AS_OF) == {
        "pupil": "p1.dwp.abc",
        "date_of_birth": "2015-09",
        "ethnicity": "White",
        "sex": "F",
    }


def test_dob_to_year_accepts_iso_text() -> None:
    assert generalise_record({"date_of_birth": "2012-02-29"}, {"date_of_birth": "year"}, AS_OF) == {
        "date_of_birth": "2012"
    }


def test_identifying_fields_leave_only_when_a_rule_keeps_them() -> None:
    assert generalise_record(PUPIL, {}, AS_OF) == {
        "pupil": "p1.dwp.abc",
        "date_of_birth": date(2015, 9, 1),
        "ethnicity": "WBRI",
        "sex": "F",
    }
    kept = generalise_record(PUPIL, {"forename": "keep", "surname": "keep"}, AS_OF)
    assert (kept["forename"], kept["surname"]) == ("Ada", "Lovelace")


@pytest.mark.parametrize(
    ("born", "band"),
    [
        (date(2021, 3, 15), "0-3"),  # turns 4 tomorrow
        (date(2021, 3, 14), "4-5"),
        (date(2019, 3, 15), "4-5"),
        (date(2019, 3, 14), "6-10"),
        (date(2014, 3, 15), "6-10"),
        (date(2014, 3, 14), "11-15"),
        (date(2009, 3, 15), "11-15"),
        (date(2009, 3, 14), "16+"),
    ],
)
def test_age_bands_change_on_the_birthday(born: date, band: str) -> None:
    assert age_band(born, AS_OF) == band


def test_leap_day_birthdays_age_on_the_first_of_march() -> None:
    assert age_band(date(2020, 2, 29), date(2024, 2, 28)) == "0-3"
    assert age_band(date(2020, 2, 29), date(2024, 2, 29)) == "4-5"


@pytest.mark.parametrize(
    ("code", "major"),
    [
        ("WBRI", "White"),
        ("MWBC", "Mixed"),
        ("APKN", "Asian"),
        ("BAFR", "Black"),
        ("CHNE", "Chinese"),
        ("OOTH", "Other"),
        ("REFU", "Unclassified"),
        ("NOBT", "Unclassified"),
        ("ZZZZ", "Unclassified"),
        ("Black", "Black"),
        ("wbri", "White"),
    ],
)
def test_ethnicity_major_groups(code: str, major: str) -> None:
    assert generalise_record({"ethnicity": code}, {"ethnicity": "major"}, AS_OF) == {"ethnicity": major}


def test_unknown_rule_fails_closed() -> None:
    with pytest.raises(GeneralisationError, match="unknown generalisation rule 'blur' for field 'surname'"):
        generalise_record(PUPIL, {"surname": "blur"}, AS_OF)


def test_date_rule_on_a_non_date_names_the_field_not_the_value() -> None:
    with pytest.raises(GeneralisationError, match="field 'sex' is not a date") as raised:
        generalise_record(PUPIL, {"sex": "month"}, AS_OF)
    assert "'F'" not in str(raised.value)


def test_birth_after_reference_date_is_refused() -> None:
    with pytest.raises(GeneralisationError, match="after the reference date"):
        age_band(date(2026, 1, 1), AS_OF)


def test_missing_values_stay_missing() -> None:
    assert generalise_record({"date_of_birth": None}, {"date_of_birth": "age_band"}, AS_OF) == {
        "date_of_birth": None
    }


def test_columns_variant_drops_removed_columns_and_maps_the_rest() -> None:
    columns = {
        "forename": ["Ada", "Alan"],
        "date_of_birth": [date(2015, 9, 1), date(2010, 6, 23)],
        "ethnicity": ["WBRI", "AIND"],
        "notes": ["x", "y"],
        "year_group": [4, 9],
    }
    rules = {"date_of_birth": "age_band", "ethnicity": "major"}
    assert generalise_columns(columns, rules, AS_OF) == {
        "date_of_birth": ["6-10", "11-15"],
        "ethnicity": ["White", "Asian"],
        "year_group": [4, 9],
    }


@given(
    born=st.dates(min_value=date(1990, 1, 1), max_value=AS_OF),
    rule=st.sampled_from(["month", "year", "age_band"]),
)
def test_columns_and_records_agree(born: date, rule: str) -> None:
    event(f"date of birth to {rule}")
    record = {"date_of_birth": born, "ethnicity": "BCRB", "surname": "X"}
    rules = {"date_of_birth": rule, "ethnicity": "major"}
    by_column = generalise_columns({k: [v] for k, v in record.items()}, rules, AS_OF)
    assert generalise_records([record], rules, AS_OF) == [{k: v[0] for k, v in by_column.items()}]
