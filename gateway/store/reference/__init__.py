"""Reference data shipped with the package: England's 153 local authorities with their regions."""

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


@cache
def _load() -> tuple[LocalAuthority, ...]:
    text = files(__name__).joinpath("local_authorities.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(io.StringIO(text))
    return tuple(LocalAuthority(int(r["la_code"]), r["name"], r["region"]) for r in rows)


def local_authorities() -> list[LocalAuthority]:
    """All 153 current English local authorities (as of the 2023 Cumbria and 2021 Northants changes)."""
    return list(_load())


@cache
def local_authority_by_code() -> dict[int, LocalAuthority]:
    """The same list keyed by LA code."""
    return {la.la_code: la for la in _load()}
