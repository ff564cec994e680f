from typing import Literal

Criterion = Literal["all", "persistent", "rate", "severe", "unauthorised_10_in_10"]

CRITERION_VALUES: set[Criterion] = {
    "all",
    "persistent",
    "rate",
    "severe",
    "unauthorised_10_in_10",
}


def check_criterion(value: str) -> Criterion:
    if value in CRITERION_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CRITERION_VALUES!r}")
