from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.subject_access import SubjectAccess


T = TypeVar("T", bound="SubjectAccesses")


@_attrs_define
class SubjectAccesses:
    """
    Attributes:
        accesses (list[SubjectAccess]): Accesses to the pupil's records recorded in the audit log, newest first
        next_cursor (None | str): Cursor of the next page; null on the last page
        subject (str): The pupil the accesses concern (hashed identifier)
    """

    accesses: list[SubjectAccess]
    next_cursor: None | str
    subject: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        accesses = []
        for accesses_item_data in self.accesses:
            accesses_item = accesses_item_data.to_dict()
            accesses.append(accesses_item)

        next_cursor: None | str
        next_cursor = self.next_cursor

        subject = self.subject

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "accesses": accesses,
                "next_cursor": next_cursor,
                "subject": subject,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.subject_access import SubjectAccess  # noqa: PLC0415

        d = dict(src_dict)
        accesses = []
        _accesses = d.pop("accesses")
        for accesses_item_data in _accesses:
            accesses_item = SubjectAccess.from_dict(accesses_item_data)

            accesses.append(accesses_item)

        def _parse_next_cursor(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        next_cursor = _parse_next_cursor(d.pop("next_cursor"))

        subject = d.pop("subject")

        subject_accesses = cls(
            accesses=accesses,
            next_cursor=next_cursor,
            subject=subject,
        )

        subject_accesses.additional_properties = d
        return subject_accesses

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
