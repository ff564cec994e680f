"""The policy actions routes may declare, and the resource each one is about (mirrors policies/data)."""

from __future__ import annotations

ACTION_RESOURCES: dict[str, str] = {
    "attendance.summary": "attendance_aggregate",
    "attendance.daily": "attendance_aggregate",
    "attendance.closures": "attendance_aggregate",
    "pupils.list": "pupil_list",
    "pupils.attendance": "pupil_record",
    "early_warning.list": "early_warning",
    "schools.benchmark": "benchmark",
    "schools.trend": "benchmark",
    "extracts.create": "extract",
    "ingest.registers": "ingest",
    "audit.search": "audit",
    "audit.subject": "audit",
    "audit.checkpoint": "audit",
    "audit.proof": "audit",
    "audit.report": "audit",
    "audit.export": "audit",
    "decisions.explain": "decision_explain",
    "policies.reload": "policy_admin",
    "schools.reassign": "school_register",
    "schools.reclassify": "school_register",
    "pupils.correct_identity": "pupil_register",
    "pupils.merge": "pupil_register",
}

REQUEST_KEYS = (
    "resource",
    "fields",
    "level",
    "region",
    "la_code",
    "urn",
    "trust_id",
    "date_from",
    "date_to",
    "breakdown",
)
