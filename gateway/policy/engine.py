"""The policy engine interface and the strict parsing of a decision document into a Decision."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from gateway.policy.decision import Decision, Obligations, Reason, RowFilter, WriteScope


class PolicyEngineError(Exception):
    """The engine could not decide (error, undefined result, malformed result or timeout): deny."""


@runtime_checkable
class PolicyEngine(Protocol):
    name: str

    @property
    def revision(self) -> str: ...

    async def decide(self, policy_input: dict[str, Any]) -> Decision: ...

    async def reload(self) -> str: ...

    def close(self) -> None: ...


def decision_from_document(document: Any, *, revision: str, engine: str) -> Decision:
    """Turn the policy's decision document into a Decision, or raise if it is not exactly one."""
    if not isinstance(document, dict) or not isinstance(document.get("allow"), bool):
        raise PolicyEngineError("the decision has no boolean allow")
    reasons_raw = document.get("reasons")
    if not isinstance(reasons_raw, list) or not reasons_raw:
        raise PolicyEngineError("the decision has no reasons")
    reasons = tuple(_reason(r) for r in reasons_raw)
    allow: bool = document["allow"]
    if not allow:
        return Decision(False, reasons, Obligations(), revision, engine)
    return Decision(True, reasons, _obligations(document.get("obligations")), revision, engine)


def _reason(raw: Any) -> Reason:
    if (
        not isinstance(raw, dict)
        or not isinstance(raw.get("code"), str)
        or not isinstance(raw.get("message"), str)
    ):
        raise PolicyEngineError("a reason lacks its code or message")
    citation = raw.get("citation")
    return Reason(raw["code"], raw["message"], citation if isinstance(citation, str) else None)


def _obligations(raw: Any) -> Obligations:
    if not isinstance(raw, dict):
        raise PolicyEngineError("an allowed decision has no obligations")
    try:
        row = raw["row_filter"]
        return Obligations(
            agreement=_opt_str(raw["agreement"]),
            legal_gateway=_opt_str(raw["legal_gateway"]),
            purpose=_opt_str(raw["purpose"]),
            fields=tuple(_str(f) for f in raw["fields"]),
            row_filter=RowFilter(
                la_codes=_opt_ints(row["la_codes"]),
                urns=_opt_ints(row["urns"]),
                organisations=_opt_strs(row.get("organisations")),
                trust_ids=_opt_ints(row.get("trust_ids")),
            ),
            granularity=_opt_str(raw["granularity"]),
            pseudonym_domain=_opt_str(raw["pseudonym_domain"]),
            pseudonym_method=_opt_str(raw["pseudonym_method"]),
            generalisations={_str(k): _str(v) for k, v in dict(raw["generalisations"]).items()},
            disclosure_profile=_opt_dict(raw["disclosure_profile"]),
            row_cap=_opt_int(raw["row_cap"]),
            reason_required=bool(raw["reason_required"]),
            write_scope=_write_scope(raw["write_scope"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise PolicyEngineError(f"malformed obligations: {type(exc).__name__}") from exc


def _write_scope(value: Any) -> WriteScope | None:
    if value is None:
        return None
    return WriteScope(la_codes=_opt_ints(value["la_codes"]) or (), urns=_opt_ints(value["urns"]) or ())


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("expected a string")
    return value


def _opt_str(value: Any) -> str | None:
    return None if value is None else _str(value)


def _opt_int(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or int(value) != value:
        raise TypeError("expected an integer")
    return int(value)


def _opt_ints(value: Any) -> tuple[int, ...] | None:
    if value is None:
        return None
    # A null scope entry (e.g. a principal without an LA code) fails the decision rather than widen access.
    return tuple(_int(v) for v in value)


def _int(value: Any) -> int:
    number = _opt_int(value)
    if number is None:
        raise TypeError("expected an integer")
    return number


def _opt_strs(value: Any) -> tuple[str, ...] | None:
    return None if value is None else tuple(_str(v) for v in value)


def _opt_dict(value: Any) -> dict[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise TypeError("expected an object")
    return dict(value)
