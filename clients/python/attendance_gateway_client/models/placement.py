from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Placement")


@_attrs_define
class Placement:
    """
    Attributes:
        la_code (int): Local authority code (three digits)
        trust_id (int | None): Identifier of the trust (multi-academy trust); null: the school is in no trust
    """

    la_code: int
    trust_id: int | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        la_code = self.la_code

        trust_id: int | None
        trust_id = self.trust_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "la_code": la_code,
                "trust_id": trust_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        la_code = d.pop("la_code")

        def _parse_trust_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        trust_id = _parse_trust_id(d.pop("trust_id"))

        placement = cls(
            la_code=la_code,
            trust_id=trust_id,
        )

        placement.additional_properties = d
        return placement

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
