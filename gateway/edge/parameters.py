"""The declared-parameter validator: every query and path parameter of a route, checked once and strictly
against the app's own contract (its OpenAPI document) before any policy input is built.

The contract is the one statement of what a parameter may be: the validator reads it (so a client generated
from it never sends a request this refuses, and nothing it refuses is undocumented), and the start-up check
refuses a contract that leaves a bound unstated. What it enforces, for every non-public route:

- only declared query parameters, each at most once (unless declared as an array): 400 naming it;
- no control character (C0, DEL, C1, U+2028/U+2029) and valid UTF-8 in any value, query or path;
- patterns matched against the whole value (`re.fullmatch`: a `$` never lets a trailing newline through);
- integers and numbers as plain decimal text within the declared minimum and maximum (every integer has
  both, so none can pass 64 bits); booleans as true or false; dates as YYYY-MM-DD within the date pattern.

Values are never echoed in the problem: they may be pupil identifiers."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal
from urllib.parse import parse_qsl

from litestar import Litestar
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send

from gateway.edge.problems import ProblemError, send_problem
from gateway.edge.public import is_public_request
from gateway.edge.scope_state import problem_instance

Kind = Literal["string", "integer", "number", "boolean", "date"]
Location = Literal["query", "path", "header"]

INTEGER_TEXT = re.compile(r"-?[0-9]{1,40}")  # longer digit runs are refused unread
NUMBER_TEXT = re.compile(r"-?[0-9]{1,19}(\.[0-9]{1,19})?([eE][+-]?[0-9]{1,3})?")
DATE_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
LINE_SEPARATORS = frozenset("\u2028\u2029")
MAX_QUERY_FIELDS = 100
INT64 = (-(2**63), 2**63 - 1)
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# Route handler opt keys: the mount prefix to strip to find the route in the contract, and a route family
# (the console's pages) outside the API contract whose parameters Litestar validates from their types.
CONTRACT_MOUNT = "contract_mount"
OWN_FORM_VALIDATION = "console"


class ContractError(RuntimeError):
    """The contract leaves a parameter's bound unstated (or uses a form the validator cannot hold to)."""


@dataclass(frozen=True, slots=True)
class ParameterRule:
    """One declared parameter, as the contract states it."""

    name: str
    location: Location
    kind: Kind
    required: bool = False
    multiple: bool = False
    enum: frozenset[str] | None = None
    pattern: re.Pattern[str] | None = None
    min_length: int | None = None
    max_length: int | None = None
    minimum: float | None = None
    maximum: float | None = None


def has_control_character(text: str) -> bool:
    return any(c in LINE_SEPARATORS or unicodedata.category(c) == "Cc" for c in text)


def invalid(name: str, location: str, message: str, kind: str = "invalid-request") -> ProblemError:
    return ProblemError(
        400,
        kind,
        f"Invalid request parameters: {name} {message}.",
        title="Invalid request",
        errors=[{"key": name, "source": location, "message": message}],
    )


def check_value(rule: ParameterRule, text: str) -> None:
    """Raise a 400 naming the parameter unless `text` is a value the contract allows for it."""
    problem = value_problem(rule, text)
    if problem is not None:
        raise invalid(rule.name, rule.location, problem)


def value_problem(rule: ParameterRule, text: str) -> str | None:
    if has_control_character(text):
        return "contains a control character"
    if rule.kind == "integer":
        if not INTEGER_TEXT.fullmatch(text):
            return "must be a whole number"
        return _range_problem(rule, int(text))
    if rule.kind == "number":
        if not NUMBER_TEXT.fullmatch(text) or not math.isfinite(float(text)):
            return "must be a decimal number"
        return _range_problem(rule, float(text))
    if rule.kind == "boolean":
        return None if text in ("true", "false") else "must be true or false"
    if rule.enum is not None and text not in rule.enum:
        return "must be one of " + ", ".join(sorted(rule.enum))
    if rule.min_length is not None and len(text) < rule.min_length:
        return f"must be at least {rule.min_length} characters"
    if rule.max_length is not None and len(text) > rule.max_length:
        return f"must be at most {rule.max_length} characters"
    if rule.pattern is not None and rule.pattern.fullmatch(text) is None:
        return f"must match {rule.pattern.pattern}"
    if rule.kind == "date":
        if not DATE_TEXT.fullmatch(text):
            return "must be a date (YYYY-MM-DD)"
        try:
            date.fromisoformat(text)
        except ValueError:
            return "is not a real date"
    return None


def _range_problem(rule: ParameterRule, value: float) -> str | None:
    if rule.minimum is not None and value < rule.minimum:
        return f"must be at least {_number(rule.minimum)}"
    if rule.maximum is not None and value > rule.maximum:
        return f"must be at most {_number(rule.maximum)}"
    return None


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def check_query(rules: Sequence[ParameterRule], query_string: bytes) -> None:
    """Unknown, repeated, missing and malformed query parameters, each a 400 naming the parameter."""
    try:
        pairs = parse_qsl(
            query_string.decode("ascii"),
            keep_blank_values=True,
            encoding="utf-8",
            errors="strict",
            max_num_fields=MAX_QUERY_FIELDS,
        )
    except UnicodeError as exc:
        raise invalid("query", "query", "is not percent-encoded UTF-8") from exc
    except ValueError as exc:
        raise invalid("query", "query", f"has more than {MAX_QUERY_FIELDS} parameters") from exc
    declared = {r.name: r for r in rules if r.location == "query"}
    seen: dict[str, int] = {}
    for name, value in pairs:
        rule = declared.get(name)
        if rule is None:
            label = name if not has_control_character(name) and len(name) <= 40 else "(unnamed)"
            raise invalid(label, "query", "is not a parameter of this route", kind="unknown-parameter")
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1 and not rule.multiple:
            raise invalid(name, "query", "may be given only once", kind="repeated-parameter")
        check_value(rule, value)
    for rule in declared.values():
        if rule.required and rule.name not in seen:
            raise invalid(rule.name, "query", "is required")


def check_path(rules: Sequence[ParameterRule], path_params: Mapping[str, Any]) -> None:
    """Path parameters after routing (Litestar has parsed `{seq:int}`): the same rules as the query."""
    declared = {r.name: r for r in rules if r.location == "path"}
    for name, value in path_params.items():
        rule = declared.get(name)
        if rule is None:  # a route whose path parameter the contract does not state cannot be held to it
            raise invalid(name, "path", "is not declared by this route's contract")
        check_value(rule, str(value).lower() if isinstance(value, bool) else str(value))


def check_headers(rules: Sequence[ParameterRule], headers: Iterable[tuple[bytes, bytes]]) -> None:
    """Declared headers (names are case-insensitive): repeated, missing and malformed ones, each a 400 naming
    the header. Undeclared headers are HTTP's business (content type, encoding, tracing), not refused."""
    declared = {r.name.lower(): r for r in rules if r.location == "header"}
    if not declared:
        return
    seen: dict[str, int] = {}
    for raw_name, raw_value in headers:
        name = raw_name.decode("latin-1").lower()
        rule = declared.get(name)
        if rule is None:
            continue
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:
            raise invalid(rule.name, "header", "may be given only once", kind="repeated-parameter")
        try:
            value = raw_value.decode("ascii")
        except UnicodeDecodeError:
            raise invalid(rule.name, "header", "is not ASCII") from None
        check_value(rule, value)
    for name, rule in declared.items():
        if rule.required and name not in seen:
            raise invalid(rule.name, "header", "is required")


class ParameterContract:
    """Each route's declared parameters, read from the app's OpenAPI document once it is complete."""

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], tuple[ParameterRule, ...]] = {}
        self.loaded = False

    def load(self, document: Mapping[str, Any]) -> None:
        routes: dict[tuple[str, str], tuple[ParameterRule, ...]] = {}
        for path, operations in (document.get("paths") or {}).items():
            for method, operation in operations.items():
                if method in METHODS:
                    where = f"{method.upper()} {path}"
                    routes[(path, method.upper())] = tuple(
                        rule_from_parameter(resolve_references(p, document), where)
                        for p in operation.get("parameters") or []
                    )
        self.routes = routes
        self.loaded = True

    def rules_for(self, path_template: str, method: str) -> tuple[ParameterRule, ...] | None:
        """The route's declared parameters; None when the contract does not describe the route."""
        return self.routes.get((path_template, method.upper()))


def resolve_references(node: Any, document: Mapping[str, Any]) -> Any:
    """The node with every local `$ref` (a named schema, e.g. an enumeration) replaced by what it names."""
    if isinstance(node, Mapping):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            named = document["components"]["schemas"][ref.removeprefix("#/components/schemas/")]
            return resolve_references(named, document)
        return {key: resolve_references(value, document) for key, value in node.items()}
    if isinstance(node, list):
        return [resolve_references(item, document) for item in node]
    return node


def rule_from_parameter(parameter: Mapping[str, Any], where: str) -> ParameterRule:
    """A parameter object of the contract as a rule; a bound left unstated is a start-up error."""
    name = str(parameter["name"])
    location = parameter["in"]
    if location not in ("query", "path", "header"):
        raise ContractError(f"{where}: parameter {name} is in {location}, which the validator does not check")
    schema = _flatten(parameter.get("schema") or {}, f"{where} {name}")
    multiple = schema.get("type") == "array"
    if multiple:
        schema = _flatten(schema.get("items") or {}, f"{where} {name}[]")
    kind = _kind(schema, f"{where} {name}")
    enum = schema.get("enum")
    rule = ParameterRule(
        name=name,
        location=location,
        kind=kind,
        required=bool(parameter.get("required")),
        multiple=multiple,
        enum=frozenset(str(v) for v in enum if v is not None) if enum else None,
        pattern=re.compile(schema["pattern"], re.ASCII) if "pattern" in schema else None,
        min_length=schema.get("minLength"),
        max_length=schema.get("maxLength"),
        minimum=schema.get("minimum"),
        maximum=schema.get("maximum"),
    )
    _require_bounds(rule, f"{where} {name}")
    return rule


def _flatten(schema: Mapping[str, Any], where: str) -> dict[str, Any]:
    """Litestar writes an optional parameter as oneOf [its type, null] with the constraints beside it."""
    out = {k: v for k, v in schema.items() if k not in ("oneOf", "anyOf")}
    branches = [b for b in (schema.get("oneOf") or schema.get("anyOf") or []) if b.get("type") != "null"]
    if len(branches) > 1:
        raise ContractError(f"{where}: more than one type")
    for key, value in (branches[0] if branches else {}).items():
        out.setdefault(key, value)
    if isinstance(out.get("type"), list):
        types = [t for t in out["type"] if t != "null"]
        if len(types) != 1:
            raise ContractError(f"{where}: more than one type")
        out["type"] = types[0]
    return out


def _kind(schema: Mapping[str, Any], where: str) -> Kind:
    declared = schema.get("type")
    if declared == "string":
        return "date" if schema.get("format") == "date" else "string"
    if declared in ("integer", "number", "boolean"):
        return declared  # type: ignore[no-any-return]
    raise ContractError(f"{where}: type {declared!r} is not a parameter type the validator checks")


def _require_bounds(rule: ParameterRule, where: str) -> None:
    """Every bound the server enforces is in the contract: numbers have a minimum and a maximum, strings a
    length and a pattern (or a list of values), dates a pattern."""
    if rule.kind in ("integer", "number") and (rule.minimum is None or rule.maximum is None):
        raise ContractError(f"{where}: a {rule.kind} needs a minimum and a maximum")
    if rule.kind == "integer" and not (INT64[0] <= rule.minimum <= rule.maximum <= INT64[1]):  # type: ignore[operator]
        raise ContractError(f"{where}: an integer's bounds must lie within 64 bits (and exactly: no float)")
    if rule.kind == "string" and rule.enum is None and (rule.pattern is None or rule.max_length is None):
        raise ContractError(f"{where}: a string needs a pattern and a maxLength (or an enum)")
    if rule.kind == "date" and rule.pattern is None:
        raise ContractError(f"{where}: a date needs a pattern bounding its year")


def install_parameter_contract(app: Litestar, contract: ParameterContract) -> None:
    """Read the app's finished OpenAPI document into the validator (create_app calls this last)."""
    contract.load(app.openapi_schema.to_schema())


def parameter_middleware(app: ASGIApp, contract: ParameterContract) -> ASGIApp:
    """After authentication (so a refused request's event names its principal), before the handler."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or is_public_request(scope):
            await app(scope, receive, send)
            return
        if not contract.loaded:  # an app whose contract was never installed must not serve governed routes
            await send_problem(
                send,
                ProblemError(500, "internal-error", "The gateway's parameter contract is not loaded."),
                problem_instance(scope),
            )
            return
        handler = scope.get("route_handler")
        opt: Mapping[str, Any] = getattr(handler, "opt", None) or {}
        template = str(scope.get("path_template") or "")
        # An API route answered again under another mount (the console's proof routes) keeps its contract.
        template = template.removeprefix(str(opt.get(CONTRACT_MOUNT, "")))
        rules = contract.rules_for(template, str(scope.get("method", "GET")))
        if rules is None:
            if opt.get(OWN_FORM_VALIDATION):
                # Console pages are not in the API contract: their handlers' typed, bounded parameters are
                # validated by Litestar, and their forms are posted with a CSRF token.
                await app(scope, receive, send)
                return
            rules = ()  # any other route the contract does not describe declares no parameters
        try:
            check_path(rules, scope.get("path_params") or {})
            check_query(rules, scope.get("query_string", b""))
            check_headers(rules, scope.get("headers") or [])
        except ProblemError as problem:
            await send_problem(send, problem, problem_instance(scope))
            return
        await app(scope, receive, send)

    return middleware
