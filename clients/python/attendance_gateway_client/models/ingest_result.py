from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.governance import Governance
    from ..models.ingest_result_reasons import IngestResultReasons


T = TypeVar("T", bound="IngestResult")


@_attrs_define
class IngestResult:
    """
    Attributes:
        accepted (int): Rows written for the first time
        batch_id (int): Identifier of the ingest batch
        governance (Governance):
        kind (str): Kind of feed: schools, roster or marks
        reasons (IngestResultReasons): Rejected rows by reason
        rejected (int): Rows kept as rejects, each with its reason
        seconds (float): Seconds the batch took
        source_name (str): Name of the file the batch came from
        unchanged (int): Rows already held exactly as sent
        updated (int): Rows that corrected a mark already held
    """

    accepted: int
    batch_id: int
    governance: Governance
    kind: str
    reasons: IngestResultReasons
    rejected: int
    seconds: float
    source_name: str
    unchanged: int
    updated: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        accepted = self.accepted

        batch_id = self.batch_id

        governance = self.governance.to_dict()

        kind = self.kind

        reasons = self.reasons.to_dict()

        rejected = self.rejected

        seconds = self.seconds

        source_name = self.source_name

        unchanged = self.unchanged

        updated = self.updated

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "accepted": accepted,
                "batch_id": batch_id,
                "governance": governance,
                "kind": kind,
                "reasons": reasons,
                "rejected": rejected,
                "seconds": seconds,
                "source_name": source_name,
                "unchanged": unchanged,
                "updated": updated,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.governance import Governance  # noqa: PLC0415
        from ..models.ingest_result_reasons import IngestResultReasons  # noqa: PLC0415

        d = dict(src_dict)
        accepted = d.pop("accepted")

        batch_id = d.pop("batch_id")

        governance = Governance.from_dict(d.pop("governance"))

        kind = d.pop("kind")

        reasons = IngestResultReasons.from_dict(d.pop("reasons"))

        rejected = d.pop("rejected")

        seconds = d.pop("seconds")

        source_name = d.pop("source_name")

        unchanged = d.pop("unchanged")

        updated = d.pop("updated")

        ingest_result = cls(
            accepted=accepted,
            batch_id=batch_id,
            governance=governance,
            kind=kind,
            reasons=reasons,
            rejected=rejected,
            seconds=seconds,
            source_name=source_name,
            unchanged=unchanged,
            updated=updated,
        )

        ingest_result.additional_properties = d
        return ingest_result

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
