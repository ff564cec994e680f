from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.classification import Classification
    from ..models.governance import Governance


T = TypeVar("T", bound="Reclassification")


@_attrs_define
class Reclassification:
    """
    Attributes:
        changed (bool): False when the school was already in that LA and trust (nothing was written)
        current (Classification):
        effective_date (datetime.date): The day the change took effect (not after today)
        governance (Governance):
        previous (Classification):
        urn (int): School URN (unique reference number)
    """

    changed: bool
    current: Classification
    effective_date: datetime.date
    governance: Governance
    previous: Classification
    urn: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        changed = self.changed

        current = self.current.to_dict()

        effective_date = self.effective_date.isoformat()

        governance = self.governance.to_dict()

        previous = self.previous.to_dict()

        urn = self.urn

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "changed": changed,
                "current": current,
                "effective_date": effective_date,
                "governance": governance,
                "previous": previous,
                "urn": urn,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.classification import Classification  # noqa: PLC0415
        from ..models.governance import Governance  # noqa: PLC0415

        d = dict(src_dict)
        changed = d.pop("changed")

        current = Classification.from_dict(d.pop("current"))

        effective_date = datetime.date.fromisoformat(d.pop("effective_date"))

        governance = Governance.from_dict(d.pop("governance"))

        previous = Classification.from_dict(d.pop("previous"))

        urn = d.pop("urn")

        reclassification = cls(
            changed=changed,
            current=current,
            effective_date=effective_date,
            governance=governance,
            previous=previous,
            urn=urn,
        )

        reclassification.additional_properties = d
        return reclassification

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
