"""The attendance code table, versioned by date: the 2024 codes, the pre-2024 set and the retired codes."""

from __future__ import annotations

from datetime import date
from typing import Final, Literal, NamedTuple

Category = Literal["P", "AEA", "AUTH", "UNAUTH", "NC"]

CATEGORIES: Final[tuple[Category, ...]] = ("P", "AEA", "AUTH", "UNAUTH", "NC")

# The School Attendance (Pupil Registration) (England) Regulations 2024 took effect on this day.
CODES_2024_FROM: Final = date(2024, 8, 19)
# The pre-2024 code set goes back to the 2006 regulations; nothing older is ever ingested.
LEGACY_FROM: Final = date(2006, 9, 1)


class AttendanceCode(NamedTuple):
    """One version of a code: valid on d when valid_from <= d < valid_to (valid_to None = still valid)."""

    code: str
    valid_from: date
    valid_to: date | None
    category: Category
    ordinal: int  # 1-based position in the rollups' code_counts arrays; the same for every version
    meaning: str


# Ordinals are assigned once, by code, and must never be renumbered: rollup arrays are indexed by them.
# New codes are only ever appended.
_ORDER: Final[tuple[str, ...]] = (
    "/", "\\", "L",
    "K", "V", "P", "W", "B",
    "C1", "M", "J1", "S", "C2", "C", "T", "R", "I", "E",
    "G", "N", "O", "U",
    "D", "X", "Q", "Y1", "Y2", "Y3", "Y4", "Y5", "Y6", "Y7", "Z", "#",
    "H", "J", "Y",
)  # fmt: skip

ORDINALS: Final[dict[str, int]] = {code: i for i, code in enumerate(_ORDER, start=1)}
CODE_COUNT: Final = len(_ORDER)

_CODES_2024: Final[tuple[tuple[str, Category, str], ...]] = (
    ("/", "P", "present at morning registration"),
    ("\\", "P", "present at afternoon registration"),
    ("L", "P", "late, arrived before the register closed"),
    ("K", "AEA", "attending education provision arranged by the local authority"),
    ("V", "AEA", "attending an educational visit or trip"),
    ("P", "AEA", "participating in an approved sporting activity"),
    ("W", "AEA", "attending work experience"),
    ("B", "AEA", "attending any other approved educational activity"),
    ("C1", "AUTH", "leave of absence: regulated performance or employment abroad"),
    ("M", "AUTH", "leave of absence: medical or dental appointment"),
    ("J1", "AUTH", "leave of absence: interview"),
    ("S", "AUTH", "leave of absence: study leave"),
    ("C2", "AUTH", "leave of absence: temporary reduced (part-time) timetable"),
    ("C", "AUTH", "leave of absence: exceptional circumstances"),
    ("T", "AUTH", "parent travelling for occupational purposes"),
    ("R", "AUTH", "religious observance"),
    ("I", "AUTH", "illness (not medical or dental appointment)"),
    ("E", "AUTH", "suspended or permanently excluded, no alternative provision made"),
    ("G", "UNAUTH", "holiday not granted by the school"),
    ("N", "UNAUTH", "reason for absence not yet established"),
    ("O", "UNAUTH", "absent in other or unknown circumstances"),
    ("U", "UNAUTH", "arrived in school after the register closed"),
    ("D", "NC", "dual registered, attending the other school"),
    ("X", "NC", "non-compulsory school age pupil not required to attend"),
    ("Q", "NC", "unable to attend: lack of access arrangements"),
    ("Y1", "NC", "unable to attend: transport not available"),
    ("Y2", "NC", "unable to attend: widespread travel disruption"),
    ("Y3", "NC", "unable to attend: part of the school premises closed"),
    ("Y4", "NC", "unable to attend: whole school site unexpectedly closed"),
    ("Y5", "NC", "unable to attend: in criminal justice detention"),
    ("Y6", "NC", "unable to attend: public health guidance or law"),
    ("Y7", "NC", "unable to attend: any other unavoidable cause"),
    ("Z", "NC", "prospective pupil not yet on roll"),
    ("#", "NC", "planned whole-school closure"),
)

# The code set in use before 19 August 2024 (2006 regulations as amended). Same letters may carry
# different meanings (J was an approved activity, X covered COVID-19 non-attendance in 2020-22).
_CODES_LEGACY: Final[tuple[tuple[str, Category, str], ...]] = (
    ("/", "P", "present at morning registration"),
    ("\\", "P", "present at afternoon registration"),
    ("L", "P", "late, before registers closed"),
    ("B", "AEA", "educated off site (not dual registration)"),
    ("J", "AEA", "at interview with prospective employers or another educational establishment"),
    ("P", "AEA", "participating in a supervised sporting activity"),
    ("V", "AEA", "educational visit or trip"),
    ("W", "AEA", "work experience"),
    ("C", "AUTH", "other authorised circumstances"),
    ("E", "AUTH", "excluded, no alternative provision made"),
    ("H", "AUTH", "holiday authorised by the school"),
    ("I", "AUTH", "illness (not medical or dental appointment)"),
    ("M", "AUTH", "medical or dental appointment"),
    ("R", "AUTH", "religious observance"),
    ("S", "AUTH", "study leave"),
    ("T", "AUTH", "Traveller absence"),
    ("G", "UNAUTH", "holiday not authorised by the school"),
    ("N", "UNAUTH", "no reason yet provided for absence"),
    ("O", "UNAUTH", "unauthorised absence not covered by any other code"),
    ("U", "UNAUTH", "arrived after registers closed"),
    ("D", "NC", "dual registered, at another establishment"),
    ("X", "NC", "non-compulsory school age absence; in 2020-22 also non-attendance related to COVID-19"),
    ("Y", "NC", "unable to attend due to exceptional circumstances"),
    ("Z", "NC", "pupil not on admission register"),
    ("#", "NC", "planned whole-school closure"),
)


def _build() -> tuple[AttendanceCode, ...]:
    legacy = tuple(
        AttendanceCode(code, LEGACY_FROM, CODES_2024_FROM, category, ORDINALS[code], meaning)
        for code, category, meaning in _CODES_LEGACY
    )
    current = tuple(
        AttendanceCode(code, CODES_2024_FROM, None, category, ORDINALS[code], meaning)
        for code, category, meaning in _CODES_2024
    )
    return legacy + current


CODES: Final[tuple[AttendanceCode, ...]] = _build()

# Codes retired on 19 August 2024: valid before, rejected as `code_retired` on or after.
RETIRED_2024: Final[frozenset[str]] = frozenset(
    c for c, _, _ in _CODES_LEGACY if c not in {k for k, _, _ in _CODES_2024}
)

# Category of each code in the 2024 table (the table in force now).
CATEGORY_2024: Final[dict[str, Category]] = {code: category for code, category, _ in _CODES_2024}

_BY_CODE: Final[dict[str, tuple[AttendanceCode, ...]]] = {
    code: tuple(v for v in CODES if v.code == code) for code in _ORDER
}


def code_version(code: str, on: date) -> AttendanceCode | None:
    """The version of `code` in force on `on`, or None if the code is unknown or not valid that day."""
    for version in _BY_CODE.get(code, ()):
        if version.valid_from <= on and (version.valid_to is None or on < version.valid_to):
            return version
    return None


def code_category(code: str, on: date) -> Category | None:
    """P, AEA, AUTH, UNAUTH or NC for `code` on `on`; None if unknown or not valid on that date."""
    version = code_version(code, on)
    return None if version is None else version.category


def is_known_code(code: str) -> bool:
    """True if `code` appears in any version of the table (so a miss on a date means retired/not yet)."""
    return code in _BY_CODE


def codes_valid_on(on: date) -> dict[str, Category]:
    """Every code valid on `on` with its category (e.g. for generating synthetic registers)."""
    return {v.code: v.category for v in CODES if code_version(v.code, on) == v}


def _category_by_ordinal() -> dict[int, Category]:
    # Rollups keep one count per ordinal and derive category totals from them, which is only sound if a
    # code never changes category between versions of the table.
    found: dict[int, Category] = {}
    for version in CODES:
        if found.setdefault(version.ordinal, version.category) != version.category:
            raise AssertionError(f"code {version.code} changes category between versions")
    return found


CATEGORY_BY_ORDINAL: Final[dict[int, Category]] = _category_by_ordinal()


def ordinals_in(*categories: Category) -> tuple[int, ...]:
    """The ordinals of every code (any version) whose category is one of `categories`."""
    return tuple(sorted(o for o, c in CATEGORY_BY_ORDINAL.items() if c in categories))
