from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.pack_verdict import PackVerdict, check_pack_verdict

if TYPE_CHECKING:
    from ..models.product_conformance_reject_rate_by_reason import ProductConformanceRejectRateByReason


T = TypeVar("T", bound="ProductConformance")


@_attrs_define
class ProductConformance:
    """
    Attributes:
        batches (int): Batches committed
        corrections (int): Valid rows that replaced a stored value (updated)
        corrections_rate (float | None): Corrections over rows sent; null when no rows
        feed_kinds (list[str]): Feed kinds among the group's batches
        late_rate (float | None): Late sessions over valid marks sent; null when the group sent no marks
        late_sessions (int): Valid attendance marks dated before the day their batch was received (England)
        mis_product (str): The MIS product
        mis_version (None | str): Its version; null when the sender gave none
        pack_checked_at (datetime.datetime | None): When that verdict was given; null when not checked
        pack_verdict (PackVerdict): A product's latest verdict on the published feed test pack; not-checked when none
            was submitted.
        pack_version (None | str): The test pack version that verdict is about; null when not checked
        reject_rate (float | None): Rejected rows over rows sent; null when no rows
        reject_rate_by_reason (ProductConformanceRejectRateByReason): Rejected rows of each reason code over rows sent
        rejected (int): Rows rejected
        rows (int): Rows sent: accepted, updated, unchanged and rejected
        schools (int): Distinct schools named by the batches' valid rows
    """

    batches: int
    corrections: int
    corrections_rate: float | None
    feed_kinds: list[str]
    late_rate: float | None
    late_sessions: int
    mis_product: str
    mis_version: None | str
    pack_checked_at: datetime.datetime | None
    pack_verdict: PackVerdict
    pack_version: None | str
    reject_rate: float | None
    reject_rate_by_reason: ProductConformanceRejectRateByReason
    rejected: int
    rows: int
    schools: int
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

        mis_product = self.mis_product

        mis_version: None | str
        mis_version = self.mis_version

        pack_checked_at: None | str
        if isinstance(self.pack_checked_at, datetime.datetime):
            pack_checked_at = self.pack_checked_at.isoformat()
        else:
            pack_checked_at = self.pack_checked_at

        pack_verdict: str = self.pack_verdict

        pack_version: None | str
        pack_version = self.pack_version

        reject_rate: float | None
        reject_rate = self.reject_rate

        reject_rate_by_reason = self.reject_rate_by_reason.to_dict()

        rejected = self.rejected

        rows = self.rows

        schools = self.schools

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
                "mis_product": mis_product,
                "mis_version": mis_version,
                "pack_checked_at": pack_checked_at,
                "pack_verdict": pack_verdict,
                "pack_version": pack_version,
                "reject_rate": reject_rate,
                "reject_rate_by_reason": reject_rate_by_reason,
                "rejected": rejected,
                "rows": rows,
                "schools": schools,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.product_conformance_reject_rate_by_reason import ProductConformanceRejectRateByReason  # noqa: PLC0415

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

        mis_product = d.pop("mis_product")

        def _parse_mis_version(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        mis_version = _parse_mis_version(d.pop("mis_version"))

        def _parse_pack_checked_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                pack_checked_at_type_0 = datetime.datetime.fromisoformat(data)

                return pack_checked_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        pack_checked_at = _parse_pack_checked_at(d.pop("pack_checked_at"))

        pack_verdict = check_pack_verdict(d.pop("pack_verdict"))

        def _parse_pack_version(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        pack_version = _parse_pack_version(d.pop("pack_version"))

        def _parse_reject_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        reject_rate = _parse_reject_rate(d.pop("reject_rate"))

        reject_rate_by_reason = ProductConformanceRejectRateByReason.from_dict(d.pop("reject_rate_by_reason"))

        rejected = d.pop("rejected")

        rows = d.pop("rows")

        schools = d.pop("schools")

        product_conformance = cls(
            batches=batches,
            corrections=corrections,
            corrections_rate=corrections_rate,
            feed_kinds=feed_kinds,
            late_rate=late_rate,
            late_sessions=late_sessions,
            mis_product=mis_product,
            mis_version=mis_version,
            pack_checked_at=pack_checked_at,
            pack_verdict=pack_verdict,
            pack_version=pack_version,
            reject_rate=reject_rate,
            reject_rate_by_reason=reject_rate_by_reason,
            rejected=rejected,
            rows=rows,
            schools=schools,
        )

        product_conformance.additional_properties = d
        return product_conformance

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
