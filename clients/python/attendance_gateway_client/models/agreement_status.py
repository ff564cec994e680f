from typing import Literal

AgreementStatus = Literal["Ended", "In force", "Not yet in force"]

AGREEMENT_STATUS_VALUES: set[AgreementStatus] = {
    "Ended",
    "In force",
    "Not yet in force",
}


def check_agreement_status(value: str) -> AgreementStatus:
    if value in AGREEMENT_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {AGREEMENT_STATUS_VALUES!r}")
