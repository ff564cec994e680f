from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.check_verdict import CheckVerdict, check_check_verdict

if TYPE_CHECKING:
    from ..models.pack_outcome import PackOutcome


T = TypeVar("T", bound="PackFileCheck")


@_attrs_define
class PackFileCheck:
    """
    Attributes:
        expected (PackOutcome): What the pack's manifest says a conforming system does
        file (str): The pack file
        found (PackOutcome): What the pack's manifest says a conforming system does
        verdict (CheckVerdict): The conformance checker's verdict on a feed test pack check.
    """

    expected: PackOutcome
    file: str
    found: PackOutcome
    verdict: CheckVerdict
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        expected = self.expected.to_dict()

        file = self.file

        found = self.found.to_dict()

        verdict: str = self.verdict

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "expected": expected,
                "file": file,
                "found": found,
                "verdict": verdict,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.pack_outcome import PackOutcome  # noqa: PLC0415

        d = dict(src_dict)
        expected = PackOutcome.from_dict(d.pop("expected"))

        file = d.pop("file")

        found = PackOutcome.from_dict(d.pop("found"))

        verdict = check_check_verdict(d.pop("verdict"))

        pack_file_check = cls(
            expected=expected,
            file=file,
            found=found,
            verdict=verdict,
        )

        pack_file_check.additional_properties = d
        return pack_file_check

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
