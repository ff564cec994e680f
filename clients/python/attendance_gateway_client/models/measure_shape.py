from typing import Literal

MeasureShape = Literal["numeric", "symbols"]

MEASURE_SHAPE_VALUES: set[MeasureShape] = {
    "numeric",
    "symbols",
}


def check_measure_shape(value: str) -> MeasureShape:
    if value in MEASURE_SHAPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {MEASURE_SHAPE_VALUES!r}")
