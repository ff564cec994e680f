"""Generalisation of pupil fields by the rules in obligations.generalisations ({field: rule}).

Rules: ``keep``; ``remove`` (names, free text, contact details); for dates ``month`` (YYYY-MM), ``year``
(YYYY) and ``age_band`` (age on `as_of` in bands 0-3, 4-5, 6-10, 11-15, 16+); for ethnicity ``major``
(DfE minor code such as WBRI to its major group such as White). Fields named in IDENTIFYING_FIELDS are
removed unless a rule explicitly keeps them; other fields without a rule pass through unchanged.
An unknown rule, or a rule on a value it cannot apply to, raises GeneralisationError (fail closed).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

AGE_BANDS: tuple[tuple[int, int | None, str], ...] = (
    (0, 3, "0-3"),
    (4, 5, "4-5"),
    (6, 10, "6-10"),
    (11, 15, "11-15"),
    (16, None, "16+"),
)
RULES = frozenset({"keep", "remove", "month", "year", "age_band", "major"})
DATE_RULES = frozenset({"month", "year", "age_band"})
# Direct identifiers and free-text or contact fields: they leave only when a rule says "keep".
IDENTIFYING_FIELDS = frozenset(
    {
        "forename",
        "surname",
        "name",
        "preferred_name",
        "address",
        "postcode",
        "email",
        "telephone",
        "phone",
        "contact",
        "contact_name",
        "notes",
        "comment",
        "free_text",
    }
)
# DfE ethnicity minor codes (CBDS) and their major groups.
ETHNICITY_MAJOR: dict[str, str] = {
    **dict.fromkeys(("WBRI", "WIRI", "WIRT", "WOTH", "WROM", "WSCO", "WEUR", "WEEU", "WWEU"), "White"),
    **dict.fromkeys(("MWBC", "MWBA", "MWAS", "MOTH", "MWOE"), "Mixed"),
    **dict.fromkeys(("AIND", "APKN", "ABAN", "AOTH", "ANEP", "ASRL", "AAFR"), "Asian"),
    **dict.fromkeys(
        ("BCRB", "BAFR", "BOTH", "BANN", "BCON", "BGHA", "BNGN", "BSLN", "BSOM", "BSUD"), "Black"
    ),
    "CHNE": "Chinese",
    **dict.fromkeys(("OOTH", "OARA", "OAFG", "OEGY", "OFIL", "OIRN", "OIRQ", "OJPN", "OKOR"), "Other"),
    **dict.fromkeys(("REFU", "NOBT"), "Unclassified"),
}
ETHNICITY_GROUPS = frozenset(ETHNICITY_MAJOR.values())
# Extended codes start with the major group's letter; anything unknown is reported as unclassified.
_MAJOR_BY_PREFIX = {"W": "White", "M": "Mixed", "A": "Asian", "B": "Black", "O": "Other"}


class GeneralisationError(ValueError):
    """A rule is unknown or cannot apply to a field's value (the message names the field, not the value)."""


def check_rules(rules: Mapping[str, str]) -> None:
    for field, rule in rules.items():
        if rule not in RULES:
            raise GeneralisationError(f"unknown generalisation rule {rule!r} for field {field!r}")


def as_date(value: Any, field: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise GeneralisationError(f"field {field!r} is not a date")


def age_on(born: date, as_of: date) -> int:
    return as_of.year - born.year - ((as_of.month, as_of.day) < (born.month, born.day))


def age_band(born: date, as_of: date) -> str:
    age = age_on(born, as_of)
    if age < 0:
        raise GeneralisationError("date of birth is after the reference date")
    for low, high, label in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return label
    raise AssertionError("age bands cover every non-negative age")  # pragma: no cover


def ethnicity_major(value: Any) -> str:
    if not isinstance(value, str):
        raise GeneralisationError("field 'ethnicity' is not a code")
    code = value.strip().upper()
    if value.strip() in ETHNICITY_GROUPS:
        return value.strip()
    if code in ETHNICITY_MAJOR:
        return ETHNICITY_MAJOR[code]
    return _MAJOR_BY_PREFIX.get(code[:1], "Unclassified") if len(code) == 4 else "Unclassified"


def generalise_value(field: str, value: Any, rule: str, as_of: date) -> Any:
    """One field's generalised value (None stays None: a missing value reveals nothing more)."""
    if value is None or rule == "keep":
        return value
    if rule in DATE_RULES:
        born = as_date(value, field)
        if rule == "month":
            return f"{born.year:04d}-{born.month:02d}"
        if rule == "year":
            return f"{born.year:04d}"
        return age_band(born, as_of)
    if rule == "major":
        return ethnicity_major(value)
    raise GeneralisationError(f"rule {rule!r} does not produce a value for field {field!r}")


def generalise_record(record: Mapping[str, Any], rules: Mapping[str, str], as_of: date) -> dict[str, Any]:
    """A copy of `record` with each field generalised by its rule; removed fields are absent."""
    check_rules(rules)
    result: dict[str, Any] = {}
    for field, value in record.items():
        rule = rules.get(field)
        if rule is None:
            if field in IDENTIFYING_FIELDS:
                continue
            result[field] = value
        elif rule != "remove":
            result[field] = generalise_value(field, value, rule, as_of)
    return result


def generalise_records(
    records: Iterable[Mapping[str, Any]], rules: Mapping[str, str], as_of: date
) -> list[dict[str, Any]]:
    return [generalise_record(record, rules, as_of) for record in records]


def generalise_columns(
    columns: Mapping[str, Sequence[Any]], rules: Mapping[str, str], as_of: date
) -> dict[str, list[Any]]:
    """The column-wise variant: {field: values} in, {field: generalised values} out, removed columns dropped."""
    check_rules(rules)
    result: dict[str, list[Any]] = {}
    for field, values in columns.items():
        rule = rules.get(field)
        if rule is None:
            if field not in IDENTIFYING_FIELDS:
                result[field] = list(values)
        elif rule == "keep":
            result[field] = list(values)
        elif rule != "remove":
            result[field] = [generalise_value(field, value, rule, as_of) for value in values]
    return result
