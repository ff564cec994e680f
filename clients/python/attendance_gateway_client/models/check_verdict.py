from typing import Literal

CheckVerdict = Literal["fail", "pass"]

CHECK_VERDICT_VALUES: set[CheckVerdict] = {
    "fail",
    "pass",
}


def check_check_verdict(value: str) -> CheckVerdict:
    if value in CHECK_VERDICT_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CHECK_VERDICT_VALUES!r}")
