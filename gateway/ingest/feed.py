"""The feed contract: file kinds, their columns, and the stable reject reason codes."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final


class FeedKind(StrEnum):
    SCHOOLS = "schools"
    ROSTER = "roster"
    MARKS = "marks"


COLUMNS: Final[dict[FeedKind, tuple[str, ...]]] = {
    FeedKind.SCHOOLS: ("urn", "name", "la_code", "estab_number", "phase", "school_type"),
    FeedKind.ROSTER: (
        "urn", "upn", "forename", "surname", "date_of_birth", "sex", "ethnicity", "year_group", "fsm",
        "sen_provision", "looked_after", "previously_looked_after", "child_in_need",
        "child_protection_plan", "admission_date", "leaving_date", "recorded_at",
    ),
    FeedKind.MARKS: ("urn", "upn", "date", "session", "code", "recorded_at"),
}  # fmt: skip

# Columns that may be empty (everything else is required).
OPTIONAL: Final[frozenset[str]] = frozenset({"leaving_date"})
# Columns a file may leave out altogether (an older feed); when present they are read and checked.
# A schools file with trust columns says, for each school, which multi-academy trust it is in (both
# empty: none); one without them leaves every school's trust as it was.
EXTRA_COLUMNS: Final[dict[FeedKind, tuple[str, ...]]] = {
    FeedKind.SCHOOLS: ("trust_id", "trust_name"),
    FeedKind.ROSTER: (),
    FeedKind.MARKS: (),
}

# A column only one kind has tells the kind from a header or an NDJSON object's keys.
_MARKERS: Final[tuple[tuple[str, FeedKind], ...]] = (
    ("session", FeedKind.MARKS),
    ("admission_date", FeedKind.ROSTER),
    ("estab_number", FeedKind.SCHOOLS),
)

# Files are ingested in this order within one run, so a roster precedes the marks that refer to it.
KIND_ORDER: Final[dict[FeedKind, int]] = {FeedKind.SCHOOLS: 0, FeedKind.ROSTER: 1, FeedKind.MARKS: 2}


class Reason(StrEnum):
    """Why a row was rejected. Stable: suppliers match on these codes."""

    UNKNOWN_SCHOOL = "unknown_school"
    INVALID_UPN = "invalid_upn"
    UNKNOWN_ENROLMENT = "unknown_enrolment"
    CODE_UNKNOWN = "code_unknown"
    CODE_RETIRED = "code_retired"
    BAD_DATE = "bad_date"
    BAD_SESSION = "bad_session"
    BAD_VALUE = "bad_value"
    DUPLICATE_IN_BATCH = "duplicate_in_batch"
    MISSING_COLUMN = "missing_column"
    MALFORMED_ROW = "malformed_row"
    NOT_YOUR_SCHOOL = "not_your_school"
    NEEDS_DATA_MANAGEMENT = "needs_data_management"


@dataclass(frozen=True, slots=True)
class WriteScope:
    """The schools a sender may write rows for: those in one of `la_codes` or with one of `urns`.

    From the policy decision's obligations (the agreement names them); ingest run by an operator on the
    server (the CLI, the demo) has no scope, written None."""

    la_codes: frozenset[int] = frozenset()
    urns: frozenset[int] = frozenset()

    def covers(self, urn: int, la_code: int) -> bool:
        return la_code in self.la_codes or urn in self.urns


@dataclass(frozen=True, slots=True)
class FeedOrigin:
    """Who produced and sent a batch, as recorded with it for the feed's conformance record: the MIS product
    and version (the `MIS-Product` / `MIS-Version` request headers, docs/feed.md) and the sending
    organisation (from its token). None: not said."""

    mis_product: str | None = None
    mis_version: str | None = None
    sender: str | None = None


def kind_from_columns(columns: list[str] | tuple[str, ...]) -> FeedKind | None:
    """The kind whose marker column is present, or None when the columns fit no kind."""
    present = set(columns)
    for marker, kind in _MARKERS:
        if marker in present:
            return kind
    return None


class FeedError(Exception):
    """A whole file cannot be read as a feed (unknown kind, unreadable encoding, empty)."""


class WrongFormatError(FeedError):
    """The file is a feed, but not in the format it was declared as (CSV sent as NDJSON, or the reverse)."""
