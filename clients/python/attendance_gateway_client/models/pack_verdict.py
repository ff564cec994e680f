from typing import Literal

PackVerdict = Literal["fail", "not-checked", "pass"]

PACK_VERDICT_VALUES: set[PackVerdict] = {
    "fail",
    "not-checked",
    "pass",
}


def check_pack_verdict(value: str) -> PackVerdict:
    if value in PACK_VERDICT_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {PACK_VERDICT_VALUES!r}")
