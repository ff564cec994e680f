from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="DailyRow")


@_attrs_define
class DailyRow:
    """
    Attributes:
        attendance_of_all_sessions_rate (float | str): Sessions attended, of every session marked (closures included:
            pupils in school) as a percentage: a number, or a symbol explained in the legend (c suppressed, low rounds to
            zero, x n/a, z n/a)
        attendance_rate (float | str): Sessions attended, of possible sessions (the official measure) as a percentage: a
            number, or a symbol explained in the legend (c suppressed, low rounds to zero, x n/a, z n/a)
        attendance_sessions (int | str): Count of sessions attended: a number, or a symbol explained in the legend (c
            suppressed, low rounds to zero, x n/a, z n/a)
        authorised_sessions (int | str): Count of authorised absence sessions: a number, or a symbol explained in the
            legend (c suppressed, low rounds to zero, x n/a, z n/a)
        date (datetime.date): The school day
        not_counted_sessions (int | str): Count of sessions outside possible sessions (closures #, Y3, Y4 and others): a
            number, or a symbol explained in the legend (c suppressed, low rounds to zero, x n/a, z n/a)
        overall_absence_rate (float | str): Overall absence, of possible sessions as a percentage: a number, or a symbol
            explained in the legend (c suppressed, low rounds to zero, x n/a, z n/a)
        possible_sessions (int | str): Count of possible sessions: a number, or a symbol explained in the legend (c
            suppressed, low rounds to zero, x n/a, z n/a)
        pupils (int | str): Count of pupils with a register that day: a number, or a symbol explained in the legend (c
            suppressed, low rounds to zero, x n/a, z n/a)
        schools_with_registers (int | str): Count of schools that sent registers that day: a number, or a symbol
            explained in the legend (c suppressed, low rounds to zero, x n/a, z n/a)
        unauthorised_sessions (int | str): Count of unauthorised absence sessions: a number, or a symbol explained in
            the legend (c suppressed, low rounds to zero, x n/a, z n/a)
    """

    attendance_of_all_sessions_rate: float | str
    attendance_rate: float | str
    attendance_sessions: int | str
    authorised_sessions: int | str
    date: datetime.date
    not_counted_sessions: int | str
    overall_absence_rate: float | str
    possible_sessions: int | str
    pupils: int | str
    schools_with_registers: int | str
    unauthorised_sessions: int | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        attendance_of_all_sessions_rate: float | str
        attendance_of_all_sessions_rate = self.attendance_of_all_sessions_rate

        attendance_rate: float | str
        attendance_rate = self.attendance_rate

        attendance_sessions: int | str
        attendance_sessions = self.attendance_sessions

        authorised_sessions: int | str
        authorised_sessions = self.authorised_sessions

        date = self.date.isoformat()

        not_counted_sessions: int | str
        not_counted_sessions = self.not_counted_sessions

        overall_absence_rate: float | str
        overall_absence_rate = self.overall_absence_rate

        possible_sessions: int | str
        possible_sessions = self.possible_sessions

        pupils: int | str
        pupils = self.pupils

        schools_with_registers: int | str
        schools_with_registers = self.schools_with_registers

        unauthorised_sessions: int | str
        unauthorised_sessions = self.unauthorised_sessions

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "attendance_of_all_sessions_rate": attendance_of_all_sessions_rate,
                "attendance_rate": attendance_rate,
                "attendance_sessions": attendance_sessions,
                "authorised_sessions": authorised_sessions,
                "date": date,
                "not_counted_sessions": not_counted_sessions,
                "overall_absence_rate": overall_absence_rate,
                "possible_sessions": possible_sessions,
                "pupils": pupils,
                "schools_with_registers": schools_with_registers,
                "unauthorised_sessions": unauthorised_sessions,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_attendance_of_all_sessions_rate(data: object) -> float | str:
            return cast(float | str, data)

        attendance_of_all_sessions_rate = _parse_attendance_of_all_sessions_rate(
            d.pop("attendance_of_all_sessions_rate")
        )

        def _parse_attendance_rate(data: object) -> float | str:
            return cast(float | str, data)

        attendance_rate = _parse_attendance_rate(d.pop("attendance_rate"))

        def _parse_attendance_sessions(data: object) -> int | str:
            return cast(int | str, data)

        attendance_sessions = _parse_attendance_sessions(d.pop("attendance_sessions"))

        def _parse_authorised_sessions(data: object) -> int | str:
            return cast(int | str, data)

        authorised_sessions = _parse_authorised_sessions(d.pop("authorised_sessions"))

        date = datetime.date.fromisoformat(d.pop("date"))

        def _parse_not_counted_sessions(data: object) -> int | str:
            return cast(int | str, data)

        not_counted_sessions = _parse_not_counted_sessions(d.pop("not_counted_sessions"))

        def _parse_overall_absence_rate(data: object) -> float | str:
            return cast(float | str, data)

        overall_absence_rate = _parse_overall_absence_rate(d.pop("overall_absence_rate"))

        def _parse_possible_sessions(data: object) -> int | str:
            return cast(int | str, data)

        possible_sessions = _parse_possible_sessions(d.pop("possible_sessions"))

        def _parse_pupils(data: object) -> int | str:
            return cast(int | str, data)

        pupils = _parse_pupils(d.pop("pupils"))

        def _parse_schools_with_registers(data: object) -> int | str:
            return cast(int | str, data)

        schools_with_registers = _parse_schools_with_registers(d.pop("schools_with_registers"))

        def _parse_unauthorised_sessions(data: object) -> int | str:
            return cast(int | str, data)

        unauthorised_sessions = _parse_unauthorised_sessions(d.pop("unauthorised_sessions"))

        daily_row = cls(
            attendance_of_all_sessions_rate=attendance_of_all_sessions_rate,
            attendance_rate=attendance_rate,
            attendance_sessions=attendance_sessions,
            authorised_sessions=authorised_sessions,
            date=date,
            not_counted_sessions=not_counted_sessions,
            overall_absence_rate=overall_absence_rate,
            possible_sessions=possible_sessions,
            pupils=pupils,
            schools_with_registers=schools_with_registers,
            unauthorised_sessions=unauthorised_sessions,
        )

        daily_row.additional_properties = d
        return daily_row

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
