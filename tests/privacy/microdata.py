"""Small synthetic pupil microdata with record keys, and its aggregation into protect() rows."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd


def microdata(seed: int, pupils: int = 900) -> pd.DataFrame:
    """Pupils in schools within LAs within two regions, with a group, a persistent-absence flag and a record key."""
    rng = np.random.default_rng(seed)
    schools = [f"S{i:02d}" for i in range(12)]
    school = rng.choice(
        schools, size=pupils, p=np.linspace(1, 6, len(schools)) / np.linspace(1, 6, len(schools)).sum()
    )
    la = np.asarray([f"8{int(s[1:]) // 3:02d}" for s in school])
    region = np.asarray(["R0" if int(code[1:]) < 2 else "R1" for code in la])
    return pd.DataFrame(
        {
            "region": region,
            "la": la,
            "school": school,
            "group": rng.choice(["FSM", "Not FSM", "Unknown"], size=pupils, p=[0.25, 0.7, 0.05]),
            "persistent": rng.random(pupils) < 0.2,
            "record_key": rng.integers(0, 256, size=pupils),
        }
    )


def rows_from(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """One row per (school, group) observed: counts and record-key sums for each measure."""
    rows: list[dict[str, Any]] = []
    for (region, la, school, group), cell in frame.groupby(["region", "la", "school", "group"]):
        absent = cell[cell["persistent"]]
        rows.append(
            {
                "area": ("E92000001", str(region), str(la), str(school)),
                "group": str(group),
                "enrolments": len(cell),
                "persistent": len(absent),
                "record_key_sum": {
                    "enrolments": int(cell["record_key"].sum()),
                    "persistent": int(absent["record_key"].sum()),
                },
            }
        )
    return rows
