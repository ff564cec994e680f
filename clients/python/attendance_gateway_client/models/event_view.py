from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.event_view_event import EventViewEvent


T = TypeVar("T", bound="EventView")


@_attrs_define
class EventView:
    """
    Attributes:
        event (EventViewEvent): The audit event as recorded (pupil identifiers hashed)
        event_hash (str): SHA-256 of the event, hex
        prev_hash (str): Hash of the previous event in the chain, hex
        seq (int): Sequence number of the audit event
    """

    event: EventViewEvent
    event_hash: str
    prev_hash: str
    seq: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        event = self.event.to_dict()

        event_hash = self.event_hash

        prev_hash = self.prev_hash

        seq = self.seq

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "event": event,
                "event_hash": event_hash,
                "prev_hash": prev_hash,
                "seq": seq,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.event_view_event import EventViewEvent  # noqa: PLC0415

        d = dict(src_dict)
        event = EventViewEvent.from_dict(d.pop("event"))

        event_hash = d.pop("event_hash")

        prev_hash = d.pop("prev_hash")

        seq = d.pop("seq")

        event_view = cls(
            event=event,
            event_hash=event_hash,
            prev_hash=prev_hash,
            seq=seq,
        )

        event_view.additional_properties = d
        return event_view

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
