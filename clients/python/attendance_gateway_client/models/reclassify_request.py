from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.phase import Phase, check_phase

T = TypeVar("T", bound="ReclassifyRequest")


@_attrs_define
class ReclassifyRequest:
    """The school's new phase and type, and why.

    Attributes:
        agreement (str): The data-sharing agreement the request is made under
        effective_date (datetime.date): The day the change took effect (not after today)
        phase (Phase): School phase.
        purpose (str): The purpose the request states (one of the agreement's)
        reason (str): The caller's reason for access (required by some agreements)
        school_type (str): The school's type as the register of schools names it
    """

    agreement: str
    effective_date: datetime.date
    phase: Phase
    purpose: str
    reason: str
    school_type: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        agreement = self.agreement

        effective_date = self.effective_date.isoformat()

        phase: str = self.phase

        purpose = self.purpose

        reason = self.reason

        school_type = self.school_type

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "agreement": agreement,
                "effective_date": effective_date,
                "phase": phase,
                "purpose": purpose,
                "reason": reason,
                "school_type": school_type,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        agreement = d.pop("agreement")

        effective_date = datetime.date.fromisoformat(d.pop("effective_date"))

        phase = check_phase(d.pop("phase"))

        purpose = d.pop("purpose")

        reason = d.pop("reason")

        school_type = d.pop("school_type")

        reclassify_request = cls(
            agreement=agreement,
            effective_date=effective_date,
            phase=phase,
            purpose=purpose,
            reason=reason,
            school_type=school_type,
        )

        reclassify_request.additional_properties = d
        return reclassify_request

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
