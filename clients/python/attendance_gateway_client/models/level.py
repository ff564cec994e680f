from typing import Literal

Level = Literal["la", "national", "region", "school", "trust"]

LEVEL_VALUES: set[Level] = {
    "la",
    "national",
    "region",
    "school",
    "trust",
}


def check_level(value: str) -> Level:
    if value in LEVEL_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LEVEL_VALUES!r}")
