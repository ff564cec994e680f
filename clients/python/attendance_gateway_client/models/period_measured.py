from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PeriodMeasured")


@_attrs_define
class PeriodMeasured:
    """
    Attributes:
        academic_year (None | str): Academic year measured, e.g. 2025-26; null when dates were given
        date_from (datetime.date): First day of the period measured
        date_to (datetime.date): Last day of the period measured
        kind (str): ytd, year, term, half_term or dates
        latest_session (datetime.date | None): Latest day with a possible session received, on or before date_to
        name (None | str): Named period (ytd, 2025-26, autumn-2025, autumn1-2025); null when dates were given
    """

    academic_year: None | str
    date_from: datetime.date
    date_to: datetime.date
    kind: str
    latest_session: datetime.date | None
    name: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        academic_year: None | str
        academic_year = self.academic_year

        date_from = self.date_from.isoformat()

        date_to = self.date_to.isoformat()

        kind = self.kind

        latest_session: None | str
        if isinstance(self.latest_session, datetime.date):
            latest_session = self.latest_session.isoformat()
        else:
            latest_session = self.latest_session

        name: None | str
        name = self.name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "academic_year": academic_year,
                "date_from": date_from,
                "date_to": date_to,
                "kind": kind,
                "latest_session": latest_session,
                "name": name,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_academic_year(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        academic_year = _parse_academic_year(d.pop("academic_year"))

        date_from = datetime.date.fromisoformat(d.pop("date_from"))

        date_to = datetime.date.fromisoformat(d.pop("date_to"))

        kind = d.pop("kind")

        def _parse_latest_session(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                latest_session_type_0 = datetime.date.fromisoformat(data)

                return latest_session_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        latest_session = _parse_latest_session(d.pop("latest_session"))

        def _parse_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        name = _parse_name(d.pop("name"))

        period_measured = cls(
            academic_year=academic_year,
            date_from=date_from,
            date_to=date_to,
            kind=kind,
            latest_session=latest_session,
            name=name,
        )

        period_measured.additional_properties = d
        return period_measured

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
