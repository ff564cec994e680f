"""Reference data shipped with the package: England's 153 local authorities with their regions, and the
GSS (ONS) codes of England, its regions and its LAs (sources cited in each CSV's header comment)."""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib.resources import files
from typing import NamedTuple

REGIONS: tuple[str, ...] = (
    "North East",
    "North West",
    "Yorkshire and The Humber",
    "East Midlands",
    "West Midlands",
    "East of England",
    "London",
    "South East",
    "South West",
)


class LocalAuthority(NamedTuple):
    """An English local authority as DfE numbers it (the LA code inside every UPN and DfE number)."""

    la_code: int
    name: str
    region: str
    gss_code: str  # E06 unitary, E08 metropolitan district, E09 London borough, E10 county


ENGLAND = "England"


def _rows(name: str) -> list[dict[str, str]]:
    """A shipped CSV's rows, after its `#` header comment (which cites the source)."""
    text = files(__name__).joinpath(name).read_text(encoding="utf-8")
    return list(
        csv.DictReader(io.StringIO("".join(line for line in text.splitlines(True) if line[:1] != "#")))
    )


@cache
def _load() -> tuple[LocalAuthority, ...]:
    return tuple(
        LocalAuthority(int(r["la_code"]), r["name"], r["region"], r["gss_code"])
        for r in _rows("local_authorities.csv")
    )


@cache
def area_gss_codes() -> dict[str, str]:
    """GSS code by name for England (E92000001) and its nine regions (E12000001..E12000009)."""
    return {r["name"]: r["gss_code"] for r in _rows("regions.csv")}


def local_authorities() -> list[LocalAuthority]:
    """All 153 current English local authorities (as of the 2023 Cumbria and 2021 Northants changes)."""
    return list(_load())


@cache
def local_authority_by_code() -> dict[int, LocalAuthority]:
    """The same list keyed by LA code."""
    return {la.la_code: la for la in _load()}
