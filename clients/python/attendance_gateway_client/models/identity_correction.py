from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.governance import Governance


T = TypeVar("T", bound="IdentityCorrection")


@_attrs_define
class IdentityCorrection:
    """
    Attributes:
        changed (bool): False when the school was already in that LA and trust (nothing was written)
        changed_fields (list[str]): The identity fields that changed (forename, surname, date_of_birth, sex, ethnicity),
            never their values
        effective_date (datetime.date): The day the change took effect (not after today)
        governance (Governance):
        upn (str): The pupil's UPN
    """

    changed: bool
    changed_fields: list[str]
    effective_date: datetime.date
    governance: Governance
    upn: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        changed = self.changed

        changed_fields = self.changed_fields

        effective_date = self.effective_date.isoformat()

        governance = self.governance.to_dict()

        upn = self.upn

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "changed": changed,
                "changed_fields": changed_fields,
                "effective_date": effective_date,
                "governance": governance,
                "upn": upn,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.governance import Governance  # noqa: PLC0415

        d = dict(src_dict)
        changed = d.pop("changed")

        changed_fields = cast(list[str], d.pop("changed_fields"))

        effective_date = datetime.date.fromisoformat(d.pop("effective_date"))

        governance = Governance.from_dict(d.pop("governance"))

        upn = d.pop("upn")

        identity_correction = cls(
            changed=changed,
            changed_fields=changed_fields,
            effective_date=effective_date,
            governance=governance,
            upn=upn,
        )

        identity_correction.additional_properties = d
        return identity_correction

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
