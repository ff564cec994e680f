from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ReassignRequest")


@_attrs_define
class ReassignRequest:
    """The school's new LA and trust, and why.

    Attributes:
        agreement (str): The data-sharing agreement the request is made under
        effective_date (datetime.date): The day the change took effect (not after today)
        la_code (int): Local authority code (three digits)
        purpose (str): The purpose the request states (one of the agreement's)
        reason (str): The caller's reason for access (required by some agreements)
        trust_id (int | None): Identifier of the trust (multi-academy trust); null: the school is in no trust
    """

    agreement: str
    effective_date: datetime.date
    la_code: int
    purpose: str
    reason: str
    trust_id: int | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        agreement = self.agreement

        effective_date = self.effective_date.isoformat()

        la_code = self.la_code

        purpose = self.purpose

        reason = self.reason

        trust_id: int | None
        trust_id = self.trust_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "agreement": agreement,
                "effective_date": effective_date,
                "la_code": la_code,
                "purpose": purpose,
                "reason": reason,
                "trust_id": trust_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        agreement = d.pop("agreement")

        effective_date = datetime.date.fromisoformat(d.pop("effective_date"))

        la_code = d.pop("la_code")

        purpose = d.pop("purpose")

        reason = d.pop("reason")

        def _parse_trust_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        trust_id = _parse_trust_id(d.pop("trust_id"))

        reassign_request = cls(
            agreement=agreement,
            effective_date=effective_date,
            la_code=la_code,
            purpose=purpose,
            reason=reason,
            trust_id=trust_id,
        )

        reassign_request.additional_properties = d
        return reassign_request

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
