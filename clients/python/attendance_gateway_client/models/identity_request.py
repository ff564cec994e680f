from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.sex import Sex, check_sex
from ..types import UNSET, Unset

T = TypeVar("T", bound="IdentityRequest")


@_attrs_define
class IdentityRequest:
    """The pupil's corrected identity, and why.

    Attributes:
        agreement (str): The data-sharing agreement the request is made under
        date_of_birth (datetime.date): The pupil's date of birth (from 1990-01-01 to today)
        ethnicity (str): A DfE ethnicity code.
        forename (str): The pupil's forename as the school's roster gives it
        purpose (str): The purpose the request states (one of the agreement's)
        reason (str): The caller's reason for access (required by some agreements)
        sex (Sex): A pupil's sex as the school census records it.
        surname (str): The pupil's surname as the school's roster gives it
        effective_date (datetime.date | None | Unset): The day the change took effect (not after today)
    """

    agreement: str
    date_of_birth: datetime.date
    ethnicity: str
    forename: str
    purpose: str
    reason: str
    sex: Sex
    surname: str
    effective_date: datetime.date | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        agreement = self.agreement

        date_of_birth = self.date_of_birth.isoformat()

        ethnicity = self.ethnicity

        forename = self.forename

        purpose = self.purpose

        reason = self.reason

        sex: str = self.sex

        surname = self.surname

        effective_date: None | str | Unset
        if isinstance(self.effective_date, Unset):
            effective_date = UNSET
        elif isinstance(self.effective_date, datetime.date):
            effective_date = self.effective_date.isoformat()
        else:
            effective_date = self.effective_date

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "agreement": agreement,
                "date_of_birth": date_of_birth,
                "ethnicity": ethnicity,
                "forename": forename,
                "purpose": purpose,
                "reason": reason,
                "sex": sex,
                "surname": surname,
            }
        )
        if effective_date is not UNSET:
            field_dict["effective_date"] = effective_date

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        agreement = d.pop("agreement")

        date_of_birth = datetime.date.fromisoformat(d.pop("date_of_birth"))

        ethnicity = d.pop("ethnicity")

        forename = d.pop("forename")

        purpose = d.pop("purpose")

        reason = d.pop("reason")

        sex = check_sex(d.pop("sex"))

        surname = d.pop("surname")

        def _parse_effective_date(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                effective_date_type_0 = datetime.date.fromisoformat(data)

                return effective_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        effective_date = _parse_effective_date(d.pop("effective_date", UNSET))

        identity_request = cls(
            agreement=agreement,
            date_of_birth=date_of_birth,
            ethnicity=ethnicity,
            forename=forename,
            purpose=purpose,
            reason=reason,
            sex=sex,
            surname=surname,
            effective_date=effective_date,
        )

        identity_request.additional_properties = d
        return identity_request

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
