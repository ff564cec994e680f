from typing import Literal

DecisionOutcome = Literal["allowed", "denied", "failed", "unauthenticated"]

DECISION_OUTCOME_VALUES: set[DecisionOutcome] = {
    "allowed",
    "denied",
    "failed",
    "unauthenticated",
}


def check_decision_outcome(value: str) -> DecisionOutcome:
    if value in DECISION_OUTCOME_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {DECISION_OUTCOME_VALUES!r}")
