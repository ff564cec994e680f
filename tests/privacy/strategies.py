"""Hypothesis strategies for hierarchical count tables (England > region > LA > school, with groups)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

counts = st.one_of(st.integers(0, 12), st.integers(0, 60), st.integers(10, 200))


@st.composite
def count_rows(
    draw: st.DrawFn, max_regions: int = 2, max_las: int = 3, max_schools: int = 4
) -> list[dict[str, Any]]:
    """Leaf rows {"area", "group", "count"} for a random small hierarchy and breakdown."""
    n_groups = draw(st.integers(0, 3))
    groups: list[str | None] = [f"G{g}" for g in range(n_groups)] or [None]
    rows: list[dict[str, Any]] = []
    for region in range(draw(st.integers(1, max_regions))):
        for la in range(draw(st.integers(1, max_las))):
            for school in range(draw(st.integers(1, max_schools))):
                for group in groups:
                    rows.append(
                        {
                            "area": (
                                "E92000001",
                                f"R{region}",
                                f"{800 + region * 10 + la}",
                                f"S{region}{la}{school}",
                            ),
                            "group": group,
                            "count": draw(counts),
                        }
                    )
    return rows
