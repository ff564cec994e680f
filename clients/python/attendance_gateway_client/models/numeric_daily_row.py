from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.measure_status import MeasureStatus, check_measure_status

T = TypeVar("T", bound="NumericDailyRow")


@_attrs_define
class NumericDailyRow:
    """
    Attributes:
        attendance_of_all_sessions_rate (float | None): Sessions attended, of every session marked (closures included:
            pupils in school) as a percentage: a number, or null with the reason in `attendance_of_all_sessions_rate_status`
        attendance_of_all_sessions_rate_status (MeasureStatus | None): Why `attendance_of_all_sessions_rate` is null: c
            suppressed, low rounds to zero but is not zero, x not available, z not applicable (no denominator); null when it
            is a number
        attendance_rate (float | None): Sessions attended, of possible sessions (the official measure) as a percentage:
            a number, or null with the reason in `attendance_rate_status`
        attendance_rate_status (MeasureStatus | None): Why `attendance_rate` is null: c suppressed, low rounds to zero
            but is not zero, x not available, z not applicable (no denominator); null when it is a number
        attendance_sessions (int | None): Count of sessions attended: a number, or null with the reason in
            `attendance_sessions_status`
        attendance_sessions_status (MeasureStatus | None): Why `attendance_sessions` is null: c suppressed, low rounds
            to zero but is not zero, x not available, z not applicable (no denominator); null when it is a number
        authorised_sessions (int | None): Count of authorised absence sessions: a number, or null with the reason in
            `authorised_sessions_status`
        authorised_sessions_status (MeasureStatus | None): Why `authorised_sessions` is null: c suppressed, low rounds
            to zero but is not zero, x not available, z not applicable (no denominator); null when it is a number
        date (datetime.date): The school day
        not_counted_sessions (int | None): Count of sessions outside possible sessions (closures #, Y3, Y4 and others):
            a number, or null with the reason in `not_counted_sessions_status`
        not_counted_sessions_status (MeasureStatus | None): Why `not_counted_sessions` is null: c suppressed, low rounds
            to zero but is not zero, x not available, z not applicable (no denominator); null when it is a number
        overall_absence_rate (float | None): Overall absence, of possible sessions as a percentage: a number, or null
            with the reason in `overall_absence_rate_status`
        overall_absence_rate_status (MeasureStatus | None): Why `overall_absence_rate` is null: c suppressed, low rounds
            to zero but is not zero, x not available, z not applicable (no denominator); null when it is a number
        possible_sessions (int | None): Count of possible sessions: a number, or null with the reason in
            `possible_sessions_status`
        possible_sessions_status (MeasureStatus | None): Why `possible_sessions` is null: c suppressed, low rounds to
            zero but is not zero, x not available, z not applicable (no denominator); null when it is a number
        pupils (int | None): Count of pupils with a register that day: a number, or null with the reason in
            `pupils_status`
        pupils_status (MeasureStatus | None): Why `pupils` is null: c suppressed, low rounds to zero but is not zero, x
            not available, z not applicable (no denominator); null when it is a number
        schools_with_registers (int | None): Count of schools that sent registers that day: a number, or null with the
            reason in `schools_with_registers_status`
        schools_with_registers_status (MeasureStatus | None): Why `schools_with_registers` is null: c suppressed, low
            rounds to zero but is not zero, x not available, z not applicable (no denominator); null when it is a number
        unauthorised_sessions (int | None): Count of unauthorised absence sessions: a number, or null with the reason in
            `unauthorised_sessions_status`
        unauthorised_sessions_status (MeasureStatus | None): Why `unauthorised_sessions` is null: c suppressed, low
            rounds to zero but is not zero, x not available, z not applicable (no denominator); null when it is a number
    """

    attendance_of_all_sessions_rate: float | None
    attendance_of_all_sessions_rate_status: MeasureStatus | None
    attendance_rate: float | None
    attendance_rate_status: MeasureStatus | None
    attendance_sessions: int | None
    attendance_sessions_status: MeasureStatus | None
    authorised_sessions: int | None
    authorised_sessions_status: MeasureStatus | None
    date: datetime.date
    not_counted_sessions: int | None
    not_counted_sessions_status: MeasureStatus | None
    overall_absence_rate: float | None
    overall_absence_rate_status: MeasureStatus | None
    possible_sessions: int | None
    possible_sessions_status: MeasureStatus | None
    pupils: int | None
    pupils_status: MeasureStatus | None
    schools_with_registers: int | None
    schools_with_registers_status: MeasureStatus | None
    unauthorised_sessions: int | None
    unauthorised_sessions_status: MeasureStatus | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        attendance_of_all_sessions_rate: float | None
        attendance_of_all_sessions_rate = self.attendance_of_all_sessions_rate

        attendance_of_all_sessions_rate_status: None | str
        if isinstance(self.attendance_of_all_sessions_rate_status, str):
            attendance_of_all_sessions_rate_status = self.attendance_of_all_sessions_rate_status
        else:
            attendance_of_all_sessions_rate_status = self.attendance_of_all_sessions_rate_status

        attendance_rate: float | None
        attendance_rate = self.attendance_rate

        attendance_rate_status: None | str
        if isinstance(self.attendance_rate_status, str):
            attendance_rate_status = self.attendance_rate_status
        else:
            attendance_rate_status = self.attendance_rate_status

        attendance_sessions: int | None
        attendance_sessions = self.attendance_sessions

        attendance_sessions_status: None | str
        if isinstance(self.attendance_sessions_status, str):
            attendance_sessions_status = self.attendance_sessions_status
        else:
            attendance_sessions_status = self.attendance_sessions_status

        authorised_sessions: int | None
        authorised_sessions = self.authorised_sessions

        authorised_sessions_status: None | str
        if isinstance(self.authorised_sessions_status, str):
            authorised_sessions_status = self.authorised_sessions_status
        else:
            authorised_sessions_status = self.authorised_sessions_status

        date = self.date.isoformat()

        not_counted_sessions: int | None
        not_counted_sessions = self.not_counted_sessions

        not_counted_sessions_status: None | str
        if isinstance(self.not_counted_sessions_status, str):
            not_counted_sessions_status = self.not_counted_sessions_status
        else:
            not_counted_sessions_status = self.not_counted_sessions_status

        overall_absence_rate: float | None
        overall_absence_rate = self.overall_absence_rate

        overall_absence_rate_status: None | str
        if isinstance(self.overall_absence_rate_status, str):
            overall_absence_rate_status = self.overall_absence_rate_status
        else:
            overall_absence_rate_status = self.overall_absence_rate_status

        possible_sessions: int | None
        possible_sessions = self.possible_sessions

        possible_sessions_status: None | str
        if isinstance(self.possible_sessions_status, str):
            possible_sessions_status = self.possible_sessions_status
        else:
            possible_sessions_status = self.possible_sessions_status

        pupils: int | None
        pupils = self.pupils

        pupils_status: None | str
        if isinstance(self.pupils_status, str):
            pupils_status = self.pupils_status
        else:
            pupils_status = self.pupils_status

        schools_with_registers: int | None
        schools_with_registers = self.schools_with_registers

        schools_with_registers_status: None | str
        if isinstance(self.schools_with_registers_status, str):
            schools_with_registers_status = self.schools_with_registers_status
        else:
            schools_with_registers_status = self.schools_with_registers_status

        unauthorised_sessions: int | None
        unauthorised_sessions = self.unauthorised_sessions

        unauthorised_sessions_status: None | str
        if isinstance(self.unauthorised_sessions_status, str):
            unauthorised_sessions_status = self.unauthorised_sessions_status
        else:
            unauthorised_sessions_status = self.unauthorised_sessions_status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "attendance_of_all_sessions_rate": attendance_of_all_sessions_rate,
                "attendance_of_all_sessions_rate_status": attendance_of_all_sessions_rate_status,
                "attendance_rate": attendance_rate,
                "attendance_rate_status": attendance_rate_status,
                "attendance_sessions": attendance_sessions,
                "attendance_sessions_status": attendance_sessions_status,
                "authorised_sessions": authorised_sessions,
                "authorised_sessions_status": authorised_sessions_status,
                "date": date,
                "not_counted_sessions": not_counted_sessions,
                "not_counted_sessions_status": not_counted_sessions_status,
                "overall_absence_rate": overall_absence_rate,
                "overall_absence_rate_status": overall_absence_rate_status,
                "possible_sessions": possible_sessions,
                "possible_sessions_status": possible_sessions_status,
                "pupils": pupils,
                "pupils_status": pupils_status,
                "schools_with_registers": schools_with_registers,
                "schools_with_registers_status": schools_with_registers_status,
                "unauthorised_sessions": unauthorised_sessions,
                "unauthorised_sessions_status": unauthorised_sessions_status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_attendance_of_all_sessions_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        attendance_of_all_sessions_rate = _parse_attendance_of_all_sessions_rate(
            d.pop("attendance_of_all_sessions_rate")
        )

        def _parse_attendance_of_all_sessions_rate_status(data: object) -> MeasureStatus | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                attendance_of_all_sessions_rate_status_type_0 = check_measure_status(data)

                return attendance_of_all_sessions_rate_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MeasureStatus | None, data)

        attendance_of_all_sessions_rate_status = _parse_attendance_of_all_sessions_rate_status(
            d.pop("attendance_of_all_sessions_rate_status")
        )

        def _parse_attendance_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        attendance_rate = _parse_attendance_rate(d.pop("attendance_rate"))

        def _parse_attendance_rate_status(data: object) -> MeasureStatus | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                attendance_rate_status_type_0 = check_measure_status(data)

                return attendance_rate_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MeasureStatus | None, data)

        attendance_rate_status = _parse_attendance_rate_status(d.pop("attendance_rate_status"))

        def _parse_attendance_sessions(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        attendance_sessions = _parse_attendance_sessions(d.pop("attendance_sessions"))

        def _parse_attendance_sessions_status(data: object) -> MeasureStatus | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                attendance_sessions_status_type_0 = check_measure_status(data)

                return attendance_sessions_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MeasureStatus | None, data)

        attendance_sessions_status = _parse_attendance_sessions_status(d.pop("attendance_sessions_status"))

        def _parse_authorised_sessions(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        authorised_sessions = _parse_authorised_sessions(d.pop("authorised_sessions"))

        def _parse_authorised_sessions_status(data: object) -> MeasureStatus | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                authorised_sessions_status_type_0 = check_measure_status(data)

                return authorised_sessions_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MeasureStatus | None, data)

        authorised_sessions_status = _parse_authorised_sessions_status(d.pop("authorised_sessions_status"))

        date = datetime.date.fromisoformat(d.pop("date"))

        def _parse_not_counted_sessions(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        not_counted_sessions = _parse_not_counted_sessions(d.pop("not_counted_sessions"))

        def _parse_not_counted_sessions_status(data: object) -> MeasureStatus | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                not_counted_sessions_status_type_0 = check_measure_status(data)

                return not_counted_sessions_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MeasureStatus | None, data)

        not_counted_sessions_status = _parse_not_counted_sessions_status(d.pop("not_counted_sessions_status"))

        def _parse_overall_absence_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        overall_absence_rate = _parse_overall_absence_rate(d.pop("overall_absence_rate"))

        def _parse_overall_absence_rate_status(data: object) -> MeasureStatus | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                overall_absence_rate_status_type_0 = check_measure_status(data)

                return overall_absence_rate_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MeasureStatus | None, data)

        overall_absence_rate_status = _parse_overall_absence_rate_status(d.pop("overall_absence_rate_status"))

        def _parse_possible_sessions(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        possible_sessions = _parse_possible_sessions(d.pop("possible_sessions"))

        def _parse_possible_sessions_status(data: object) -> MeasureStatus | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                possible_sessions_status_type_0 = check_measure_status(data)

                return possible_sessions_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MeasureStatus | None, data)

        possible_sessions_status = _parse_possible_sessions_status(d.pop("possible_sessions_status"))

        def _parse_pupils(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        pupils = _parse_pupils(d.pop("pupils"))

        def _parse_pupils_status(data: object) -> MeasureStatus | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                pupils_status_type_0 = check_measure_status(data)

                return pupils_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MeasureStatus | None, data)

        pupils_status = _parse_pupils_status(d.pop("pupils_status"))

        def _parse_schools_with_registers(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        schools_with_registers = _parse_schools_with_registers(d.pop("schools_with_registers"))

        def _parse_schools_with_registers_status(data: object) -> MeasureStatus | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                schools_with_registers_status_type_0 = check_measure_status(data)

                return schools_with_registers_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MeasureStatus | None, data)

        schools_with_registers_status = _parse_schools_with_registers_status(d.pop("schools_with_registers_status"))

        def _parse_unauthorised_sessions(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        unauthorised_sessions = _parse_unauthorised_sessions(d.pop("unauthorised_sessions"))

        def _parse_unauthorised_sessions_status(data: object) -> MeasureStatus | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                unauthorised_sessions_status_type_0 = check_measure_status(data)

                return unauthorised_sessions_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MeasureStatus | None, data)

        unauthorised_sessions_status = _parse_unauthorised_sessions_status(d.pop("unauthorised_sessions_status"))

        numeric_daily_row = cls(
            attendance_of_all_sessions_rate=attendance_of_all_sessions_rate,
            attendance_of_all_sessions_rate_status=attendance_of_all_sessions_rate_status,
            attendance_rate=attendance_rate,
            attendance_rate_status=attendance_rate_status,
            attendance_sessions=attendance_sessions,
            attendance_sessions_status=attendance_sessions_status,
            authorised_sessions=authorised_sessions,
            authorised_sessions_status=authorised_sessions_status,
            date=date,
            not_counted_sessions=not_counted_sessions,
            not_counted_sessions_status=not_counted_sessions_status,
            overall_absence_rate=overall_absence_rate,
            overall_absence_rate_status=overall_absence_rate_status,
            possible_sessions=possible_sessions,
            possible_sessions_status=possible_sessions_status,
            pupils=pupils,
            pupils_status=pupils_status,
            schools_with_registers=schools_with_registers,
            schools_with_registers_status=schools_with_registers_status,
            unauthorised_sessions=unauthorised_sessions,
            unauthorised_sessions_status=unauthorised_sessions_status,
        )

        numeric_daily_row.additional_properties = d
        return numeric_daily_row

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
