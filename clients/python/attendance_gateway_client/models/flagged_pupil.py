from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.flagged_pupil_pupil import FlaggedPupilPupil


T = TypeVar("T", bound="FlaggedPupil")


@_attrs_define
class FlaggedPupil:
    """
    Attributes:
        prior_attendance_rate (float | None): Attendance rate before the recent weeks, percent; null if none
        pupil (FlaggedPupilPupil): The pupil's released fields (what the agreement allows, generalised as it requires)
        recent_attendance_rate (float | None): Attendance rate over the recent weeks, percent; null if none
        rules (list[str]): Names of the rules the pupil met
    """

    prior_attendance_rate: float | None
    pupil: FlaggedPupilPupil
    recent_attendance_rate: float | None
    rules: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        prior_attendance_rate: float | None
        prior_attendance_rate = self.prior_attendance_rate

        pupil = self.pupil.to_dict()

        recent_attendance_rate: float | None
        recent_attendance_rate = self.recent_attendance_rate

        rules = self.rules

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "prior_attendance_rate": prior_attendance_rate,
                "pupil": pupil,
                "recent_attendance_rate": recent_attendance_rate,
                "rules": rules,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.flagged_pupil_pupil import FlaggedPupilPupil  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_prior_attendance_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        prior_attendance_rate = _parse_prior_attendance_rate(d.pop("prior_attendance_rate"))

        pupil = FlaggedPupilPupil.from_dict(d.pop("pupil"))

        def _parse_recent_attendance_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        recent_attendance_rate = _parse_recent_attendance_rate(d.pop("recent_attendance_rate"))

        rules = cast(list[str], d.pop("rules"))

        flagged_pupil = cls(
            prior_attendance_rate=prior_attendance_rate,
            pupil=pupil,
            recent_attendance_rate=recent_attendance_rate,
            rules=rules,
        )

        flagged_pupil.additional_properties = d
        return flagged_pupil

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
