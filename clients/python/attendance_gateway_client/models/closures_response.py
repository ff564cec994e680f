from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.closure_school import ClosureSchool
    from ..models.disclosure import Disclosure
    from ..models.governance import Governance


T = TypeVar("T", bound="ClosuresResponse")


@_attrs_define
class ClosuresResponse:
    """
    Attributes:
        attendance_rate (float | str): Attendance of possible sessions, across the schools as a percentage: a number, or
            a symbol explained in the legend (c suppressed, low rounds to zero, x n/a, z n/a)
        date (datetime.date): The day the closures are for
        disclosure (Disclosure):
        governance (Governance):
        schools (list[ClosureSchool]): Each school in scope, with its closure status and attendance rate
        schools_closed (int): Schools closed that day (every pupil's mark a closure code)
        schools_open (int): Schools open that day
        schools_partially_closed (int): Schools closed to some pupils that day
        schools_without_registers (int): Schools with no register received for that day
    """

    attendance_rate: float | str
    date: datetime.date
    disclosure: Disclosure
    governance: Governance
    schools: list[ClosureSchool]
    schools_closed: int
    schools_open: int
    schools_partially_closed: int
    schools_without_registers: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        attendance_rate: float | str
        attendance_rate = self.attendance_rate

        date = self.date.isoformat()

        disclosure = self.disclosure.to_dict()

        governance = self.governance.to_dict()

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
                "date": date,
                "disclosure": disclosure,
                "governance": governance,
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
        from ..models.closure_school import ClosureSchool  # noqa: PLC0415
        from ..models.disclosure import Disclosure  # noqa: PLC0415
        from ..models.governance import Governance  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_attendance_rate(data: object) -> float | str:
            return cast(float | str, data)

        attendance_rate = _parse_attendance_rate(d.pop("attendance_rate"))

        date = datetime.date.fromisoformat(d.pop("date"))

        disclosure = Disclosure.from_dict(d.pop("disclosure"))

        governance = Governance.from_dict(d.pop("governance"))

        schools = []
        _schools = d.pop("schools")
        for schools_item_data in _schools:
            schools_item = ClosureSchool.from_dict(schools_item_data)

            schools.append(schools_item)

        schools_closed = d.pop("schools_closed")

        schools_open = d.pop("schools_open")

        schools_partially_closed = d.pop("schools_partially_closed")

        schools_without_registers = d.pop("schools_without_registers")

        closures_response = cls(
            attendance_rate=attendance_rate,
            date=date,
            disclosure=disclosure,
            governance=governance,
            schools=schools,
            schools_closed=schools_closed,
            schools_open=schools_open,
            schools_partially_closed=schools_partially_closed,
            schools_without_registers=schools_without_registers,
        )

        closures_response.additional_properties = d
        return closures_response

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
