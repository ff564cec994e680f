"""Turn pupil rows from the store into what may leave: permitted fields, pseudonyms, generalisations."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from gateway.policy.decision import Obligations
from gateway.privacy.generalise import IDENTIFYING_FIELDS, generalise_record
from gateway.privacy.pseudonyms import Pseudonymiser
from gateway.store.pupils import MEASURE_FIELDS, PUPIL_FIELDS, SUBJECT

# Fields a pupil row can carry (the agreement may also name non-row items such as aggregate_counts).
ROW_FIELDS = frozenset({*PUPIL_FIELDS, *MEASURE_FIELDS, "pupil_ref"})


def released_fields(obligations: Obligations, requested: Sequence[str]) -> list[str]:
    """The row fields this response carries: those requested (or all permitted), never beyond the agreement."""
    permitted = [f for f in obligations.fields if f in ROW_FIELDS]
    if not requested:
        return permitted
    return [f for f in requested if f in permitted]


def release_pupil_rows(
    rows: Sequence[dict[str, Any]],
    obligations: Obligations,
    fields: Sequence[str],
    pseudonymiser: Pseudonymiser,
    as_of: date,
) -> tuple[list[dict[str, Any]], list[str]]:
    """Released records (in order) and the UPNs they concern (for the audit subject index only)."""
    subjects = [str(row[SUBJECT]) for row in rows]
    refs: list[str] | None = None
    if "pupil_ref" in fields:
        if not obligations.pseudonym_domain:
            raise ValueError("pupil_ref requested but the agreement names no pseudonym domain")
        method = obligations.pseudonym_method or "hmac"
        refs = pseudonymiser.pseudonymise_many(
            subjects,
            obligations.pseudonym_domain,
            method,  # type: ignore[arg-type]
            reversible_allowed=method == "siv",
        )
    # Identifying fields the agreement releases are kept explicitly; everything else follows the rules.
    rules = dict(obligations.generalisations)
    for name in fields:
        if name in IDENTIFYING_FIELDS and name not in rules:
            rules[name] = "keep"
    released: list[dict[str, Any]] = []
    for index, row in enumerate(rows):
        record = {name: row[name] for name in fields if name in row}
        if refs is not None:
            record["pupil_ref"] = refs[index]
        released.append(generalise_record(record, rules, as_of))
    return released, subjects
