from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.checkpoint_view import CheckpointView


T = TypeVar("T", bound="InclusionProof")


@_attrs_define
class InclusionProof:
    """
    Attributes:
        checkpoint (CheckpointView):
        content (str): The event's canonical content (JSON text) whose hash is the leaf
        event_hash (str): SHA-256 of the event, hex
        leaf_index (int): Index of the event's leaf in the Merkle tree
        path (list[str]): Sibling hashes from the leaf (or older tree) up to the root, hex
        prev_hash (str): Hash of the previous event in the chain, hex
        seq (int): Sequence number of the audit event
        tree_size (int): Events in the tree the proof is for
    """

    checkpoint: CheckpointView
    content: str
    event_hash: str
    leaf_index: int
    path: list[str]
    prev_hash: str
    seq: int
    tree_size: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        checkpoint = self.checkpoint.to_dict()

        content = self.content

        event_hash = self.event_hash

        leaf_index = self.leaf_index

        path = self.path

        prev_hash = self.prev_hash

        seq = self.seq

        tree_size = self.tree_size

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "checkpoint": checkpoint,
                "content": content,
                "event_hash": event_hash,
                "leaf_index": leaf_index,
                "path": path,
                "prev_hash": prev_hash,
                "seq": seq,
                "tree_size": tree_size,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.checkpoint_view import CheckpointView  # noqa: PLC0415

        d = dict(src_dict)
        checkpoint = CheckpointView.from_dict(d.pop("checkpoint"))

        content = d.pop("content")

        event_hash = d.pop("event_hash")

        leaf_index = d.pop("leaf_index")

        path = cast(list[str], d.pop("path"))

        prev_hash = d.pop("prev_hash")

        seq = d.pop("seq")

        tree_size = d.pop("tree_size")

        inclusion_proof = cls(
            checkpoint=checkpoint,
            content=content,
            event_hash=event_hash,
            leaf_index=leaf_index,
            path=path,
            prev_hash=prev_hash,
            seq=seq,
            tree_size=tree_size,
        )

        inclusion_proof.additional_properties = d
        return inclusion_proof

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
