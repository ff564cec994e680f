from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.query_space_view import QuerySpaceView


T = TypeVar("T", bound="ProfileView")


@_attrs_define
class ProfileView:
    """
    Attributes:
        cell_key (bool): Whether counts carry cell-key perturbation
        min_comparator_schools (int): Fewest schools a benchmark comparator group may have before it is withheld
        name (str): Profile name in the policy data
        query_space (QuerySpaceView): The questions the profile answers
        rate_decimals (int): Decimal places of published rates
        round_to (int | None): Counts are rounded to a multiple of this; null: exact
        secondary (bool): Whether secondary suppression protects suppressed cells
        threshold (int): Counts below this (and above 0) are suppressed as c
        zeros_disclosive (bool): Whether a zero count is suppressed too
    """

    cell_key: bool
    min_comparator_schools: int
    name: str
    query_space: QuerySpaceView
    rate_decimals: int
    round_to: int | None
    secondary: bool
    threshold: int
    zeros_disclosive: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        cell_key = self.cell_key

        min_comparator_schools = self.min_comparator_schools

        name = self.name

        query_space = self.query_space.to_dict()

        rate_decimals = self.rate_decimals

        round_to: int | None
        round_to = self.round_to

        secondary = self.secondary

        threshold = self.threshold

        zeros_disclosive = self.zeros_disclosive

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "cell_key": cell_key,
                "min_comparator_schools": min_comparator_schools,
                "name": name,
                "query_space": query_space,
                "rate_decimals": rate_decimals,
                "round_to": round_to,
                "secondary": secondary,
                "threshold": threshold,
                "zeros_disclosive": zeros_disclosive,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.query_space_view import QuerySpaceView  # noqa: PLC0415

        d = dict(src_dict)
        cell_key = d.pop("cell_key")

        min_comparator_schools = d.pop("min_comparator_schools")

        name = d.pop("name")

        query_space = QuerySpaceView.from_dict(d.pop("query_space"))

        rate_decimals = d.pop("rate_decimals")

        def _parse_round_to(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        round_to = _parse_round_to(d.pop("round_to"))

        secondary = d.pop("secondary")

        threshold = d.pop("threshold")

        zeros_disclosive = d.pop("zeros_disclosive")

        profile_view = cls(
            cell_key=cell_key,
            min_comparator_schools=min_comparator_schools,
            name=name,
            query_space=query_space,
            rate_decimals=rate_decimals,
            round_to=round_to,
            secondary=secondary,
            threshold=threshold,
            zeros_disclosive=zeros_disclosive,
        )

        profile_view.additional_properties = d
        return profile_view

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
