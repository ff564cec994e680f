from typing import Literal

Breakdown = Literal["ethnicity", "fsm", "sen", "sex", "year_group"]

BREAKDOWN_VALUES: set[Breakdown] = {
    "ethnicity",
    "fsm",
    "sen",
    "sex",
    "year_group",
}


def check_breakdown(value: str) -> Breakdown:
    if value in BREAKDOWN_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {BREAKDOWN_VALUES!r}")
