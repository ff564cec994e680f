"""Generalisation edge cases, each with its exact result or refusal."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from gateway.privacy.generalise import (
    GeneralisationError,
    as_date,
    ethnicity_major,
    generalise_columns,
    generalise_value,
)

AS_OF = date(2026, 9, 1)


def test_a_datetime_is_taken_as_its_date() -> None:
    assert as_date(datetime(2015, 3, 4, 23, 59), "date_of_birth") == date(2015, 3, 4)


@pytest.mark.parametrize("value", [20150304, "not a date", b"2015-03-04"])
def test_a_value_that_is_not_a_date_is_refused_by_field(value: Any) -> None:
    with pytest.raises(GeneralisationError) as raised:
        as_date(value, "date_of_birth")
    assert str(raised.value) == "field 'date_of_birth' is not a date"


def test_an_ethnicity_that_is_not_text_is_refused() -> None:
    with pytest.raises(GeneralisationError) as raised:
        ethnicity_major(12)
    assert str(raised.value) == "field 'ethnicity' is not a code"


def test_the_remove_rule_produces_no_value() -> None:
    with pytest.raises(GeneralisationError) as raised:
        generalise_value("ethnicity", "WBRI", "remove", AS_OF)
    assert str(raised.value) == "rule 'remove' does not produce a value for field 'ethnicity'"


def test_columns_keep_remove_and_generalise_by_rule() -> None:
    columns = {
        "surname": ["Smith", "Jones"],
        "postcode": ["AB1 2CD", "EF3 4GH"],
        "date_of_birth": ["2015-03-04", "2010-12-31"],
        "ethnicity": ["WBRI", "ABAN"],
        "sessions": [10, 12],
    }
    rules = {"surname": "keep", "postcode": "remove", "date_of_birth": "year", "ethnicity": "remove"}
    assert generalise_columns(columns, rules, AS_OF) == {
        "surname": ["Smith", "Jones"],
        "date_of_birth": ["2015", "2010"],
        "sessions": [10, 12],
    }
