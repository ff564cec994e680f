from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.check_verdict import CheckVerdict, check_check_verdict

if TYPE_CHECKING:
    from ..models.governance import Governance
    from ..models.pack_file_check import PackFileCheck


T = TypeVar("T", bound="PackCheck")


@_attrs_define
class PackCheck:
    """
    Attributes:
        checked_at (datetime.datetime): When the gateway ran the check
        files (list[PackFileCheck]): Each pack file, in run order
        files_failed (int): Files whose outcome differs from the pack's
        governance (Governance):
        mis_product (str): The MIS product checked (the MIS-Product header)
        mis_version (None | str): Its version (MIS-Version); null when none given
        pack_digest (str): SHA-256 of the pack's manifest and files, in manifest order
        pack_version (str): The test pack's version (its manifest's `version`)
        sender (str): The organisation that submitted the check
        verdict (CheckVerdict): The conformance checker's verdict on a feed test pack check.
        verdict_id (int): Identifier of the recorded verdict
    """

    checked_at: datetime.datetime
    files: list[PackFileCheck]
    files_failed: int
    governance: Governance
    mis_product: str
    mis_version: None | str
    pack_digest: str
    pack_version: str
    sender: str
    verdict: CheckVerdict
    verdict_id: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        checked_at = self.checked_at.isoformat()

        files = []
        for files_item_data in self.files:
            files_item = files_item_data.to_dict()
            files.append(files_item)

        files_failed = self.files_failed

        governance = self.governance.to_dict()

        mis_product = self.mis_product

        mis_version: None | str
        mis_version = self.mis_version

        pack_digest = self.pack_digest

        pack_version = self.pack_version

        sender = self.sender

        verdict: str = self.verdict

        verdict_id = self.verdict_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "checked_at": checked_at,
                "files": files,
                "files_failed": files_failed,
                "governance": governance,
                "mis_product": mis_product,
                "mis_version": mis_version,
                "pack_digest": pack_digest,
                "pack_version": pack_version,
                "sender": sender,
                "verdict": verdict,
                "verdict_id": verdict_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.governance import Governance  # noqa: PLC0415
        from ..models.pack_file_check import PackFileCheck  # noqa: PLC0415

        d = dict(src_dict)
        checked_at = datetime.datetime.fromisoformat(d.pop("checked_at"))

        files = []
        _files = d.pop("files")
        for files_item_data in _files:
            files_item = PackFileCheck.from_dict(files_item_data)

            files.append(files_item)

        files_failed = d.pop("files_failed")

        governance = Governance.from_dict(d.pop("governance"))

        mis_product = d.pop("mis_product")

        def _parse_mis_version(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        mis_version = _parse_mis_version(d.pop("mis_version"))

        pack_digest = d.pop("pack_digest")

        pack_version = d.pop("pack_version")

        sender = d.pop("sender")

        verdict = check_check_verdict(d.pop("verdict"))

        verdict_id = d.pop("verdict_id")

        pack_check = cls(
            checked_at=checked_at,
            files=files,
            files_failed=files_failed,
            governance=governance,
            mis_product=mis_product,
            mis_version=mis_version,
            pack_digest=pack_digest,
            pack_version=pack_version,
            sender=sender,
            verdict=verdict,
            verdict_id=verdict_id,
        )

        pack_check.additional_properties = d
        return pack_check

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
