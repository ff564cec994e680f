from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.governance import Governance


T = TypeVar("T", bound="PupilMerge")


@_attrs_define
class PupilMerge:
    """
    Attributes:
        duplicate_marks (int): Sessions both records had marked with the same code, kept once
        effective_date (datetime.date): The day the change took effect (not after today)
        enrolments_merged (int): Enrolments folded into the surviving record's enrolment at the same school
        enrolments_moved (int): Whole enrolments moved, at schools where the surviving record was not enrolled
        governance (Governance):
        into (str): The UPN of the record that survives the merge (the pupil's other UPN)
        marks_moved (int): Marks moved to the surviving record's enrolments
        upn (str): The pupil's UPN
    """

    duplicate_marks: int
    effective_date: datetime.date
    enrolments_merged: int
    enrolments_moved: int
    governance: Governance
    into: str
    marks_moved: int
    upn: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        duplicate_marks = self.duplicate_marks

        effective_date = self.effective_date.isoformat()

        enrolments_merged = self.enrolments_merged

        enrolments_moved = self.enrolments_moved

        governance = self.governance.to_dict()

        into = self.into

        marks_moved = self.marks_moved

        upn = self.upn

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "duplicate_marks": duplicate_marks,
                "effective_date": effective_date,
                "enrolments_merged": enrolments_merged,
                "enrolments_moved": enrolments_moved,
                "governance": governance,
                "into": into,
                "marks_moved": marks_moved,
                "upn": upn,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.governance import Governance  # noqa: PLC0415

        d = dict(src_dict)
        duplicate_marks = d.pop("duplicate_marks")

        effective_date = datetime.date.fromisoformat(d.pop("effective_date"))

        enrolments_merged = d.pop("enrolments_merged")

        enrolments_moved = d.pop("enrolments_moved")

        governance = Governance.from_dict(d.pop("governance"))

        into = d.pop("into")

        marks_moved = d.pop("marks_moved")

        upn = d.pop("upn")

        pupil_merge = cls(
            duplicate_marks=duplicate_marks,
            effective_date=effective_date,
            enrolments_merged=enrolments_merged,
            enrolments_moved=enrolments_moved,
            governance=governance,
            into=into,
            marks_moved=marks_moved,
            upn=upn,
        )

        pupil_merge.additional_properties = d
        return pupil_merge

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
