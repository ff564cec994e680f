from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.summary_row_code_rates_type_0 import SummaryRowCodeRatesType0


T = TypeVar("T", bound="SummaryRow")


@_attrs_define
class SummaryRow:
    """
    Attributes:
        absence_sessions (int | str): Count of absence sessions (authorised and unauthorised): a number, or a symbol
            explained in the legend (c suppressed, low rounds to zero, x n/a, z n/a)
        area_id (str): Identifier of the area: E92000001 England, the region's name, the DfE LA code, the school's URN
            or the trust's id
        area_name (str): Name of the area
        attendance_rate (float | str): Sessions attended, of possible sessions (the official measure) as a percentage: a
            number, or a symbol explained in the legend (c suppressed, low rounds to zero, x n/a, z n/a)
        attendance_sessions (int | str): Count of sessions attended: a number, or a symbol explained in the legend (c
            suppressed, low rounds to zero, x n/a, z n/a)
        authorised_absence_rate (float | str): Authorised absence, of possible sessions as a percentage: a number, or a
            symbol explained in the legend (c suppressed, low rounds to zero, x n/a, z n/a)
        authorised_sessions (int | str): Count of authorised absence sessions: a number, or a symbol explained in the
            legend (c suppressed, low rounds to zero, x n/a, z n/a)
        enrolments (int | str): Count of pupils enrolled in the period: a number, or a symbol explained in the legend (c
            suppressed, low rounds to zero, x n/a, z n/a)
        group (None | str): The pupil group of the row; null for the area's total
        gss_code (None | str): The area's GSS (ONS) code: E92000001 England, E12 regions, E06/E07/E08/E09/E10 local
            authorities; null for schools and trusts
        level (str): The unit of the row: national, region, la, school or trust
        overall_absence_rate (float | str): Overall absence, of possible sessions as a percentage: a number, or a symbol
            explained in the legend (c suppressed, low rounds to zero, x n/a, z n/a)
        parent_id (None | str): Identifier of the area one level up (the same kind of id as area_id); null at the top
        persistent_absence_rate (float | str): Pupils missing 10% or more of possible sessions as a percentage: a
            number, or a symbol explained in the legend (c suppressed, low rounds to zero, x n/a, z n/a)
        persistent_absentees (int | str): Count of pupils missing 10% or more of possible sessions: a number, or a
            symbol explained in the legend (c suppressed, low rounds to zero, x n/a, z n/a)
        possible_sessions (int | str): Count of possible sessions: a number, or a symbol explained in the legend (c
            suppressed, low rounds to zero, x n/a, z n/a)
        severe_absence_rate (float | str): Pupils missing 50% or more of possible sessions as a percentage: a number, or
            a symbol explained in the legend (c suppressed, low rounds to zero, x n/a, z n/a)
        severe_absentees (int | str): Count of pupils missing 50% or more of possible sessions: a number, or a symbol
            explained in the legend (c suppressed, low rounds to zero, x n/a, z n/a)
        unauthorised_absence_rate (float | str): Unauthorised absence, of possible sessions as a percentage: a number,
            or a symbol explained in the legend (c suppressed, low rounds to zero, x n/a, z n/a)
        unauthorised_sessions (int | str): Count of unauthorised absence sessions: a number, or a symbol explained in
            the legend (c suppressed, low rounds to zero, x n/a, z n/a)
        code_rates (None | SummaryRowCodeRatesType0 | Unset): Rate of each attendance code, of possible sessions (with
            by_code=true); null otherwise
    """

    absence_sessions: int | str
    area_id: str
    area_name: str
    attendance_rate: float | str
    attendance_sessions: int | str
    authorised_absence_rate: float | str
    authorised_sessions: int | str
    enrolments: int | str
    group: None | str
    gss_code: None | str
    level: str
    overall_absence_rate: float | str
    parent_id: None | str
    persistent_absence_rate: float | str
    persistent_absentees: int | str
    possible_sessions: int | str
    severe_absence_rate: float | str
    severe_absentees: int | str
    unauthorised_absence_rate: float | str
    unauthorised_sessions: int | str
    code_rates: None | SummaryRowCodeRatesType0 | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.summary_row_code_rates_type_0 import SummaryRowCodeRatesType0  # noqa: PLC0415

        absence_sessions: int | str
        absence_sessions = self.absence_sessions

        area_id = self.area_id

        area_name = self.area_name

        attendance_rate: float | str
        attendance_rate = self.attendance_rate

        attendance_sessions: int | str
        attendance_sessions = self.attendance_sessions

        authorised_absence_rate: float | str
        authorised_absence_rate = self.authorised_absence_rate

        authorised_sessions: int | str
        authorised_sessions = self.authorised_sessions

        enrolments: int | str
        enrolments = self.enrolments

        group: None | str
        group = self.group

        gss_code: None | str
        gss_code = self.gss_code

        level = self.level

        overall_absence_rate: float | str
        overall_absence_rate = self.overall_absence_rate

        parent_id: None | str
        parent_id = self.parent_id

        persistent_absence_rate: float | str
        persistent_absence_rate = self.persistent_absence_rate

        persistent_absentees: int | str
        persistent_absentees = self.persistent_absentees

        possible_sessions: int | str
        possible_sessions = self.possible_sessions

        severe_absence_rate: float | str
        severe_absence_rate = self.severe_absence_rate

        severe_absentees: int | str
        severe_absentees = self.severe_absentees

        unauthorised_absence_rate: float | str
        unauthorised_absence_rate = self.unauthorised_absence_rate

        unauthorised_sessions: int | str
        unauthorised_sessions = self.unauthorised_sessions

        code_rates: dict[str, Any] | None | Unset
        if isinstance(self.code_rates, Unset):
            code_rates = UNSET
        elif isinstance(self.code_rates, SummaryRowCodeRatesType0):
            code_rates = self.code_rates.to_dict()
        else:
            code_rates = self.code_rates

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "absence_sessions": absence_sessions,
                "area_id": area_id,
                "area_name": area_name,
                "attendance_rate": attendance_rate,
                "attendance_sessions": attendance_sessions,
                "authorised_absence_rate": authorised_absence_rate,
                "authorised_sessions": authorised_sessions,
                "enrolments": enrolments,
                "group": group,
                "gss_code": gss_code,
                "level": level,
                "overall_absence_rate": overall_absence_rate,
                "parent_id": parent_id,
                "persistent_absence_rate": persistent_absence_rate,
                "persistent_absentees": persistent_absentees,
                "possible_sessions": possible_sessions,
                "severe_absence_rate": severe_absence_rate,
                "severe_absentees": severe_absentees,
                "unauthorised_absence_rate": unauthorised_absence_rate,
                "unauthorised_sessions": unauthorised_sessions,
            }
        )
        if code_rates is not UNSET:
            field_dict["code_rates"] = code_rates

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.summary_row_code_rates_type_0 import SummaryRowCodeRatesType0  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_absence_sessions(data: object) -> int | str:
            return cast(int | str, data)

        absence_sessions = _parse_absence_sessions(d.pop("absence_sessions"))

        area_id = d.pop("area_id")

        area_name = d.pop("area_name")

        def _parse_attendance_rate(data: object) -> float | str:
            return cast(float | str, data)

        attendance_rate = _parse_attendance_rate(d.pop("attendance_rate"))

        def _parse_attendance_sessions(data: object) -> int | str:
            return cast(int | str, data)

        attendance_sessions = _parse_attendance_sessions(d.pop("attendance_sessions"))

        def _parse_authorised_absence_rate(data: object) -> float | str:
            return cast(float | str, data)

        authorised_absence_rate = _parse_authorised_absence_rate(d.pop("authorised_absence_rate"))

        def _parse_authorised_sessions(data: object) -> int | str:
            return cast(int | str, data)

        authorised_sessions = _parse_authorised_sessions(d.pop("authorised_sessions"))

        def _parse_enrolments(data: object) -> int | str:
            return cast(int | str, data)

        enrolments = _parse_enrolments(d.pop("enrolments"))

        def _parse_group(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        group = _parse_group(d.pop("group"))

        def _parse_gss_code(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        gss_code = _parse_gss_code(d.pop("gss_code"))

        level = d.pop("level")

        def _parse_overall_absence_rate(data: object) -> float | str:
            return cast(float | str, data)

        overall_absence_rate = _parse_overall_absence_rate(d.pop("overall_absence_rate"))

        def _parse_parent_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        parent_id = _parse_parent_id(d.pop("parent_id"))

        def _parse_persistent_absence_rate(data: object) -> float | str:
            return cast(float | str, data)

        persistent_absence_rate = _parse_persistent_absence_rate(d.pop("persistent_absence_rate"))

        def _parse_persistent_absentees(data: object) -> int | str:
            return cast(int | str, data)

        persistent_absentees = _parse_persistent_absentees(d.pop("persistent_absentees"))

        def _parse_possible_sessions(data: object) -> int | str:
            return cast(int | str, data)

        possible_sessions = _parse_possible_sessions(d.pop("possible_sessions"))

        def _parse_severe_absence_rate(data: object) -> float | str:
            return cast(float | str, data)

        severe_absence_rate = _parse_severe_absence_rate(d.pop("severe_absence_rate"))

        def _parse_severe_absentees(data: object) -> int | str:
            return cast(int | str, data)

        severe_absentees = _parse_severe_absentees(d.pop("severe_absentees"))

        def _parse_unauthorised_absence_rate(data: object) -> float | str:
            return cast(float | str, data)

        unauthorised_absence_rate = _parse_unauthorised_absence_rate(d.pop("unauthorised_absence_rate"))

        def _parse_unauthorised_sessions(data: object) -> int | str:
            return cast(int | str, data)

        unauthorised_sessions = _parse_unauthorised_sessions(d.pop("unauthorised_sessions"))

        def _parse_code_rates(data: object) -> None | SummaryRowCodeRatesType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                code_rates_type_0 = SummaryRowCodeRatesType0.from_dict(data)

                return code_rates_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SummaryRowCodeRatesType0 | Unset, data)

        code_rates = _parse_code_rates(d.pop("code_rates", UNSET))

        summary_row = cls(
            absence_sessions=absence_sessions,
            area_id=area_id,
            area_name=area_name,
            attendance_rate=attendance_rate,
            attendance_sessions=attendance_sessions,
            authorised_absence_rate=authorised_absence_rate,
            authorised_sessions=authorised_sessions,
            enrolments=enrolments,
            group=group,
            gss_code=gss_code,
            level=level,
            overall_absence_rate=overall_absence_rate,
            parent_id=parent_id,
            persistent_absence_rate=persistent_absence_rate,
            persistent_absentees=persistent_absentees,
            possible_sessions=possible_sessions,
            severe_absence_rate=severe_absence_rate,
            severe_absentees=severe_absentees,
            unauthorised_absence_rate=unauthorised_absence_rate,
            unauthorised_sessions=unauthorised_sessions,
            code_rates=code_rates,
        )

        summary_row.additional_properties = d
        return summary_row

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
