"""Row checks in Python: every rule of the feed contract for one row, as pure functions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Final

from gateway.ingest.feed import Reason
from gateway.ingest.records import Problem
from gateway.store.codes import code_version, is_known_code
from gateway.store.ethnicity import ETHNICITY_MAJOR
from gateway.store.reference import local_authority_by_code
from gateway.store.upn import upn_problem

# The same patterns are used by the SQL validation of marks (gateway/ingest/marks.py).
URN_RE: Final = r"^[1-9][0-9]{5}$"
DATE_RE: Final = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
TIMESTAMP_RE: Final = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?(Z|[+-][0-9]{2}(:?[0-9]{2})?)$"
)
_URN = re.compile(URN_RE)
_DATE = re.compile(DATE_RE)
_TIMESTAMP = re.compile(TIMESTAMP_RE)
_BOOLEANS: Final = {"true": True, "false": False}
SESSIONS: Final = {"AM": 0, "PM": 1}
# A mark may be recorded ahead of its day (a planned closure), but not by more than this: a far-future
# date is a typo, and would otherwise make ingest create partitions for years that never come.
MAX_DAYS_AHEAD: Final = 366
PHASES: Final = frozenset({"primary", "secondary", "special"})


class RowError(Exception):
    def __init__(self, reason: Reason, text: str) -> None:
        super().__init__(text)
        self.problem = Problem(reason, text)


def parse_urn(value: str, column: str = "urn") -> int:
    if not _URN.match(value):
        raise RowError(Reason.BAD_VALUE, f"{column} {value!r} is not a 6-digit URN")
    return int(value)


def parse_date(value: str, column: str) -> date:
    if _DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise RowError(Reason.BAD_DATE, f"{column} {value!r} is not a date (YYYY-MM-DD)")


def parse_timestamp(value: str, column: str = "recorded_at") -> datetime:
    if _TIMESTAMP.match(value):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            pass
    raise RowError(Reason.BAD_DATE, f"{column} {value!r} is not an ISO 8601 time with a UTC offset")


def parse_bool(value: str, column: str) -> bool:
    if value not in _BOOLEANS:
        raise RowError(Reason.BAD_VALUE, f"{column} {value!r} must be true or false")
    return _BOOLEANS[value]


def parse_int(value: str, column: str, low: int, high: int) -> int:
    if not value.isascii() or not value.isdigit() or not low <= int(value) <= high:
        raise RowError(Reason.BAD_VALUE, f"{column} {value!r} must be a whole number from {low} to {high}")
    return int(value)


def parse_text(value: str, column: str) -> str:
    if not value.strip():
        raise RowError(Reason.BAD_VALUE, f"{column} is empty")
    return value


def parse_upn(value: str) -> str:
    problem = upn_problem(value)
    if problem is not None:
        raise RowError(Reason.INVALID_UPN, f"upn is not a valid UPN: {problem}")
    return value


def parse_session(value: str) -> int:
    if value not in SESSIONS:
        raise RowError(Reason.BAD_SESSION, f"session {value!r} must be AM or PM")
    return SESSIONS[value]


def check_code(code: str, on: date) -> None:
    if code_version(code, on) is not None:
        return
    if is_known_code(code):
        raise RowError(Reason.CODE_RETIRED, f"code {code!r} is not valid on {on.isoformat()}")
    raise RowError(Reason.CODE_UNKNOWN, f"code {code!r} is not an attendance code")


@dataclass(frozen=True, slots=True)
class SchoolRow:
    urn: int
    name: str
    la_code: int
    estab_number: int
    phase: str
    school_type: str
    trust_given: bool = False  # the file has trust columns (else the stored trust is kept)
    trust_id: int | None = None
    trust_name: str | None = None


@dataclass(frozen=True, slots=True)
class RosterRow:
    urn: int
    upn: str
    forename: str
    surname: str
    date_of_birth: date
    sex: str
    ethnicity: str
    ethnicity_major: str
    year_group: int
    fsm: bool
    sen_provision: str
    looked_after: bool
    previously_looked_after: bool
    child_in_need: bool
    child_protection_plan: bool
    admission_date: date
    leaving_date: date | None
    recorded_at: datetime


@dataclass(frozen=True, slots=True)
class MarkRow:
    urn: int
    upn: str
    date: date
    session: int
    code: str
    recorded_at: datetime


def parse_school(f: dict[str, str]) -> SchoolRow:
    urn = parse_urn(f["urn"])
    name = parse_text(f["name"], "name")
    la_code = parse_int(f["la_code"], "la_code", 200, 999)
    if la_code not in local_authority_by_code():
        raise RowError(Reason.BAD_VALUE, f"la_code {la_code} is not an English local authority")
    estab = parse_int(f["estab_number"], "estab_number", 1000, 9999)
    if f["phase"] not in PHASES:
        raise RowError(Reason.BAD_VALUE, f"phase {f['phase']!r} must be primary, secondary or special")
    school_type = parse_text(f["school_type"], "school_type")
    trust_given = "trust_id" in f or "trust_name" in f
    trust_id, trust_name = _trust(f.get("trust_id", ""), f.get("trust_name", ""))
    return SchoolRow(urn, name, la_code, estab, f["phase"], school_type, trust_given, trust_id, trust_name)


def _trust(trust_id: str, trust_name: str) -> tuple[int | None, str | None]:
    """Both empty (not in a trust) or a GIAS group UID with the trust's name."""
    if not trust_id and not trust_name:
        return None, None
    number = parse_int(trust_id, "trust_id", 1, 99_999_999)
    return number, parse_text(trust_name, "trust_name")


def parse_roster(f: dict[str, str]) -> RosterRow:
    urn = parse_urn(f["urn"])
    upn = parse_upn(f["upn"])
    forename = parse_text(f["forename"], "forename")
    surname = parse_text(f["surname"], "surname")
    dob = parse_date(f["date_of_birth"], "date_of_birth")
    if f["sex"] not in ("F", "M"):
        raise RowError(Reason.BAD_VALUE, f"sex {f['sex']!r} must be F or M")
    major = ETHNICITY_MAJOR.get(f["ethnicity"])
    if major is None:
        raise RowError(Reason.BAD_VALUE, f"ethnicity {f['ethnicity']!r} is not a DfE ethnicity code")
    year_group = parse_int(f["year_group"], "year_group", 0, 14)
    fsm = parse_bool(f["fsm"], "fsm")
    if f["sen_provision"] not in ("N", "K", "E"):
        raise RowError(Reason.BAD_VALUE, f"sen_provision {f['sen_provision']!r} must be N, K or E")
    looked_after = parse_bool(f["looked_after"], "looked_after")
    previously = parse_bool(f["previously_looked_after"], "previously_looked_after")
    child_in_need = parse_bool(f["child_in_need"], "child_in_need")
    protection = parse_bool(f["child_protection_plan"], "child_protection_plan")
    admission = parse_date(f["admission_date"], "admission_date")
    leaving = parse_date(f["leaving_date"], "leaving_date") if f["leaving_date"] else None
    if leaving is not None and leaving < admission:
        raise RowError(Reason.BAD_DATE, "leaving_date is before admission_date")
    recorded_at = parse_timestamp(f["recorded_at"])
    return RosterRow(
        urn, upn, forename, surname, dob, f["sex"], f["ethnicity"], major, year_group, fsm,
        f["sen_provision"], looked_after, previously, child_in_need, protection, admission, leaving, recorded_at,
    )  # fmt: skip


def parse_mark(f: dict[str, str]) -> MarkRow:
    """Checks in the same order as the SQL validation, so both report the same first problem."""
    urn = parse_urn(f["urn"])
    upn = parse_upn(f["upn"])
    on = parse_date(f["date"], "date")
    session = parse_session(f["session"])
    check_code(f["code"], on)
    recorded_at = parse_timestamp(f["recorded_at"])
    if (on - recorded_at.astimezone(UTC).date()).days > MAX_DAYS_AHEAD:
        raise RowError(Reason.BAD_DATE, f"date {on} is more than {MAX_DAYS_AHEAD} days after recorded_at")
    return MarkRow(urn, upn, on, session, f["code"], recorded_at)
