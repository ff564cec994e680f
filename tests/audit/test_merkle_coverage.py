"""The Merkle module's range checks: a proof asked for or checked outside the tree is refused, never guessed."""

from __future__ import annotations

import pytest

from gateway.audit.merkle import (
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    root_of,
    verify_consistency,
    verify_inclusion,
)

LEAVES = [leaf_hash(f"event-{i}".encode()) for i in range(5)]


@pytest.mark.parametrize(("index", "size"), [(-1, 3), (3, 3), (0, 6), (0, 0)])
def test_an_inclusion_proof_outside_the_tree_is_refused(index: int, size: int) -> None:
    with pytest.raises(ValueError, match=r"^index or size out of range$"):
        inclusion_proof(LEAVES, index, size)


@pytest.mark.parametrize(("first", "second"), [(0, 3), (4, 3), (2, 6)])
def test_a_consistency_proof_between_sizes_out_of_range_is_refused(first: int, second: int) -> None:
    with pytest.raises(ValueError, match=r"^sizes out of range$"):
        consistency_proof(LEAVES, first, second)


def test_an_inclusion_claim_at_an_index_past_the_tree_is_false() -> None:
    path = inclusion_proof(LEAVES, 4, 5)
    root = root_of(LEAVES)
    assert verify_inclusion(LEAVES[4], 4, 5, path, root) is True
    assert verify_inclusion(LEAVES[4], 5, 5, path, root) is False
    assert verify_inclusion(LEAVES[4], -1, 5, path, root) is False


def test_a_consistency_claim_from_an_empty_or_larger_tree_is_false() -> None:
    first_root, second_root = root_of(LEAVES, 0, 3), root_of(LEAVES)
    path = consistency_proof(LEAVES, 3, 5)
    assert verify_consistency(3, 5, first_root, second_root, path) is True
    assert verify_consistency(0, 5, first_root, second_root, path) is False
    assert verify_consistency(6, 5, first_root, second_root, path) is False


def test_an_empty_consistency_path_from_a_size_that_is_not_a_power_of_two_is_false() -> None:
    first_root, second_root = root_of(LEAVES, 0, 3), root_of(LEAVES, 0, 4)
    assert verify_consistency(3, 4, first_root, second_root, consistency_proof(LEAVES, 3, 4)) is True
    assert verify_consistency(3, 4, first_root, second_root, []) is False
