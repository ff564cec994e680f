from typing import Literal

MeasureStatus = Literal["c", "low", "x", "z"]

MEASURE_STATUS_VALUES: set[MeasureStatus] = {
    "c",
    "low",
    "x",
    "z",
}


def check_measure_status(value: str) -> MeasureStatus:
    if value in MEASURE_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {MEASURE_STATUS_VALUES!r}")
