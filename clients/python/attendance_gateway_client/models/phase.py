from typing import Literal

Phase = Literal["primary", "secondary", "special"]

PHASE_VALUES: set[Phase] = {
    "primary",
    "secondary",
    "special",
}


def check_phase(value: str) -> Phase:
    if value in PHASE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {PHASE_VALUES!r}")
