from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.pack_outcome_rejected import PackOutcomeRejected


T = TypeVar("T", bound="PackOutcome")


@_attrs_define
class PackOutcome:
    """What the pack's manifest says a conforming system does

    Attributes:
        accepted (int): Rows accepted
        rejected (PackOutcomeRejected): Rows rejected, by reason code
    """

    accepted: int
    rejected: PackOutcomeRejected
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        accepted = self.accepted

        rejected = self.rejected.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "accepted": accepted,
                "rejected": rejected,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.pack_outcome_rejected import PackOutcomeRejected  # noqa: PLC0415

        d = dict(src_dict)
        accepted = d.pop("accepted")

        rejected = PackOutcomeRejected.from_dict(d.pop("rejected"))

        pack_outcome = cls(
            accepted=accepted,
            rejected=rejected,
        )

        pack_outcome.additional_properties = d
        return pack_outcome

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
