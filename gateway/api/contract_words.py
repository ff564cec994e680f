"""The words of the contract: a description and an example for every property of every response schema.

Kept in one table (not beside each field) so a reader checks the whole vocabulary in one place and the
same name means the same thing in every schema; `document_properties` (contract_docs.py) writes them into
the OpenAPI document, and tests/api/test_contract_words.py fails on any property, parameter or operation
the table leaves undescribed. A `Schema.property` entry overrides the entry for the bare name.
Examples: `None` means "derived from the referenced schema" (objects and lists of objects).
"""

from __future__ import annotations

from typing import Any

from gateway.api.benchmark import NumericFigures
from gateway.api.measures import (
    NumericClosureSchool,
    NumericClosuresResponse,
    NumericDailyRow,
    NumericSummaryRow,
)

SYMBOLS = "a number, or a symbol explained in the legend (c suppressed, low rounds to zero, x n/a, z n/a)"
COUNT = f"Count of {{}}: {SYMBOLS}"
RATE = f"{{}} as a percentage: {SYMBOLS}"

# name -> (description, example)
WORDS: dict[str, tuple[str, Any]] = {
    "absence_sessions": (COUNT.format("absence sessions (authorised and unauthorised)"), 1412),
    "academic_year": ("Academic year measured, e.g. 2025-26; null when dates were given", "2025-26"),
    "accepted": ("Rows written for the first time", 1200),
    "accesses": ("Accesses to the pupil's records recorded in the audit log, newest first", None),
    "agreement": ("The data-sharing agreement the request is made under", "dwp-dea-s35"),
    "algorithm": ("Signature algorithm of the key", "Ed25519"),
    "area": ("The area the series covers", "England"),
    "area_id": (
        "Identifier of the area: E92000001 England, the region's name, the DfE LA code, the school's URN"
        " or the trust's id",
        "886",
    ),
    "area_name": ("Name of the area", "Kent"),
    "gss_code": (
        "The area's GSS (ONS) code: E92000001 England, E12 regions, E06/E07/E08/E09/E10 local authorities;"
        " null for schools and trusts",
        "E10000016",
    ),
    "as_of": ("The day the early-warning rules were applied to", "2025-10-24"),
    "attendance_of_all_sessions_rate": (
        RATE.format("Sessions attended, of every session marked (closures included: pupils in school)"),
        41.2,
    ),
    "attendance_rate": (RATE.format("Sessions attended, of possible sessions (the official measure)"), 93.0),
    "attendance_sessions": (COUNT.format("sessions attended"), 18850),
    "authorised_absence_rate": (RATE.format("Authorised absence, of possible sessions"), 4.6),
    "authorised_sessions": (COUNT.format("authorised absence sessions"), 930),
    "batch_id": ("Identifier of the ingest batch", 57),
    "breakdown": (
        "The pupil group breakdown of the rows (fsm, sen, sex, ethnicity, year_group); null: none",
        "fsm",
    ),
    "by": ("Counts of events by dimension (route, outcome, organisation type): null where suppressed", None),
    "category": (
        "Category of the code: P present, AEA approved educational activity, AUTH, UNAUTH, NC not counted",
        "P",
    ),
    "changed": ("False when the school was already in that LA and trust (nothing was written)", True),
    "cosignatures": ("Witnesses' cosignatures of this checkpoint (empty until a witness signs)", None),
    "effective_date": ("The day the change took effect (not after today)", "2025-09-01"),
    "previous": ("The school's LA and trust before the change", None),
    "trust_id": ("Identifier of the trust (multi-academy trust); null: the school is in no trust", 4021),
    "Reassignment.current": ("The school's LA and trust after the change", None),
    "school_type": ("The school's type as the register of schools names it", "Academy converter"),
    "forename": ("The pupil's forename as the school's roster gives it", "Sam"),
    "surname": ("The pupil's surname as the school's roster gives it", "Example"),
    "date_of_birth": ("The pupil's date of birth (from 1990-01-01 to today)", "2015-02-03"),
    "sex": ("The pupil's sex as the school census records it: F or M", "F"),
    "ethnicity": ("The pupil's DfE ethnicity code (minor group)", "WBRI"),
    "upn": ("The pupil's UPN", "U202123456789"),
    "changed_fields": (
        "The identity fields that changed (forename, surname, date_of_birth, sex, ethnicity), never their values",
        ["surname"],
    ),
    "IdentityCorrection.changed": (
        "False when the pupil already had this identity (nothing was written)",
        True,
    ),
    "IdentityRequest.effective_date": (
        "The day the correction took effect (not after today; default today)",
        None,
    ),
    "MergeRequest.effective_date": ("The day the merge took effect (not after today; default today)", None),
    "into": ("The UPN of the record that survives the merge (the pupil's other UPN)", "E202123456790"),
    "enrolments_moved": ("Whole enrolments moved, at schools where the surviving record was not enrolled", 1),
    "enrolments_merged": ("Enrolments folded into the surviving record's enrolment at the same school", 1),
    "marks_moved": ("Marks moved to the surviving record's enrolments", 38),
    "duplicate_marks": ("Sessions both records had marked with the same code, kept once", 2),
    "Reclassification.changed": (
        "False when the school already had that phase and type (nothing was written)",
        True,
    ),
    "Reclassification.previous": ("The school's phase and type before the change", None),
    "Reclassification.current": ("The school's phase and type after the change", None),
    "checkpoint": ("The signed checkpoint the proof leads to", None),
    "code": ("DfE attendance code of the mark", "/"),
    "code_rates": (
        "Rate of each attendance code, of possible sessions (with by_code=true); null otherwise",
        None,
    ),
    "comparators": ("Figures of similar schools, each group disclosure-controlled", None),
    "content": ("The event's canonical content (JSON text) whose hash is the leaf", '{"seq":1}'),
    "criterion": (
        "Which pupils the list selects: persistent, severe, rate, unauthorised_10_in_10 or all",
        "persistent",
    ),
    "current": ("Key id of the key signing new checkpoints; null if none", "k-2026-01"),
    "date": ("The school day", "2025-09-15"),
    "date_from": ("First day of the period measured", "2025-09-01"),
    "date_to": ("Last day of the period measured", "2025-10-24"),
    "detail": ("What was wrong, in words a caller can act on", "date_to must not be before date_from"),
    "disclosure": ("The disclosure control applied, and the legend of its symbols", None),
    "disclosure_profile": ("Name of the disclosure profile applied; null for none", "published"),
    "disclosure_rule": ("How the report's small counts are protected", "counts below 10 are suppressed"),
    "enrolments": (COUNT.format("pupils enrolled in the period"), 410),
    "errors": ("Each invalid part of the request: where it is and what was wrong", None),
    "event": ("The audit event as recorded (pupil identifiers hashed)", {"action": "attendance.summary"}),
    "event_hash": ("SHA-256 of the event, hex", "9f2c" + "0" * 60),
    "events": ("Audit events in sequence order", None),
    "fields": ("Fields each record carries", ["pupil_ref", "year_group", "absence_rate"]),
    "fingerprint": ("SHA-256 of the raw public key, hex: what a verifier pins", "3b1d" + "0" * 60),
    "format": ("Body format of the extract: ndjson (default) or csv", "ndjson"),
    "from": ("Start of the span", "2026-01-01T00:00:00Z"),
    "governance": (
        "Under what the response was released: agreement, statute, purpose, policy revision",
        None,
    ),
    "granularity": ("Most detailed granularity released under the agreement", "aggregate"),
    "group": ("The pupil group of the row; null for the area's total", "eligible"),
    "instance": ("urn:request:<request id> of the request that failed", "urn:request:3f9a"),
    "key_id": ("Identifier of the signing key", "k-2026-01"),
    "keys": ("The signer's keys: the current one and those it replaced", None),
    "kind": ("Kind of the item", "marks"),
    "la_code": ("Local authority code (three digits)", 886),
    "latest_session": ("Latest day with a possible session received, on or before date_to", "2025-10-24"),
    "leaf_index": ("Index of the event's leaf in the Merkle tree", 41),
    "legal_gateway": ("The legal gateway (statute) the sharing rests on", "dea2017-s35"),
    "legend": ("Meaning of each symbol that can appear in place of a number", {"c": "suppressed"}),
    "level": ("The unit of the rows: national, region, la, school or trust", "la"),
    "marks": ("The pupil's attendance marks, by day and session", None),
    "name": ("Name", "Kent"),
    "next_cursor": ("Cursor of the next page; null on the last page", None),
    "not_counted_sessions": (
        COUNT.format("sessions outside possible sessions (closures #, Y3, Y4 and others)"),
        0,
    ),
    "organisation": ("Organisation of the caller", "dwp"),
    "organisations": ("Organisations the view covers; null: every organisation", ["dfe"]),
    "outcome": ("What happened to the request: allowed, denied or failed", "allowed"),
    "overall_absence_rate": (RATE.format("Overall absence, of possible sessions"), 7.0),
    "parent_id": (
        "Identifier of the area one level up (the same kind of id as area_id); null at the top",
        "South East",
    ),
    "path": ("Sibling hashes from the leaf (or older tree) up to the root, hex", ["ab" * 32]),
    "period": ("The period the response measured", None),
    "period_start": ("First day of the period the early-warning rules compare against", "2025-09-01"),
    "persistent_absence_rate": (RATE.format("Pupils missing 10% or more of possible sessions"), 17.8),
    "persistent_absentees": (COUNT.format("pupils missing 10% or more of possible sessions"), 73),
    "phase": ("School phase: primary, secondary or special", "primary"),
    "policy_revision": ("Revision of the policy bundle that decided", "3f2a9c1e"),
    "possible_sessions": (COUNT.format("possible sessions"), 20270),
    "prev_hash": ("Hash of the previous event in the chain, hex", "00" * 32),
    "prior_attendance_rate": ("Attendance rate before the recent weeks, percent; null if none", 95.1),
    "profile": ("Name of the disclosure profile applied", "published"),
    "public_key": ("The public key, base64", "MCowBQYDK2VwAyEA"),
    "pupil": (
        "The pupil's released fields (what the agreement allows, generalised as it requires)",
        {"year_group": 7},
    ),
    "pupils": (COUNT.format("pupils with a register that day"), 410),
    "purpose": ("The purpose the request states (one of the agreement's)", "multiple-disadvantages"),
    "reason": ("The caller's reason for access (required by some agreements)", "Panel ref AP-2026-03"),
    "reason_text": ("The caseworker's stated reason; null when none or withheld", "Panel ref AP-2026-03"),
    "reason_withheld": ("A reason was given that this caller's roles may not read", False),
    "reasons": ("Policy reasons, each with code, message and citation", None),
    "recent_attendance_rate": ("Attendance rate over the recent weeks, percent; null if none", 82.5),
    "recent_weeks": ("Weeks the recent attendance rate covers", 4),
    "recorded_at": ("When the gateway recorded the mark", "2025-09-15T09:12:00Z"),
    "region": ("Region name", "South East"),
    "rejected": ("Rows kept as rejects, each with its reason", 3),
    "request_id": ("The request's id, as in x-request-id and the audit log", "3f9a2c"),
    "root": ("Merkle tree root, hex", "cd" * 32),
    "route": ("The route the request was made to", "/v1/pupils/{upn}"),
    "rows": ("The rows of the answer", None),
    "rules": ("The rules applied", ["recent attendance below 90%"]),
    "school": ("The benchmarked school's own figures", None),
    "schools": (COUNT.format("schools"), 12),
    "schools_closed": ("Schools closed that day (every pupil's mark a closure code)", 3),
    "schools_open": ("Schools open that day", 120),
    "schools_partially_closed": ("Schools closed to some pupils that day", 5),
    "schools_with_registers": (COUNT.format("schools that sent registers that day"), 128),
    "schools_without_registers": ("Schools with no register received for that day", 2),
    "scope": ("Which organisations the oversight view covers", None),
    "seconds": ("Seconds the batch took", 1.42),
    "seq": ("Sequence number of the audit event", 41),
    "session": ("AM or PM", "AM"),
    "severe_absence_rate": (RATE.format("Pupils missing 50% or more of possible sessions"), 1.9),
    "severe_absentees": (COUNT.format("pupils missing 50% or more of possible sessions"), 8),
    "signature": ("Ed25519 signature, base64", "c2lnbmF0dXJl"),
    "signed_at": ("When the checkpoint was signed (RFC 3339)", "2026-01-05T10:00:00Z"),
    "similar_schools_rule": ("How comparator schools were chosen", "same phase, similar size and FSM share"),
    "size": ("Events in the tree the checkpoint signs", 4096),
    "source_name": ("Name of the file the batch came from", "registers-2025-09-15.csv"),
    "status": ("Status", "open"),
    "subject": ("The pupil the accesses concern (hashed identifier)", "sha256:9f2c"),
    "time": ("When the access happened (RFC 3339)", "2026-01-05T10:00:00Z"),
    "title": ("Short summary of the problem type", "Bad Request"),
    "to": ("End of the span", "2026-01-31T23:59:59Z"),
    "total": ("Total events; null where suppressed", 12850),
    "tree_size": ("Events in the tree the proof is for", 4096),
    "type": (
        "URI of the problem type; it resolves to a page describing it",
        "/problems/invalid-request",
    ),
    "unauthorised_absence_rate": (RATE.format("Unauthorised absence, of possible sessions"), 2.4),
    "unauthorised_sessions": (COUNT.format("unauthorised absence sessions"), 490),
    "unchanged": ("Rows already held exactly as sent", 0),
    "updated": ("Rows that corrected a mark already held", 14),
    "urn": ("School URN (unique reference number)", 100001),
    "who": ("Who accessed: role and subject of the caller; null where withheld", "safeguarding-officer"),
    "witnesses": ("Keys of the witnesses that cosign checkpoints", None),
    "year_group": ("National curriculum year group (0 reception to 14)", 7),
}

OVERRIDES: dict[str, tuple[str, Any]] = {
    "ClosureSchool.status": ("open, partially_closed, closed or no_register", "open"),
    "ClosureSchool.name": ("School name", "Hilltop Primary School"),
    "ClosuresResponse.schools": ("Each school in scope, with its closure status and attendance rate", None),
    "ClosuresResponse.date": ("The day the closures are for", "2025-09-15"),
    "ClosuresResponse.attendance_rate": (
        RATE.format("Attendance of possible sessions, across the schools"),
        93.0,
    ),
    "Problem.status": ("HTTP status code", 400),
    "Problem.reasons": ("Policy reasons for a denial: code, message and citation of the rule", None),
    "IngestResult.reasons": ("Rejected rows by reason", {"invalid-upn": 3}),
    "IngestResult.kind": ("Kind of feed: schools, roster or marks", "marks"),
    "PeriodMeasured.kind": ("ytd, year, term, half_term or dates", "half_term"),
    "PeriodMeasured.name": (
        "Named period (ytd, 2025-26, autumn-2025, autumn1-2025); null when dates were given",
        "autumn1-2025",
    ),
    "Figures.name": ("Name of the school or comparator group", "Similar primary schools"),
    "SummaryRow.level": ("The unit of the row: national, region, la, school or trust", "la"),
    "SubjectAccess.organisation": ("Organisation that accessed; null where withheld", "la-886"),
    "SubjectAccess.agreement": ("Agreement the access was made under; null if none", "la-safeguarding"),
    "SubjectAccess.purpose": ("Purpose stated; null if none", "safeguarding"),
    "SubjectAccess.legal_gateway": ("Legal gateway of the agreement; null if none", "ca1989-s47"),
    "SubjectAccesses.next_cursor": ("Cursor of the next page; null on the last page", None),
    "EarlyWarningPage.rules": (
        "Each rule applied, by name, in words",
        {"drop": "attendance fell by 10 points or more"},
    ),
    "FlaggedPupil.rules": ("Names of the rules the pupil met", ["drop"]),
    "PupilPage.rows": ("The pupils' released records", [{"pupil_ref": "p-3f9a", "absence_rate": 12.5}]),
    "PupilHistory.enrolments": ("The pupil's enrolments in the period", [{"urn": 100001}]),
    "Disclosure.rules": ("The disclosure rules applied, in words", ["counts below 10 are suppressed"]),
    "ExtractRequest.fields": (
        "Fields to include (default: every field the agreement releases)",
        ["pupil_ref"],
    ),
    "ExtractRequest.date_from": ("First day of the period", "2025-09-01"),
    "ExtractRequest.date_to": ("Last day of the period", "2025-10-24"),
    "ExtractRequest.phase": ("Only schools of this phase", "primary"),
    "ExtractRequest.region": ("Only this region", "South East"),
    "ExtractRequest.la_code": ("Only this local authority", 886),
    "ExtractRequest.year_group": ("Only this year group", 7),
    "ConsistencyProof.from": ("The older checkpoint", None),
    "ConsistencyProof.to": ("The newer checkpoint", None),
    "ReportPeriod.from": ("Start of the reporting period (RFC 3339)", "2026-01-01T00:00:00Z"),
    "ReportPeriod.to": ("End of the reporting period (RFC 3339)", "2026-01-31T23:59:59Z"),
    "InclusionProof.content": (
        "The event's canonical content (JSON text) whose hash is the leaf",
        '{"seq":41}',
    ),
    "KeysResponse.current": ("Key id of the key signing new checkpoints; null if none", "k-2026-01"),
    "Mark.urn": ("URN of the school that recorded the mark", 100001),
    "Governance.agreement": ("Agreement the response was released under; null if none", "dwp-dea-s35"),
    "Governance.purpose": ("Purpose stated; null if none", "multiple-disadvantages"),
}

# The numeric shape (`measures=numeric`, gateway/api/measures.py): each measure a number or null, and
# `<measure>_status` beside it. Same words as the symbols shape, with the null and its status in place
# of the symbol.
NULL_EXAMPLE: Any = object()  # an example that is JSON null (None means "derived from the schema")
NUMERIC = "a number, or null with the reason in `{}_status`"
STATUS = (
    "Why `{}` is null: c suppressed, low rounds to zero but is not zero, x not available, z not applicable "
    "(no denominator); null when it is a number"
)
NUMERIC_SCHEMAS = {
    "SummaryRow": NumericSummaryRow,
    "DailyRow": NumericDailyRow,
    "ClosureSchool": NumericClosureSchool,
    "ClosuresResponse": NumericClosuresResponse,
    "Figures": NumericFigures,
}
for _name, (_text, _example) in list(WORDS.items()):
    if SYMBOLS in _text:
        WORDS[f"{_name}_status"] = (STATUS.format(_name), NULL_EXAMPLE)
for _symbols, _numeric in NUMERIC_SCHEMAS.items():
    for _prop in _numeric.__struct_fields__:
        _found = OVERRIDES.get(f"{_symbols}.{_prop}") or WORDS.get(_prop)
        if _found is not None and SYMBOLS in _found[0]:
            _text, _example = _found
            OVERRIDES[f"{_numeric.__name__}.{_prop}"] = (
                _text.replace(SYMBOLS, NUMERIC.format(_prop)),
                _example,
            )
        elif _found is not None and f"{_symbols}.{_prop}" in OVERRIDES:
            OVERRIDES[f"{_numeric.__name__}.{_prop}"] = _found
WORDS["measures"] = (
    "The shape of the measures: numeric (each a number or null, with its status beside it)",
    "numeric",
)
WORDS["code_rates_status"] = (
    "Why a code's rate is null, by code (c, low, x, z): only the codes whose rate is null",
    {"I": "c"},
)
OVERRIDES["NumericSummaryRow.group"] = ("The pupil group of the row; Total: the area's total", "Total")

# Query, path and header parameters by name (where the route did not describe one itself).
PARAMETER_WORDS: dict[str, str] = {
    "limit": "Most items on one page",
    "format": "Body format of the export",
}


# Answers whose shape the schema leaves open (free-form objects): an example each.
OPERATION_EXAMPLES: dict[tuple[str, str], Any] = {
    ("get", "/health/live"): {"status": "ok"},
    ("get", "/health/ready"): {
        "status": "ok",
        "database": "ok",
        "checks": {"database": {"ok": True, "reason": "connected"}, "policy_bundle": {"ok": True}},
    },
    ("get", "/v1/decisions/explain"): {
        "action": "extracts.create",
        "allow": False,
        "reasons": [
            {
                "code": "DENY_FIELD_OUTSIDE_AGREEMENT",
                "message": "The fields upn are outside the agreement dwp-dea-s35.",
                "citation": "UK GDPR Art. 5(1)(c) data minimisation",
            }
        ],
        "obligations": None,
        "revision": "3f2a9c1e",
        "engine": "regorus",
    },
    ("get", "/problems"): '<!DOCTYPE html><html lang="en">...<ul><li><a href="/problems/access-denied">'
    "access-denied</a> (403): Access denied</li>...</ul></body></html>",
    ("get", "/problems/{kind}"): '<!DOCTYPE html><html lang="en">...<h1>Missing token</h1><p>HTTP status 401.'
    "...</p></body></html>",
    ("post", "/v1/admin/policies/reload"): {"previous_revision": "3f2a9c1e", "revision": "7b10d2aa"},
}


def words_for(schema: str, prop: str) -> tuple[str, Any] | None:
    return OVERRIDES.get(f"{schema}.{prop}") or WORDS.get(prop)
