from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.governance import Governance
    from ..models.mark import Mark
    from ..models.period_measured import PeriodMeasured
    from ..models.pupil_history_enrolments_item import PupilHistoryEnrolmentsItem
    from ..models.pupil_history_pupil import PupilHistoryPupil


T = TypeVar("T", bound="PupilHistory")


@_attrs_define
class PupilHistory:
    """
    Attributes:
        date_from (datetime.date): First day of the period measured
        date_to (datetime.date): Last day of the period measured
        enrolments (list[PupilHistoryEnrolmentsItem]): The pupil's enrolments in the period
        governance (Governance):
        marks (list[Mark]): The pupil's attendance marks, by day and session
        period (PeriodMeasured):
        pupil (PupilHistoryPupil): The pupil's released fields (what the agreement allows, generalised as it requires)
    """

    date_from: datetime.date
    date_to: datetime.date
    enrolments: list[PupilHistoryEnrolmentsItem]
    governance: Governance
    marks: list[Mark]
    period: PeriodMeasured
    pupil: PupilHistoryPupil
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        date_from = self.date_from.isoformat()

        date_to = self.date_to.isoformat()

        enrolments = []
        for enrolments_item_data in self.enrolments:
            enrolments_item = enrolments_item_data.to_dict()
            enrolments.append(enrolments_item)

        governance = self.governance.to_dict()

        marks = []
        for marks_item_data in self.marks:
            marks_item = marks_item_data.to_dict()
            marks.append(marks_item)

        period = self.period.to_dict()

        pupil = self.pupil.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "date_from": date_from,
                "date_to": date_to,
                "enrolments": enrolments,
                "governance": governance,
                "marks": marks,
                "period": period,
                "pupil": pupil,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.governance import Governance  # noqa: PLC0415
        from ..models.mark import Mark  # noqa: PLC0415
        from ..models.period_measured import PeriodMeasured  # noqa: PLC0415
        from ..models.pupil_history_enrolments_item import PupilHistoryEnrolmentsItem  # noqa: PLC0415
        from ..models.pupil_history_pupil import PupilHistoryPupil  # noqa: PLC0415

        d = dict(src_dict)
        date_from = datetime.date.fromisoformat(d.pop("date_from"))

        date_to = datetime.date.fromisoformat(d.pop("date_to"))

        enrolments = []
        _enrolments = d.pop("enrolments")
        for enrolments_item_data in _enrolments:
            enrolments_item = PupilHistoryEnrolmentsItem.from_dict(enrolments_item_data)

            enrolments.append(enrolments_item)

        governance = Governance.from_dict(d.pop("governance"))

        marks = []
        _marks = d.pop("marks")
        for marks_item_data in _marks:
            marks_item = Mark.from_dict(marks_item_data)

            marks.append(marks_item)

        period = PeriodMeasured.from_dict(d.pop("period"))

        pupil = PupilHistoryPupil.from_dict(d.pop("pupil"))

        pupil_history = cls(
            date_from=date_from,
            date_to=date_to,
            enrolments=enrolments,
            governance=governance,
            marks=marks,
            period=period,
            pupil=pupil,
        )

        pupil_history.additional_properties = d
        return pupil_history

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
