from typing import Literal

ExtractFormat = Literal["csv", "ndjson"]

EXTRACT_FORMAT_VALUES: set[ExtractFormat] = {
    "csv",
    "ndjson",
}


def check_extract_format(value: str) -> ExtractFormat:
    if value in EXTRACT_FORMAT_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {EXTRACT_FORMAT_VALUES!r}")
