"""Events in the registers: closures, a strike day, provisional N codes corrected later, joiners, leavers."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from gateway.store.codes import CATEGORY_2024, codes_valid_on
from gateway.store.reference import local_authority_by_code
from gateway.synth.calendar import school_days
from gateway.synth.events import CLOSED, RESTRICTED, plan_events
from gateway.synth.feed import MARK_FIELDS
from gateway.synth.generate import Manifest
from gateway.synth.schools import DEFAULT_LAS, generate_schools
from tests.synth.feedfiles import read_csv


def _event(manifest: Manifest, kind: str) -> dict[str, Any]:
    return next(e for e in manifest.events if e["kind"] == kind)


def _codes_at(folder: Path, day: str, urns: set[str]) -> Counter[str]:
    return Counter(r["code"] for r in read_csv(folder / f"marks-{day}.csv.gz") if r["urn"] in urns)


def test_planned_closure_marks_every_pupil_of_the_school_hash(small_dataset: tuple[Path, Manifest]) -> None:
    folder, manifest = small_dataset
    event = _event(manifest, "planned_closure")
    assert set(_codes_at(folder, event["date"], {str(event["urn"])})) == {"#"}


def test_unexpected_closure_marks_every_pupil_of_another_school_y4(
    small_dataset: tuple[Path, Manifest],
) -> None:
    folder, manifest = small_dataset
    event = _event(manifest, "unexpected_closure")
    assert event["urn"] != _event(manifest, "planned_closure")["urn"]
    assert set(_codes_at(folder, event["date"], {str(event["urn"])})) == {"Y4"}


def test_strike_day_closes_some_schools_and_restricts_most_secondaries(
    small_dataset: tuple[Path, Manifest],
) -> None:
    folder, manifest = small_dataset
    strike = _event(manifest, "strike")
    rows = list(read_csv(folder / f"marks-{strike['date']}.csv.gz"))
    for urn in strike["closed_urns"]:
        assert {r["code"] for r in rows if r["urn"] == str(urn)} == {"Y4"}
    for urn in strike["restricted_urns"]:
        assert "Y3" in {r["code"] for r in rows if r["urn"] == str(urn)}
    final = {r["upn"]: r["code"] for r in rows if r["session"] == "AM"}
    corrections = folder / f"marks-{strike['date']}-corrections.csv.gz"
    final |= {r["upn"]: r["code"] for r in read_csv(corrections) if r["session"] == "AM"}
    attended = sum(CATEGORY_2024[code] in ("P", "AEA") for code in final.values()) / len(final)
    day_before = manifest.school_days[manifest.school_days.index(strike["date"]) - 1]
    before = [r for r in read_csv(folder / f"marks-{day_before}.csv.gz") if r["session"] == "AM"]
    attended_before = sum(CATEGORY_2024[r["code"]] in ("P", "AEA") for r in before) / len(before)
    assert attended < 0.65 < 0.85 < attended_before
    assert manifest.figures["strike_attended_pct"]["all"] == round(100 * attended, 2)


def test_strike_closes_about_9_percent_of_schools_and_restricts_about_45_percent() -> None:
    las = [local_authority_by_code()[code] for code in DEFAULT_LAS]
    schools = generate_schools(np.random.default_rng(1), 1000, las)
    days = school_days(date(2025, 11, 3), date(2025, 11, 14))
    plan = plan_events(np.random.default_rng(2), schools, days, date(2025, 11, 5))
    status = Counter(plan.strike_status)
    assert plan.strike_day == 2
    assert 0.06 <= status[CLOSED] / 1000 <= 0.13
    assert 0.40 <= status[RESTRICTED] / 1000 <= 0.60


def test_every_code_is_valid_on_its_date(small_dataset: tuple[Path, Manifest]) -> None:
    folder, _ = small_dataset
    for path in sorted(folder.glob("marks-*.csv.gz")):
        day = path.name[6:16]
        valid = codes_valid_on(date.fromisoformat(day))
        assert {r["code"] for r in read_csv(path)} <= set(valid), path.name


def test_not_counted_codes_other_than_events_appear(small_dataset: tuple[Path, Manifest]) -> None:
    folder, _ = small_dataset
    codes: Counter[str] = Counter()
    for path in sorted(folder.glob("marks-2025-09-*.csv.gz")):
        codes.update(r["code"] for r in read_csv(path))
    assert codes["X"] > 0
    assert codes["D"] > 0
    assert codes["Z"] > 0


def test_corrections_come_later_and_turn_most_n_into_reasons(small_dataset: tuple[Path, Manifest]) -> None:
    folder, manifest = small_dataset
    day = manifest.school_days[10]
    first = {(r["upn"], r["session"]): r for r in read_csv(folder / f"marks-{day}.csv.gz")}
    corrections = list(read_csv(folder / f"marks-{day}-corrections.csv.gz"))
    assert tuple(corrections[0]) == MARK_FIELDS
    assert corrections
    for row in corrections:
        original = first[(row["upn"], row["session"])]
        assert original["code"] == "N"
        assert row["recorded_at"] > original["recorded_at"]
        assert row["recorded_at"][:10] > day
    assert all(r["code"] != "N" for r in corrections)
    assert {"I", "O"} <= {r["code"] for r in corrections}


def test_corrections_lower_absence_by_about_one_point(small_dataset: tuple[Path, Manifest]) -> None:
    _, manifest = small_dataset
    drop = manifest.figures["first_return_absence_pct"] - manifest.figures["all"]["overall_absence_pct"]
    assert 0.5 <= drop <= 1.5


def test_joiners_and_leavers_have_marks_only_while_on_roll(small_dataset: tuple[Path, Manifest]) -> None:
    folder, manifest = small_dataset
    roll = {
        (r["urn"], r["upn"]): (r["admission_date"], r["leaving_date"] or "9999-12-31")
        for r in read_csv(folder / "roster.csv.gz")
    }
    seen: set[tuple[str, str]] = set()
    for path in sorted(folder.glob("marks-*.csv.gz")):
        for row in read_csv(path):
            admitted, leaving = roll[(row["urn"], row["upn"])]
            assert admitted <= row["date"] <= leaving
            seen.add((row["urn"], row["upn"]))
    assert manifest.counts["joiners"] > 0
    assert manifest.counts["leavers"] > 0
    assert seen == set(roll)


def test_diwali_brings_religious_observance_among_indian_heritage_pupils(
    small_dataset: tuple[Path, Manifest],
) -> None:
    folder, manifest = small_dataset
    assert _event(manifest, "religious_festival") == {
        "kind": "religious_festival",
        "code": "R",
        "date": "2025-10-20",
        "name": "Diwali",
    }
    heritage = {r["upn"]: r["ethnicity"] for r in read_csv(folder / "roster.csv.gz")}
    observed = [heritage[r["upn"]] for r in read_csv(folder / "marks-2025-10-20.csv.gz") if r["code"] == "R"]
    assert observed
    assert observed.count("AIND") / len(observed) >= 0.8
