from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Figures")


@_attrs_define
class Figures:
    """
    Attributes:
        attendance_rate (float | str): Sessions attended, of possible sessions (the official measure) as a percentage: a
            number, or a symbol explained in the legend (c suppressed, low rounds to zero, x n/a, z n/a)
        authorised_absence_rate (float | str): Authorised absence, of possible sessions as a percentage: a number, or a
            symbol explained in the legend (c suppressed, low rounds to zero, x n/a, z n/a)
        enrolments (int | str): Count of pupils enrolled in the period: a number, or a symbol explained in the legend (c
            suppressed, low rounds to zero, x n/a, z n/a)
        name (str): Name of the school or comparator group
        overall_absence_rate (float | str): Overall absence, of possible sessions as a percentage: a number, or a symbol
            explained in the legend (c suppressed, low rounds to zero, x n/a, z n/a)
        persistent_absence_rate (float | str): Pupils missing 10% or more of possible sessions as a percentage: a
            number, or a symbol explained in the legend (c suppressed, low rounds to zero, x n/a, z n/a)
        possible_sessions (int | str): Count of possible sessions: a number, or a symbol explained in the legend (c
            suppressed, low rounds to zero, x n/a, z n/a)
        schools (int | str): Count of schools: a number, or a symbol explained in the legend (c suppressed, low rounds
            to zero, x n/a, z n/a)
        severe_absence_rate (float | str): Pupils missing 50% or more of possible sessions as a percentage: a number, or
            a symbol explained in the legend (c suppressed, low rounds to zero, x n/a, z n/a)
        unauthorised_absence_rate (float | str): Unauthorised absence, of possible sessions as a percentage: a number,
            or a symbol explained in the legend (c suppressed, low rounds to zero, x n/a, z n/a)
    """

    attendance_rate: float | str
    authorised_absence_rate: float | str
    enrolments: int | str
    name: str
    overall_absence_rate: float | str
    persistent_absence_rate: float | str
    possible_sessions: int | str
    schools: int | str
    severe_absence_rate: float | str
    unauthorised_absence_rate: float | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        attendance_rate: float | str
        attendance_rate = self.attendance_rate

        authorised_absence_rate: float | str
        authorised_absence_rate = self.authorised_absence_rate

        enrolments: int | str
        enrolments = self.enrolments

        name = self.name

        overall_absence_rate: float | str
        overall_absence_rate = self.overall_absence_rate

        persistent_absence_rate: float | str
        persistent_absence_rate = self.persistent_absence_rate

        possible_sessions: int | str
        possible_sessions = self.possible_sessions

        schools: int | str
        schools = self.schools

        severe_absence_rate: float | str
        severe_absence_rate = self.severe_absence_rate

        unauthorised_absence_rate: float | str
        unauthorised_absence_rate = self.unauthorised_absence_rate

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "attendance_rate": attendance_rate,
                "authorised_absence_rate": authorised_absence_rate,
                "enrolments": enrolments,
                "name": name,
                "overall_absence_rate": overall_absence_rate,
                "persistent_absence_rate": persistent_absence_rate,
                "possible_sessions": possible_sessions,
                "schools": schools,
                "severe_absence_rate": severe_absence_rate,
                "unauthorised_absence_rate": unauthorised_absence_rate,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_attendance_rate(data: object) -> float | str:
            return cast(float | str, data)

        attendance_rate = _parse_attendance_rate(d.pop("attendance_rate"))

        def _parse_authorised_absence_rate(data: object) -> float | str:
            return cast(float | str, data)

        authorised_absence_rate = _parse_authorised_absence_rate(d.pop("authorised_absence_rate"))

        def _parse_enrolments(data: object) -> int | str:
            return cast(int | str, data)

        enrolments = _parse_enrolments(d.pop("enrolments"))

        name = d.pop("name")

        def _parse_overall_absence_rate(data: object) -> float | str:
            return cast(float | str, data)

        overall_absence_rate = _parse_overall_absence_rate(d.pop("overall_absence_rate"))

        def _parse_persistent_absence_rate(data: object) -> float | str:
            return cast(float | str, data)

        persistent_absence_rate = _parse_persistent_absence_rate(d.pop("persistent_absence_rate"))

        def _parse_possible_sessions(data: object) -> int | str:
            return cast(int | str, data)

        possible_sessions = _parse_possible_sessions(d.pop("possible_sessions"))

        def _parse_schools(data: object) -> int | str:
            return cast(int | str, data)

        schools = _parse_schools(d.pop("schools"))

        def _parse_severe_absence_rate(data: object) -> float | str:
            return cast(float | str, data)

        severe_absence_rate = _parse_severe_absence_rate(d.pop("severe_absence_rate"))

        def _parse_unauthorised_absence_rate(data: object) -> float | str:
            return cast(float | str, data)

        unauthorised_absence_rate = _parse_unauthorised_absence_rate(d.pop("unauthorised_absence_rate"))

        figures = cls(
            attendance_rate=attendance_rate,
            authorised_absence_rate=authorised_absence_rate,
            enrolments=enrolments,
            name=name,
            overall_absence_rate=overall_absence_rate,
            persistent_absence_rate=persistent_absence_rate,
            possible_sessions=possible_sessions,
            schools=schools,
            severe_absence_rate=severe_absence_rate,
            unauthorised_absence_rate=unauthorised_absence_rate,
        )

        figures.additional_properties = d
        return figures

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
