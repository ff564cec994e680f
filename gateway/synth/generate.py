"""Generate a synthetic dataset end to end and describe it in manifest.json."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Final

import numpy as np

from gateway.store.reference import LocalAuthority, local_authority_by_code
from gateway.synth.calendar import academic_year, school_days
from gateway.synth.events import plan_events
from gateway.synth.feed import MarksWriter, write_roster, write_schools, write_text_gz
from gateway.synth.pupils import Roster, generate_roster
from gateway.synth.registers import CATEGORY, CODES, NC, Tallies, new_tallies, simulate
from gateway.synth.schools import DEFAULT_LAS, PHASES, School, generate_schools
from gateway.synth.trusts import assign_trusts, is_academy

# Bump when the output for a given seed changes, so caches keyed by parameters are invalidated.
GENERATOR_VERSION: Final = "5"


@dataclass(frozen=True)
class SynthParams:
    """Everything the output depends on: the same parameters always produce the same bytes."""

    schools: int
    start: date
    end: date
    seed: int
    las: tuple[int, ...] = DEFAULT_LAS
    strike_day: date | None = None

    def key(self) -> str:
        """A short name for caches: the parameters and the generator version."""
        las = "-".join(str(la) for la in self.las)
        strike = self.strike_day.isoformat() if self.strike_day else "auto"
        return f"v{GENERATOR_VERSION}-s{self.schools}-{self.start}-{self.end}-seed{self.seed}-la{las}-strike{strike}"


@dataclass
class Manifest:
    """What was generated: read by tests and the demo instead of re-deriving it from the files."""

    generator_version: str
    parameters: dict[str, Any]
    counts: dict[str, int]
    local_authorities: list[dict[str, Any]]
    school_days: list[str]
    files: list[dict[str, Any]]
    events: list[dict[str, Any]]
    figures: dict[str, Any] = field(default_factory=dict)
    trusts: list[dict[str, Any]] = field(default_factory=list)

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), indent=2) + "\n", encoding="utf-8")

    @classmethod
    def read(cls, path: Path) -> Manifest:
        return cls(**json.loads(path.read_text(encoding="utf-8")))


def resolve_las(codes: tuple[int, ...]) -> list[LocalAuthority]:
    known = local_authority_by_code()
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise ValueError(f"unknown LA codes: {', '.join(map(str, unknown))}")
    if not codes:
        raise ValueError("at least one LA code is needed")
    return [known[c] for c in codes]


def _rate(numerator: float, denominator: float) -> float:
    return round(100.0 * numerator / denominator, 2) if denominator else 0.0


def figures(tallies: Tallies, roster: Roster) -> dict[str, Any]:
    """Absence, persistent and severe absence (per enrolment), overall, by phase, FSM and SEN provision,
    from the final (corrected) codes."""
    out: dict[str, Any] = {}
    phase = roster.phase
    groups = (
        {"all": np.ones(len(phase), dtype=np.bool_)}
        | {name: phase == k for k, name in enumerate(PHASES)}
        | {"fsm": roster.fsm, "not_fsm": ~roster.fsm}
        | {f"sen_{code}": roster.sen == k for k, code in enumerate(("none", "support", "ehc_plan"))}
    )
    for name, mask in groups.items():
        counted = mask & (tallies.possible > 0)
        possible = int(tallies.possible[counted].sum())
        share = tallies.absent[counted] / np.maximum(tallies.possible[counted], 1)
        out[name] = {
            "enrolments": int(counted.sum()),
            "possible_sessions": possible,
            "overall_absence_pct": _rate(int(tallies.absent[counted].sum()), possible),
            "authorised_pct": _rate(int(tallies.authorised[counted].sum()), possible),
            "unauthorised_pct": _rate(int(tallies.unauthorised[counted].sum()), possible),
            "persistent_absence_pct": _rate(int((share >= 0.1).sum()), int(counted.sum())),
            "severe_absence_pct": _rate(int((share >= 0.5).sum()), int(counted.sum())),
        }
    counted_codes = CATEGORY != NC
    mix: dict[str, dict[str, float]] = {}
    for k, name in enumerate(PHASES):
        possible = int(tallies.code_counts[k][counted_codes].sum())
        mix[name] = {code: _rate(int(tallies.code_counts[k][j]), possible) for j, code in enumerate(CODES)}
    out["code_mix_pct_of_possible"] = mix
    out["first_return_absence_pct"] = _rate(tallies.first_return_absent, tallies.first_return_possible)
    if tallies.strike_on_roll.sum():
        out["strike_attended_pct"] = {
            "all": _rate(int(tallies.strike_attended.sum()), int(tallies.strike_on_roll.sum())),
            **{name: _rate(int(tallies.strike_attended[k]), int(tallies.strike_on_roll[k]))
               for k, name in enumerate(PHASES)},
        }  # fmt: skip
    return out


def _trusts(schools: list[School]) -> list[dict[str, Any]]:
    """Each trust with its schools, for tests and the demo's trust persona."""
    found: dict[int, dict[str, Any]] = {}
    for s in schools:
        if s.trust_id is not None:
            entry = found.setdefault(s.trust_id, {"trust_id": s.trust_id, "name": s.trust_name, "urns": []})
            entry["urns"].append(s.urn)
    return sorted(found.values(), key=lambda t: int(t["trust_id"]))


def generate(params: SynthParams, out: Path) -> Manifest:
    """Write schools.csv, roster.csv.gz, marks-DATE.csv.gz (+ -corrections) and manifest.json into `out`."""
    if academic_year(params.start) != academic_year(params.end):
        raise ValueError("the period must lie within one academic year (year groups change in September)")
    days = school_days(params.start, params.end)
    if not days:
        raise ValueError(f"no school days between {params.start} and {params.end}")
    las = resolve_las(params.las)
    # A fifth stream for trusts: the first four are those of earlier generator versions.
    seeds = np.random.SeedSequence(params.seed).spawn(5)
    rng_schools, rng_pupils, rng_events, rng_registers, rng_trusts = (np.random.default_rng(s) for s in seeds)
    schools = assign_trusts(rng_trusts, generate_schools(rng_schools, params.schools, las))
    roster = generate_roster(rng_pupils, schools, days, academic_year(params.start))
    plan = plan_events(rng_events, schools, days, params.strike_day)

    out.mkdir(parents=True, exist_ok=True)
    files: list[dict[str, Any]] = []
    digest = write_schools(out / "schools.csv", schools)
    files.append({"name": "schools.csv", "kind": "schools", "rows": len(schools), "sha256": digest})
    digest = write_roster(out / "roster.csv.gz", roster, schools, days[0])
    files.append({"name": "roster.csv.gz", "kind": "roster", "rows": len(roster), "sha256": digest})
    writer = MarksWriter(roster, schools)
    tallies = new_tallies(len(roster))
    marks = corrections = 0
    for register in simulate(rng_registers, roster, schools, days, plan, tallies):
        day = register.day.isoformat()
        digest = write_text_gz(out / f"marks-{day}.csv.gz", writer.render(register))
        rows = 2 * len(register.enrolments)
        files.append(
            {"name": f"marks-{day}.csv.gz", "kind": "marks", "date": day, "rows": rows, "sha256": digest}
        )
        marks += rows
        if len(register.corrected_enrolments):
            name = f"marks-{day}-corrections.csv.gz"
            digest = write_text_gz(out / name, writer.render_corrections(register))
            rows = len(register.corrected_enrolments)
            files.append({"name": name, "kind": "corrections", "date": day, "rows": rows, "sha256": digest})
            corrections += rows
    manifest = Manifest(
        generator_version=GENERATOR_VERSION,
        parameters={
            "schools": params.schools, "from": params.start.isoformat(), "to": params.end.isoformat(),
            "seed": params.seed, "las": list(params.las),
            "strike_day": params.strike_day.isoformat() if params.strike_day else None, "key": params.key(),
        },
        counts={
            "schools": len(schools), "enrolments": len(roster), "pupils": len(set(roster.upn)),
            "school_days": len(days), "marks": marks, "corrections": corrections,
            "joiners": int((roster.first_day > 0).sum()), "leavers": int((roster.last_day < len(days) - 1).sum()),
            "movers": len(roster) - len(set(roster.upn)),
            **{f"{phase}_schools": sum(s.phase == phase for s in schools) for phase in PHASES},
            "academies": sum(is_academy(s) for s in schools),
            "academies_in_trusts": sum(s.trust_id is not None for s in schools),
            "trusts": len({s.trust_id for s in schools if s.trust_id is not None}),
        },
        local_authorities=[
            {"la_code": la.la_code, "name": la.name, "region": la.region,
             "schools": sum(s.la_code == la.la_code for s in schools)}
            for la in las
        ],
        school_days=[d.isoformat() for d in days],
        trusts=_trusts(schools),
        files=files,
        events=plan.described,
        figures=figures(tallies, roster),
    )  # fmt: skip
    manifest.write(out / "manifest.json")
    return manifest
