from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Mark")


@_attrs_define
class Mark:
    """
    Attributes:
        category (str): Category of the code: P present, AEA approved educational activity, AUTH, UNAUTH, NC not counted
        code (str): DfE attendance code of the mark
        date (datetime.date): The school day
        recorded_at (datetime.datetime): When the gateway recorded the mark
        session (str): AM or PM
        urn (int): URN of the school that recorded the mark
    """

    category: str
    code: str
    date: datetime.date
    recorded_at: datetime.datetime
    session: str
    urn: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        category = self.category

        code = self.code

        date = self.date.isoformat()

        recorded_at = self.recorded_at.isoformat()

        session = self.session

        urn = self.urn

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "category": category,
                "code": code,
                "date": date,
                "recorded_at": recorded_at,
                "session": session,
                "urn": urn,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        category = d.pop("category")

        code = d.pop("code")

        date = datetime.date.fromisoformat(d.pop("date"))

        recorded_at = datetime.datetime.fromisoformat(d.pop("recorded_at"))

        session = d.pop("session")

        urn = d.pop("urn")

        mark = cls(
            category=category,
            code=code,
            date=date,
            recorded_at=recorded_at,
            session=session,
            urn=urn,
        )

        mark.additional_properties = d
        return mark

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
