from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.pack_submission_files import PackSubmissionFiles


T = TypeVar("T", bound="PackSubmission")


@_attrs_define
class PackSubmission:
    """The supplier's output for each file of the test pack.

    Attributes:
        files (PackSubmissionFiles): Each pack file's name (as docs/feed-tests/manifest.json names it) and the text the
            supplier's system produced for it (UTF-8 CSV or NDJSON)
    """

    files: PackSubmissionFiles
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        files = self.files.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "files": files,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.pack_submission_files import PackSubmissionFiles  # noqa: PLC0415

        d = dict(src_dict)
        files = PackSubmissionFiles.from_dict(d.pop("files"))

        pack_submission = cls(
            files=files,
        )

        pack_submission.additional_properties = d
        return pack_submission

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
