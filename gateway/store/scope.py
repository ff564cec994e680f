"""Compile who-may-see-what into SQL predicates: the policy's row filter always ANDs with the request's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from psycopg import sql

from gateway.policy.decision import RowFilter


@dataclass(frozen=True, slots=True)
class AreaFilter:
    """What the caller asked for (narrowing only); the policy's RowFilter is applied on top, never instead."""

    region: str | None = None
    la_code: int | None = None
    urn: int | None = None
    phase: str | None = None
    year_group: int | None = None
    trust_id: int | None = None


@dataclass(frozen=True, slots=True)
class Scope:
    """A read's compiled scope: the policy's row filter AND the request's narrowing, never one alone."""

    row_filter: RowFilter
    area: AreaFilter = AreaFilter()

    @property
    def is_limited(self) -> bool:
        """The principal sees only some LAs, schools or trusts (so England or region rows would be mislabelled)."""
        rf = self.row_filter
        return rf.la_codes is not None or rf.urns is not None or rf.trust_ids is not None

    def on(self, alias: str) -> Predicate:
        """The scope as a predicate on a table `alias` that carries la_code and urn."""
        return combined(self.row_filter, self.area, alias)


@dataclass(frozen=True, slots=True)
class Predicate:
    """A SQL boolean expression and its bound parameters."""

    sql: sql.Composable
    params: dict[str, Any]


def scope_predicate(row_filter: RowFilter, alias: str, prefix: str = "rf") -> Predicate:
    """The policy's row filter on a table `alias` that carries la_code and urn (the distribution keys).

    An empty tuple means "nothing": it compiles to a predicate no row satisfies.
    """
    parts: list[sql.Composable] = []
    params: dict[str, Any] = {}
    if row_filter.la_codes is not None:
        parts.append(_member(alias, "la_code", f"{prefix}_la", row_filter.la_codes, params))
    if row_filter.urns is not None:
        parts.append(_member(alias, "urn", f"{prefix}_urn", row_filter.urns, params))
    if row_filter.trust_ids is not None:
        parts.append(in_trusts(alias, sql.Placeholder(f"{prefix}_trust")))
        params[f"{prefix}_trust"] = list(row_filter.trust_ids)
    if not parts:
        return Predicate(sql.SQL("TRUE"), params)
    return Predicate(sql.SQL("(") + sql.SQL(" AND ").join(parts) + sql.SQL(")"), params)


def _member(
    alias: str, column: str, name: str, values: tuple[int, ...], params: dict[str, Any]
) -> sql.Composable:
    """`column = value` for one value, `column = ANY(values)` otherwise (none: no row). One value is the
    common scope (an LA's officer, a school's lead), and only as an equality can the planner read the
    (la_code, ...) keys as a range in their order: as `= ANY` it scanned a pupil list's every term row of
    the whole table (bench/scale.py `pupils`, 5 M marks: 167 ms against 46 ms)."""
    if len(values) == 1:
        params[name] = values[0]
        return sql.SQL("{}.{} = {}").format(
            sql.Identifier(alias), sql.Identifier(column), sql.Placeholder(name)
        )
    params[name] = list(values)
    return sql.SQL("{}.{} = ANY({})").format(
        sql.Identifier(alias), sql.Identifier(column), sql.Placeholder(name)
    )


def in_trusts(alias: str, trusts: sql.Placeholder, *, one: bool = False) -> sql.Composable:
    """Rows of schools that are in the trust(s) now: trust membership is the school's, like its LA."""
    test = "= {}" if one else "= ANY({})"
    return sql.SQL("{}.urn IN (SELECT urn FROM schools WHERE trust_id " + test + ")").format(
        sql.Identifier(alias), trusts
    )


def area_predicate(area: AreaFilter, alias: str, prefix: str = "af") -> Predicate:
    """The request's own narrowing on a table `alias` with la_code and urn columns."""
    parts: list[sql.Composable] = []
    params: dict[str, Any] = {}
    t = sql.Identifier(alias)
    if area.region is not None:
        parts.append(
            sql.SQL("{}.la_code IN (SELECT la_code FROM local_authorities WHERE region = {})").format(
                t, sql.Placeholder(f"{prefix}_region")
            )
        )
        params[f"{prefix}_region"] = area.region
    if area.la_code is not None:
        parts.append(sql.SQL("{}.la_code = {}").format(t, sql.Placeholder(f"{prefix}_la")))
        params[f"{prefix}_la"] = area.la_code
    if area.urn is not None:
        parts.append(sql.SQL("{}.urn = {}").format(t, sql.Placeholder(f"{prefix}_urn")))
        params[f"{prefix}_urn"] = area.urn
    if area.trust_id is not None:
        parts.append(in_trusts(alias, sql.Placeholder(f"{prefix}_trust"), one=True))
        params[f"{prefix}_trust"] = area.trust_id
    if area.phase is not None:
        parts.append(
            sql.SQL("{}.urn IN (SELECT urn FROM schools WHERE phase = {})").format(
                t, sql.Placeholder(f"{prefix}_phase")
            )
        )
        params[f"{prefix}_phase"] = area.phase
    if not parts:
        return Predicate(sql.SQL("TRUE"), params)
    return Predicate(sql.SQL("(") + sql.SQL(" AND ").join(parts) + sql.SQL(")"), params)


def combined(row_filter: RowFilter, area: AreaFilter, alias: str) -> Predicate:
    """Policy scope AND request narrowing for one table alias."""
    scope = scope_predicate(row_filter, alias, prefix=f"rf_{alias}")
    narrowing = area_predicate(area, alias, prefix=f"af_{alias}")
    return Predicate(
        sql.SQL("({} AND {})").format(scope.sql, narrowing.sql), {**scope.params, **narrowing.params}
    )
