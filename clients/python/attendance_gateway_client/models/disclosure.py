from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.disclosure_legend import DisclosureLegend


T = TypeVar("T", bound="Disclosure")


@_attrs_define
class Disclosure:
    """
    Attributes:
        legend (DisclosureLegend): Meaning of each symbol that can appear in place of a number
        profile (str): Name of the disclosure profile applied
        rules (list[str]): The disclosure rules applied, in words
    """

    legend: DisclosureLegend
    profile: str
    rules: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        legend = self.legend.to_dict()

        profile = self.profile

        rules = self.rules

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "legend": legend,
                "profile": profile,
                "rules": rules,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.disclosure_legend import DisclosureLegend  # noqa: PLC0415

        d = dict(src_dict)
        legend = DisclosureLegend.from_dict(d.pop("legend"))

        profile = d.pop("profile")

        rules = cast(list[str], d.pop("rules"))

        disclosure = cls(
            legend=legend,
            profile=profile,
            rules=rules,
        )

        disclosure.additional_properties = d
        return disclosure

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
