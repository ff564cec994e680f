from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.measure_status import MeasureStatus, check_measure_status

T = TypeVar("T", bound="NumericClosureSchool")


@_attrs_define
class NumericClosureSchool:
    """
    Attributes:
        attendance_rate (float | None): Sessions attended, of possible sessions (the official measure) as a percentage:
            a number, or null with the reason in `attendance_rate_status`
        attendance_rate_status (MeasureStatus | None): Why `attendance_rate` is null: c suppressed, low rounds to zero
            but is not zero, x not available, z not applicable (no denominator); null when it is a number
        la_code (int): Local authority code (three digits)
        name (str): School name
        phase (str): School phase: primary, secondary or special
        status (str): open, partially_closed, closed or no_register
        urn (int): School URN (unique reference number)
    """

    attendance_rate: float | None
    attendance_rate_status: MeasureStatus | None
    la_code: int
    name: str
    phase: str
    status: str
    urn: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        attendance_rate: float | None
        attendance_rate = self.attendance_rate

        attendance_rate_status: None | str
        if isinstance(self.attendance_rate_status, str):
            attendance_rate_status = self.attendance_rate_status
        else:
            attendance_rate_status = self.attendance_rate_status

        la_code = self.la_code

        name = self.name

        phase = self.phase

        status = self.status

        urn = self.urn

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "attendance_rate": attendance_rate,
                "attendance_rate_status": attendance_rate_status,
                "la_code": la_code,
                "name": name,
                "phase": phase,
                "status": status,
                "urn": urn,
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

        la_code = d.pop("la_code")

        name = d.pop("name")

        phase = d.pop("phase")

        status = d.pop("status")

        urn = d.pop("urn")

        numeric_closure_school = cls(
            attendance_rate=attendance_rate,
            attendance_rate_status=attendance_rate_status,
            la_code=la_code,
            name=name,
            phase=phase,
            status=status,
            urn=urn,
        )

        numeric_closure_school.additional_properties = d
        return numeric_closure_school

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
