from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.sender_conformance_reject_rate_by_reason import SenderConformanceRejectRateByReason


T = TypeVar("T", bound="SenderConformance")


@_attrs_define
class SenderConformance:
    """
    Attributes:
        batches (int): Batches committed
        corrections (int): Valid rows that replaced a stored value (updated)
        corrections_rate (float | None): Corrections over rows sent; null when no rows
        feed_kinds (list[str]): Feed kinds among the group's batches
        late_rate (float | None): Late sessions over valid marks sent; null when the group sent no marks
        late_sessions (int): Valid attendance marks dated before the day their batch was received (England)
        reject_rate (float | None): Rejected rows over rows sent; null when no rows
        reject_rate_by_reason (SenderConformanceRejectRateByReason): Rejected rows of each reason code over rows sent
        rejected (int): Rows rejected
        rows (int): Rows sent: accepted, updated, unchanged and rejected
        schools (int): Distinct schools named by the batches' valid rows
        sender (str): The sending organisation
    """

    batches: int
    corrections: int
    corrections_rate: float | None
    feed_kinds: list[str]
    late_rate: float | None
    late_sessions: int
    reject_rate: float | None
    reject_rate_by_reason: SenderConformanceRejectRateByReason
    rejected: int
    rows: int
    schools: int
    sender: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        batches = self.batches

        corrections = self.corrections

        corrections_rate: float | None
        corrections_rate = self.corrections_rate

        feed_kinds = self.feed_kinds

        late_rate: float | None
        late_rate = self.late_rate

        late_sessions = self.late_sessions

        reject_rate: float | None
        reject_rate = self.reject_rate

        reject_rate_by_reason = self.reject_rate_by_reason.to_dict()

        rejected = self.rejected

        rows = self.rows

        schools = self.schools

        sender = self.sender

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "batches": batches,
                "corrections": corrections,
                "corrections_rate": corrections_rate,
                "feed_kinds": feed_kinds,
                "late_rate": late_rate,
                "late_sessions": late_sessions,
                "reject_rate": reject_rate,
                "reject_rate_by_reason": reject_rate_by_reason,
                "rejected": rejected,
                "rows": rows,
                "schools": schools,
                "sender": sender,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.sender_conformance_reject_rate_by_reason import SenderConformanceRejectRateByReason  # noqa: PLC0415

        d = dict(src_dict)
        batches = d.pop("batches")

        corrections = d.pop("corrections")

        def _parse_corrections_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        corrections_rate = _parse_corrections_rate(d.pop("corrections_rate"))

        feed_kinds = cast(list[str], d.pop("feed_kinds"))

        def _parse_late_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        late_rate = _parse_late_rate(d.pop("late_rate"))

        late_sessions = d.pop("late_sessions")

        def _parse_reject_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        reject_rate = _parse_reject_rate(d.pop("reject_rate"))

        reject_rate_by_reason = SenderConformanceRejectRateByReason.from_dict(d.pop("reject_rate_by_reason"))

        rejected = d.pop("rejected")

        rows = d.pop("rows")

        schools = d.pop("schools")

        sender = d.pop("sender")

        sender_conformance = cls(
            batches=batches,
            corrections=corrections,
            corrections_rate=corrections_rate,
            feed_kinds=feed_kinds,
            late_rate=late_rate,
            late_sessions=late_sessions,
            reject_rate=reject_rate,
            reject_rate_by_reason=reject_rate_by_reason,
            rejected=rejected,
            rows=rows,
            schools=schools,
            sender=sender,
        )

        sender_conformance.additional_properties = d
        return sender_conformance

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
