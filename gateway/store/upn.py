"""The one UPN validator: python-stdnum's check, extended with LA codes created after stdnum's 2011 list.

Ingest (schools, rosters), the pupil and audit routes all call `upn_problem`."""

from __future__ import annotations

from stdnum.exceptions import InvalidComponent, ValidationError
from stdnum.gb import upn as stdnum_upn

from gateway.store.reference import local_authority_by_code


def upn_problem(value: str) -> str | None:
    """None if `value` is a valid UPN, else a short reason (length, format, LA number or check letter).

    stdnum knows LA numbers only up to 2011; 838/839 (Dorset, BCP, 2019), 940/941 (Northamptonshire,
    2021) and 942/943 (Cumbria, 2023) issue UPNs too, so an unknown LA that is a current LA is accepted
    when the check letter is right.
    """
    if value != value.strip().upper() or " " in value:
        return "must be 13 upper-case characters with no spaces"
    try:
        stdnum_upn.validate(value)
    except InvalidComponent:
        if int(value[1:4]) not in local_authority_by_code():
            return f"LA number {value[1:4]} is not an English local authority"
        if stdnum_upn.calc_check_digit(value[1:]) != value[0]:
            return "check letter does not match"
    except ValidationError as exc:
        return _REASONS.get(type(exc).__name__, "not a valid UPN")
    return None


_REASONS = {
    "InvalidLength": "must be 13 characters",
    "InvalidFormat": "characters 2-12 must be digits and the last a digit or letter",
    "InvalidChecksum": "check letter does not match",
}


def valid_la_numbers() -> frozenset[int]:
    """LA numbers a UPN may carry: stdnum's 2011 list plus today's LAs."""
    return frozenset(stdnum_upn._la_numbers) | frozenset(local_authority_by_code())
