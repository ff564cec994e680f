"""Write generated data in the aggregator feed format: schools.csv, roster.csv.gz, daily marks files."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Final

import numpy as np
from numpy.typing import NDArray

from gateway.synth.pupils import Roster
from gateway.synth.registers import CODES, DayRegister
from gateway.synth.schools import School

SCHOOL_FIELDS: Final = (
    "urn",
    "name",
    "la_code",
    "estab_number",
    "phase",
    "school_type",
    "trust_id",
    "trust_name",
)
ROSTER_FIELDS: Final = (
    "urn", "upn", "forename", "surname", "date_of_birth", "sex", "ethnicity", "year_group", "fsm",
    "sen_provision", "looked_after", "previously_looked_after", "child_in_need", "child_protection_plan",
    "admission_date", "leaving_date", "recorded_at",
)  # fmt: skip
MARK_FIELDS: Final = ("urn", "upn", "date", "session", "code", "recorded_at")
SEN_CODES: Final = ("N", "K", "E")
# Fast compression: the demo writes about 9 million marks; level 3 keeps files small enough.
COMPRESS_LEVEL: Final = 3
# Corrections reach the aggregator a few days after the first return.
CORRECTION_DELAY: Final = timedelta(days=3)


def _timestamp(day: date, at: time) -> str:
    return datetime.combine(day, at, tzinfo=UTC).isoformat()


def write_schools(path: Path, schools: list[School]) -> str:
    """schools.csv (uncompressed: it is small and people read it); returns its SHA-256."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(SCHOOL_FIELDS)
    for s in schools:
        trust = ("", "") if s.trust_id is None else (s.trust_id, s.trust_name)
        writer.writerow((s.urn, s.name, s.la_code, s.estab_number, s.phase, s.school_type, *trust))
    content = text.getvalue().encode("utf-8")
    path.write_bytes(content)
    return hashlib.sha256(content).hexdigest()


def _flag(values: NDArray[np.bool_]) -> list[str]:
    return ["true" if v else "false" for v in values.tolist()]


def write_roster(path: Path, roster: Roster, schools: list[School], first_day: date) -> str:
    """One row per enrolment; joiners are recorded on their admission date, everyone else on day one.
    Returns the SHA-256 of the uncompressed content."""
    urns = np.array([s.urn for s in schools])[roster.school].tolist()
    dob = np.datetime_as_string(roster.date_of_birth, unit="D").tolist()
    admitted = np.datetime_as_string(roster.admission_date, unit="D").tolist()
    leaving = ["" if s == "NaT" else s for s in np.datetime_as_string(roster.leaving_date, unit="D").tolist()]
    start = roster.first_day > 0
    recorded = [
        _timestamp(date.fromisoformat(a) if late else first_day, time(7, 0))
        for a, late in zip(admitted, start.tolist(), strict=True)
    ]
    columns = (
        urns, roster.upn, roster.forename, roster.surname, dob, roster.sex.tolist(), roster.ethnicity.tolist(),
        roster.year_group.tolist(), _flag(roster.fsm), [SEN_CODES[s] for s in roster.sen.tolist()],
        _flag(roster.looked_after), _flag(roster.previously_looked_after), _flag(roster.child_in_need),
        _flag(roster.child_protection_plan), admitted, leaving, recorded,
    )  # fmt: skip
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(ROSTER_FIELDS)
    writer.writerows(zip(*columns, strict=True))
    return write_text_gz(path, text.getvalue())


class MarksWriter:
    """Renders registers as CSV text quickly: per-enrolment prefixes joined to per-school suffix tables."""

    def __init__(self, roster: Roster, schools: list[School]) -> None:
        urns = np.array([s.urn for s in schools])[roster.school]
        self.prefix = np.array(
            [f"{u},{p}," for u, p in zip(urns.tolist(), roster.upn, strict=True)], dtype=object
        )
        self.school = roster.school
        self.urns = [s.urn for s in schools]

    def _suffixes(self, day: date, recorded: list[str]) -> NDArray[np.object_]:
        """suffix[school, session, code] = "date,AM,code,recorded_at\\n"."""
        day_text = day.isoformat()
        rows = [
            f"{day_text},{session},{code},{stamp}\n"
            for stamp in recorded
            for session in ("AM", "PM")
            for code in CODES
        ]
        return np.array(rows, dtype=object).reshape(len(recorded), 2, len(CODES))

    def _recorded(self, day: date, base: time) -> list[str]:
        # Each school's MIS returns at its own time; derived from the URN so no randomness is consumed.
        stamps = []
        for urn in self.urns:
            minutes = base.hour * 60 + base.minute + (urn * 37 + day.toordinal() * 11) % 120
            stamps.append(_timestamp(day, time(minutes // 60, minutes % 60)))
        return stamps

    def render(self, register: DayRegister) -> str:
        """The day's first return: AM then PM for each enrolment on roll."""
        table = self._suffixes(register.day, self._recorded(register.day, time(15, 0)))
        rows = register.enrolments
        school = self.school[rows]
        am = table[school, 0, register.am]
        pm = table[school, 1, register.pm]
        suffix = np.stack([am, pm], axis=1).ravel()
        return MARKS_HEADER + "".join((np.repeat(self.prefix[rows], 2) + suffix).tolist())

    def render_corrections(self, register: DayRegister) -> str:
        later = register.day + CORRECTION_DELAY
        table = self._suffixes(register.day, self._recorded(later, time(9, 0)))
        rows = register.corrected_enrolments
        suffix = table[self.school[rows], register.corrected_sessions, register.corrected_codes]
        return MARKS_HEADER + "".join((self.prefix[rows] + suffix).tolist())


def write_text_gz(path: Path, content: str) -> str:
    """Write `content` gzipped; return the SHA-256 of the uncompressed bytes (what ingest records)."""
    data = content.encode("utf-8")
    with (
        path.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=COMPRESS_LEVEL, mtime=0) as out,
    ):
        out.write(data)
    return hashlib.sha256(data).hexdigest()


MARKS_HEADER: Final = ",".join(MARK_FIELDS) + "\n"
