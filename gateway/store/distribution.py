"""How the store's tables spread over a Citus cluster (docs/scale-out.md): the layout as data, checked."""

from __future__ import annotations

from typing import Final

# Distributed tables and their distribution column. Every table distributed by la_code is co-located
# with marks (one LA's marks, enrolments, rollups, term rows and cells live on one shard).
DISTRIBUTED: Final[dict[str, str]] = {
    "marks": "la_code",
    "enrolments": "la_code",
    "school_day_group": "la_code",
    "school_day": "la_code",
    "enrolment_week": "la_code",
    "enrolment_week_cumulative": "la_code",
    "enrolment_term": "la_code",
    "school_cell": "la_code",
    "la_cell": "la_code",
    "trust_cell": "trust_id",  # a trust's schools span LAs
    "pupils": "pupil_id",  # pupils move between LAs
    "pupil_upns": "upn",  # the UPN -> pupil_id lookup that keeps UPNs unique
}
# Small tables every node holds a copy of (joined from any shard).
REFERENCE: Final[frozenset[str]] = frozenset(
    {
        "local_authorities", "schools", "trusts", "attendance_codes", "pupil_groups", "group_cells",
        "cell_labels", "academic_periods", "period_days",
    }
)  # fmt: skip
# Tables that stay on the coordinator: batch records and rejects are written once per batch.
COORDINATOR: Final[frozenset[str]] = frozenset({"ingest_batches", "ingest_rejects"})
# A table with any of these columns holds pupil-level or school-level rows and must be placed above.
ROW_COLUMNS: Final[frozenset[str]] = frozenset({"la_code", "urn", "enrolment_id", "pupil_id", "upn"})
