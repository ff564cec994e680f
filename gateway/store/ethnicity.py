"""DfE ethnicity codes (school census minor codes) and the major group each belongs to."""

from __future__ import annotations

from typing import Final

ETHNICITY_MAJOR: Final[dict[str, str]] = {
    "WBRI": "White", "WIRI": "White", "WIRT": "White", "WROM": "White", "WOTH": "White",
    "MWBC": "Mixed", "MWBA": "Mixed", "MWAS": "Mixed", "MOTH": "Mixed",
    "AIND": "Asian", "APKN": "Asian", "ABAN": "Asian", "AOTH": "Asian",
    "BCRB": "Black", "BAFR": "Black", "BOTH": "Black",
    "CHNE": "Chinese",
    "OOTH": "Other",
    "REFU": "Unclassified", "NOBT": "Unclassified",
}  # fmt: skip

MAJOR_GROUPS: Final[tuple[str, ...]] = (
    "White",
    "Mixed",
    "Asian",
    "Black",
    "Chinese",
    "Other",
    "Unclassified",
)
