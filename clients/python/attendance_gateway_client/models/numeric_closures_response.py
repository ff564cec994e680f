from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.measure_shape import MeasureShape, check_measure_shape
from ..models.measure_status import MeasureStatus, check_measure_status

if TYPE_CHECKING:
    from ..models.disclosure import Disclosure
    from ..models.governance import Governance
    from ..models.numeric_closure_school import NumericClosureSchool


T = TypeVar("T", bound="NumericClosuresResponse")


@_attrs_define
class NumericClosuresResponse:
    """
    Attributes:
        attendance_rate (float | None): Attendance of possible sessions, across the schools as a percentage: a number,
            or null with the reason in `attendance_rate_status`
        attendance_rate_status (MeasureStatus | None): Why `attendance_rate` is null: c suppressed, low rounds to zero
            but is not zero, x not available, z not applicable (no denominator); null when it is a number
        date (datetime.date): The day the closures are for
        disclosure (Disclosure):
        governance (Governance):
        measures (MeasureShape): How a JSON table gives its measures: numeric (number or null, status beside it) or
            symbols (deprecated: a suppressed measure is its symbol).
        schools (list[NumericClosureSchool]): Each school in scope, with its closure status and attendance rate
        schools_closed (int): Schools closed that day (every pupil's mark a closure code)
        schools_open (int): Schools open that day
        schools_partially_closed (int): Schools closed to some pupils that day
        schools_without_registers (int): Schools with no register received for that day
    """

    attendance_rate: float | None
    attendance_rate_status: MeasureStatus | None
    date: datetime.date
    disclosure: Disclosure
    governance: Governance
    measures: MeasureShape
    schools: list[NumericClosureSchool]
    schools_closed: int
    schools_open: int
    schools_partially_closed: int
    schools_without_registers: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        attendance_rate: float | None
        attendance_rate = self.attendance_rate

        attendance_rate_status: None | str
        if isinstance(self.attendance_rate_status, str):
            attendance_rate_status = self.attendance_rate_status
        else:
            attendance_rate_status = self.attendance_rate_status

        date = self.date.isoformat()

        disclosure = self.disclosure.to_dict()

        governance = self.governance.to_dict()

        measures: str = self.measures

        schools = []
        for schools_item_data in self.schools:
            schools_item = schools_item_data.to_dict()
            schools.append(schools_item)

        schools_closed = self.schools_closed

        schools_open = self.schools_open

        schools_partially_closed = self.schools_partially_closed

        schools_without_registers = self.schools_without_registers

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "attendance_rate": attendance_rate,
                "attendance_rate_status": attendance_rate_status,
                "date": date,
                "disclosure": disclosure,
                "governance": governance,
                "measures": measures,
                "schools": schools,
                "schools_closed": schools_closed,
                "schools_open": schools_open,
                "schools_partially_closed": schools_partially_closed,
                "schools_without_registers": schools_without_registers,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.disclosure import Disclosure  # noqa: PLC0415
        from ..models.governance import Governance  # noqa: PLC0415
        from ..models.numeric_closure_school import NumericClosureSchool  # noqa: PLC0415

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

        date = datetime.date.fromisoformat(d.pop("date"))

        disclosure = Disclosure.from_dict(d.pop("disclosure"))

        governance = Governance.from_dict(d.pop("governance"))

        measures = check_measure_shape(d.pop("measures"))

        schools = []
        _schools = d.pop("schools")
        for schools_item_data in _schools:
            schools_item = NumericClosureSchool.from_dict(schools_item_data)

            schools.append(schools_item)

        schools_closed = d.pop("schools_closed")

        schools_open = d.pop("schools_open")

        schools_partially_closed = d.pop("schools_partially_closed")

        schools_without_registers = d.pop("schools_without_registers")

        numeric_closures_response = cls(
            attendance_rate=attendance_rate,
            attendance_rate_status=attendance_rate_status,
            date=date,
            disclosure=disclosure,
            governance=governance,
            measures=measures,
            schools=schools,
            schools_closed=schools_closed,
            schools_open=schools_open,
            schools_partially_closed=schools_partially_closed,
            schools_without_registers=schools_without_registers,
        )

        numeric_closures_response.additional_properties = d
        return numeric_closures_response

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
