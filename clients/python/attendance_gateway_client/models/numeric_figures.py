from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.measure_status import MeasureStatus, check_measure_status

T = TypeVar("T", bound="NumericFigures")


@_attrs_define
class NumericFigures:
    """
    Attributes:
        attendance_rate (float | None): Sessions attended, of possible sessions (the official measure) as a percentage:
            a number, or null with the reason in `attendance_rate_status`
        attendance_rate_status (MeasureStatus | None): Why `attendance_rate` is null: c suppressed, low rounds to zero
            but is not zero, x not available, z not applicable (no denominator); null when it is a number
        authorised_absence_rate (float | None): Authorised absence, of possible sessions as a percentage: a number, or
            null with the reason in `authorised_absence_rate_status`
        authorised_absence_rate_status (MeasureStatus | None): Why `authorised_absence_rate` is null: c suppressed, low
            rounds to zero but is not zero, x not available, z not applicable (no denominator); null when it is a number
        enrolments (int | None): Count of pupils enrolled in the period: a number, or null with the reason in
            `enrolments_status`
        enrolments_status (MeasureStatus | None): Why `enrolments` is null: c suppressed, low rounds to zero but is not
            zero, x not available, z not applicable (no denominator); null when it is a number
        name (str): Name of the school or comparator group
        overall_absence_rate (float | None): Overall absence, of possible sessions as a percentage: a number, or null
            with the reason in `overall_absence_rate_status`
        overall_absence_rate_status (MeasureStatus | None): Why `overall_absence_rate` is null: c suppressed, low rounds
            to zero but is not zero, x not available, z not applicable (no denominator); null when it is a number
        persistent_absence_rate (float | None): Pupils missing 10% or more of possible sessions as a percentage: a
            number, or null with the reason in `persistent_absence_rate_status`
        persistent_absence_rate_status (MeasureStatus | None): Why `persistent_absence_rate` is null: c suppressed, low
            rounds to zero but is not zero, x not available, z not applicable (no denominator); null when it is a number
        possible_sessions (int | None): Count of possible sessions: a number, or null with the reason in
            `possible_sessions_status`
        possible_sessions_status (MeasureStatus | None): Why `possible_sessions` is null: c suppressed, low rounds to
            zero but is not zero, x not available, z not applicable (no denominator); null when it is a number
        schools (int | None): Count of schools: a number, or null with the reason in `schools_status`
        schools_status (MeasureStatus | None): Why `schools` is null: c suppressed, low rounds to zero but is not zero,
            x not available, z not applicable (no denominator); null when it is a number
        severe_absence_rate (float | None): Pupils missing 50% or more of possible sessions as a percentage: a number,
            or null with the reason in `severe_absence_rate_status`
        severe_absence_rate_status (MeasureStatus | None): Why `severe_absence_rate` is null: c suppressed, low rounds
            to zero but is not zero, x not available, z not applicable (no denominator); null when it is a number
        unauthorised_absence_rate (float | None): Unauthorised absence, of possible sessions as a percentage: a number,
            or null with the reason in `unauthorised_absence_rate_status`
        unauthorised_absence_rate_status (MeasureStatus | None): Why `unauthorised_absence_rate` is null: c suppressed,
            low rounds to zero but is not zero, x not available, z not applicable (no denominator); null when it is a number
    """

    attendance_rate: float | None
    attendance_rate_status: MeasureStatus | None
    authorised_absence_rate: float | None
    authorised_absence_rate_status: MeasureStatus | None
    enrolments: int | None
    enrolments_status: MeasureStatus | None
    name: str
    overall_absence_rate: float | None
    overall_absence_rate_status: MeasureStatus | None
    persistent_absence_rate: float | None
    persistent_absence_rate_status: MeasureStatus | None
    possible_sessions: int | None
    possible_sessions_status: MeasureStatus | None
    schools: int | None
    schools_status: MeasureStatus | None
    severe_absence_rate: float | None
    severe_absence_rate_status: MeasureStatus | None
    unauthorised_absence_rate: float | None
    unauthorised_absence_rate_status: MeasureStatus | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        attendance_rate: float | None
        attendance_rate = self.attendance_rate

        attendance_rate_status: None | str
        if isinstance(self.attendance_rate_status, str):
            attendance_rate_status = self.attendance_rate_status
        else:
            attendance_rate_status = self.attendance_rate_status

        authorised_absence_rate: float | None
        authorised_absence_rate = self.authorised_absence_rate

        authorised_absence_rate_status: None | str
        if isinstance(self.authorised_absence_rate_status, str):
            authorised_absence_rate_status = self.authorised_absence_rate_status
        else:
            authorised_absence_rate_status = self.authorised_absence_rate_status

        enrolments: int | None
        enrolments = self.enrolments

        enrolments_status: None | str
        if isinstance(self.enrolments_status, str):
            enrolments_status = self.enrolments_status
        else:
            enrolments_status = self.enrolments_status

        name = self.name

        overall_absence_rate: float | None
        overall_absence_rate = self.overall_absence_rate

        overall_absence_rate_status: None | str
        if isinstance(self.overall_absence_rate_status, str):
            overall_absence_rate_status = self.overall_absence_rate_status
        else:
            overall_absence_rate_status = self.overall_absence_rate_status

        persistent_absence_rate: float | None
        persistent_absence_rate = self.persistent_absence_rate

        persistent_absence_rate_status: None | str
        if isinstance(self.persistent_absence_rate_status, str):
            persistent_absence_rate_status = self.persistent_absence_rate_status
        else:
            persistent_absence_rate_status = self.persistent_absence_rate_status

        possible_sessions: int | None
        possible_sessions = self.possible_sessions

        possible_sessions_status: None | str
        if isinstance(self.possible_sessions_status, str):
            possible_sessions_status = self.possible_sessions_status
        else:
            possible_sessions_status = self.possible_sessions_status

        schools: int | None
        schools = self.schools

        schools_status: None | str
        if isinstance(self.schools_status, str):
            schools_status = self.schools_status
        else:
            schools_status = self.schools_status

        severe_absence_rate: float | None
        severe_absence_rate = self.severe_absence_rate

        severe_absence_rate_status: None | str
        if isinstance(self.severe_absence_rate_status, str):
            severe_absence_rate_status = self.severe_absence_rate_status
        else:
            severe_absence_rate_status = self.severe_absence_rate_status

        unauthorised_absence_rate: float | None
        unauthorised_absence_rate = self.unauthorised_absence_rate

        unauthorised_absence_rate_status: None | str
        if isinstance(self.unauthorised_absence_rate_status, str):
            unauthorised_absence_rate_status = self.unauthorised_absence_rate_status
        else:
            unauthorised_absence_rate_status = self.unauthorised_absence_rate_status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "attendance_rate": attendance_rate,
                "attendance_rate_status": attendance_rate_status,
                "authorised_absence_rate": authorised_absence_rate,
                "authorised_absence_rate_status": authorised_absence_rate_status,
                "enrolments": enrolments,
                "enrolments_status": enrolments_status,
                "name": name,
                "overall_absence_rate": overall_absence_rate,
                "overall_absence_rate_status": overall_absence_rate_status,
                "persistent_absence_rate": persistent_absence_rate,
                "persistent_absence_rate_status": persistent_absence_rate_status,
                "possible_sessions": possible_sessions,
                "possible_sessions_status": possible_sessions_status,
                "schools": schools,
                "schools_status": schools_status,
                "severe_absence_rate": severe_absence_rate,
                "severe_absence_rate_status": severe_absence_rate_status,
                "unauthorised_absence_rate": unauthorised_absence_rate,
                "unauthorised_absence_rate_status": unauthorised_absence_rate_status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

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

        def _parse_authorised_absence_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        authorised_absence_rate = _parse_authorised_absence_rate(d.pop("authorised_absence_rate"))

        def _parse_authorised_absence_rate_status(data: object) -> MeasureStatus | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                authorised_absence_rate_status_type_0 = check_measure_status(data)

                return authorised_absence_rate_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MeasureStatus | None, data)

        authorised_absence_rate_status = _parse_authorised_absence_rate_status(d.pop("authorised_absence_rate_status"))

        def _parse_enrolments(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        enrolments = _parse_enrolments(d.pop("enrolments"))

        def _parse_enrolments_status(data: object) -> MeasureStatus | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                enrolments_status_type_0 = check_measure_status(data)

                return enrolments_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MeasureStatus | None, data)

        enrolments_status = _parse_enrolments_status(d.pop("enrolments_status"))

        name = d.pop("name")

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

        def _parse_persistent_absence_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        persistent_absence_rate = _parse_persistent_absence_rate(d.pop("persistent_absence_rate"))

        def _parse_persistent_absence_rate_status(data: object) -> MeasureStatus | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                persistent_absence_rate_status_type_0 = check_measure_status(data)

                return persistent_absence_rate_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MeasureStatus | None, data)

        persistent_absence_rate_status = _parse_persistent_absence_rate_status(d.pop("persistent_absence_rate_status"))

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

        def _parse_schools(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        schools = _parse_schools(d.pop("schools"))

        def _parse_schools_status(data: object) -> MeasureStatus | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                schools_status_type_0 = check_measure_status(data)

                return schools_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MeasureStatus | None, data)

        schools_status = _parse_schools_status(d.pop("schools_status"))

        def _parse_severe_absence_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        severe_absence_rate = _parse_severe_absence_rate(d.pop("severe_absence_rate"))

        def _parse_severe_absence_rate_status(data: object) -> MeasureStatus | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                severe_absence_rate_status_type_0 = check_measure_status(data)

                return severe_absence_rate_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MeasureStatus | None, data)

        severe_absence_rate_status = _parse_severe_absence_rate_status(d.pop("severe_absence_rate_status"))

        def _parse_unauthorised_absence_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        unauthorised_absence_rate = _parse_unauthorised_absence_rate(d.pop("unauthorised_absence_rate"))

        def _parse_unauthorised_absence_rate_status(data: object) -> MeasureStatus | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                unauthorised_absence_rate_status_type_0 = check_measure_status(data)

                return unauthorised_absence_rate_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MeasureStatus | None, data)

        unauthorised_absence_rate_status = _parse_unauthorised_absence_rate_status(
            d.pop("unauthorised_absence_rate_status")
        )

        numeric_figures = cls(
            attendance_rate=attendance_rate,
            attendance_rate_status=attendance_rate_status,
            authorised_absence_rate=authorised_absence_rate,
            authorised_absence_rate_status=authorised_absence_rate_status,
            enrolments=enrolments,
            enrolments_status=enrolments_status,
            name=name,
            overall_absence_rate=overall_absence_rate,
            overall_absence_rate_status=overall_absence_rate_status,
            persistent_absence_rate=persistent_absence_rate,
            persistent_absence_rate_status=persistent_absence_rate_status,
            possible_sessions=possible_sessions,
            possible_sessions_status=possible_sessions_status,
            schools=schools,
            schools_status=schools_status,
            severe_absence_rate=severe_absence_rate,
            severe_absence_rate_status=severe_absence_rate_status,
            unauthorised_absence_rate=unauthorised_absence_rate,
            unauthorised_absence_rate_status=unauthorised_absence_rate_status,
        )

        numeric_figures.additional_properties = d
        return numeric_figures

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
