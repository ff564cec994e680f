"""The pure Merkle module agrees with pymerkle (RFC 9162 mode) and its proofs are sound."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from pymerkle import InmemoryTree

from gateway.audit.merkle import (
    EMPTY_ROOT,
    BlockedTree,
    Frontier,
    consistency_path,
    consistency_proof,
    inclusion_path,
    inclusion_proof,
    leaf_hash,
    node_hash,
    root_of,
    verify_consistency,
    verify_inclusion,
)


def _entries(n: int) -> list[bytes]:
    return [f"event-{i}".encode() for i in range(n)]


def _pymerkle_tree(entries: list[bytes]) -> InmemoryTree:
    tree = InmemoryTree(algorithm="sha256", disable_security=False)
    for entry in entries:
        tree.append_entry(entry)
    return tree


def test_leaf_and_node_hashing_use_rfc9162_prefixes() -> None:
    assert leaf_hash(b"a") == hashlib.sha256(b"\x00a").digest()
    assert node_hash(b"l", b"r") == hashlib.sha256(b"\x01lr").digest()


def test_empty_tree_root_is_hash_of_empty_string() -> None:
    assert Frontier().root() == hashlib.sha256(b"").digest() == EMPTY_ROOT


def test_roots_equal_pymerkle_for_every_size_up_to_70() -> None:
    entries = _entries(70)
    tree = _pymerkle_tree(entries)
    leaves = [leaf_hash(e) for e in entries]
    frontier = Frontier()
    for size in range(1, 71):
        frontier.append(leaves[size - 1])
        assert frontier.root() == tree.get_root(size)
        assert root_of(leaves, 0, size) == tree.get_root(size)


def test_leaf_hashes_equal_pymerkle() -> None:
    entries = _entries(5)
    tree = _pymerkle_tree(entries)
    assert [leaf_hash(e) for e in entries] == [tree.get_leaf(i) for i in range(1, 6)]


def test_frontier_rejects_hashes_that_do_not_match_its_size() -> None:
    with pytest.raises(ValueError, match=r"^frontier does not match its size$"):
        Frontier(3, [b"x"])


def test_frontier_restored_from_its_state_continues_identically() -> None:
    leaves = [leaf_hash(e) for e in _entries(23)]
    whole = Frontier()
    for leaf in leaves:
        whole.append(leaf)
    part = Frontier()
    for leaf in leaves[:13]:
        part.append(leaf)
    restored = Frontier(part.size, part.hashes)
    for leaf in leaves[13:]:
        restored.append(leaf)
    assert restored.root() == whole.root()


def test_inclusion_proofs_verify_against_pymerkle_roots_for_every_leaf_and_size() -> None:
    entries = _entries(33)
    tree = _pymerkle_tree(entries)
    leaves = [leaf_hash(e) for e in entries]
    for size in range(1, 34):
        root = tree.get_root(size)
        for index in range(size):
            path = inclusion_proof(leaves, index, size)
            assert verify_inclusion(leaves[index], index, size, path, root)


def test_consistency_proofs_verify_against_pymerkle_roots_for_every_pair_of_sizes() -> None:
    entries = _entries(33)
    tree = _pymerkle_tree(entries)
    leaves = [leaf_hash(e) for e in entries]
    for second in range(1, 34):
        for first in range(1, second + 1):
            path = consistency_proof(leaves, first, second)
            assert verify_consistency(first, second, tree.get_root(first), tree.get_root(second), path)


def test_inclusion_proof_length_is_logarithmic() -> None:
    leaves = [leaf_hash(e) for e in _entries(1000)]
    assert len(inclusion_proof(leaves, 0, 1000)) == 10
    # 1000 = 512 + 256 + 128 + 64 + 32 + 8: five left siblings, then three levels inside the last 8.
    assert len(inclusion_proof(leaves, 999, 1000)) == 8


def _shape(size: int) -> str:
    return "a power of two" if size & (size - 1) == 0 else "uneven"


def test_a_one_leaf_tree_proves_only_its_leaf_with_an_empty_path() -> None:
    leaves = [leaf_hash(e) for e in _entries(1)]
    assert inclusion_proof(leaves, 0, 1) == []
    assert verify_inclusion(leaves[0], 0, 1, [], root_of(leaves))
    assert not verify_inclusion(leaf_hash(b"forged"), 0, 1, [], root_of(leaves))
    assert not verify_inclusion(leaves[0], 0, 1, [root_of(leaves)], root_of(leaves))


@settings(max_examples=150, deadline=None)
@given(data=st.data(), size=st.integers(min_value=2, max_value=80))
def test_inclusion_proof_fails_for_any_altered_input(data: st.DataObject, size: int) -> None:
    event(f"tree size {_shape(size)}")
    leaves = [leaf_hash(e) for e in _entries(size)]
    root = root_of(leaves)
    index = data.draw(st.integers(0, size - 1))
    path = inclusion_proof(leaves, index, size)
    assert verify_inclusion(leaves[index], index, size, path, root)
    other = data.draw(st.integers(0, size - 1).filter(lambda i: i != index))
    assert not verify_inclusion(leaves[other], index, size, path, root)
    assert not verify_inclusion(leaves[index], other, size, path, root)
    assert not verify_inclusion(leaf_hash(b"forged"), index, size, path, root)
    assert not verify_inclusion(leaves[index], index, size, path, leaf_hash(b"other root"))
    i = data.draw(st.integers(0, len(path) - 1))  # a tree of two or more leaves has a non-empty path
    tampered = list(path)
    tampered[i] = bytes([tampered[i][0] ^ 1]) + tampered[i][1:]
    assert not verify_inclusion(leaves[index], index, size, tampered, root)
    assert not verify_inclusion(leaves[index], index, size, path[:-1], root)
    assert not verify_inclusion(leaves[index], index, size, [*path, root], root)


@settings(max_examples=150, deadline=None)
@given(data=st.data(), second=st.integers(min_value=2, max_value=80))
def test_consistency_proof_fails_for_any_altered_input(data: st.DataObject, second: int) -> None:
    leaves = [leaf_hash(e) for e in _entries(second)]
    first = data.draw(st.integers(1, second - 1))
    old, new = root_of(leaves, 0, first), root_of(leaves)
    path = consistency_proof(leaves, first, second)
    assert verify_consistency(first, second, old, new, path)
    forged = leaf_hash(b"forged")
    assert not verify_consistency(first, second, forged, new, path)
    assert not verify_consistency(first, second, old, forged, path)
    event("first tree of one leaf" if first == 1 else "first tree of several leaves")
    wrong_first = first - 1 if first > 1 else first + 1
    assert not verify_consistency(wrong_first, second, old, new, path)
    i = data.draw(st.integers(0, len(path) - 1))
    tampered = list(path)
    tampered[i] = bytes([tampered[i][0] ^ 1]) + tampered[i][1:]
    assert not verify_consistency(first, second, old, new, tampered)
    assert not verify_consistency(first, second, old, new, path[:-1])
    # A rewritten history: the same sizes but one earlier leaf changed.
    j = data.draw(st.integers(0, first - 1))
    rewritten = list(leaves)
    rewritten[j] = forged
    assert not verify_consistency(first, second, old, root_of(rewritten), path)


def _blocked(leaves: list[bytes], block: int, points: list[int], size: int) -> BlockedTree:
    """A BlockedTree holding block roots below `size` and only the leaves of the blocks around `points`."""
    blocks = [root_of(leaves, b * block, (b + 1) * block) for b in range(size // block)]
    wanted = {p // block for p in points} | {(size - 1) // block}
    loaded = {i: leaves[i] for b in wanted for i in range(b * block, min((b + 1) * block, size))}
    return BlockedTree(blocks, loaded, block)


@settings(max_examples=150, deadline=None)
@given(data=st.data(), size=st.integers(1, 90), block=st.sampled_from([2, 4, 8]))
def test_blocked_inclusion_paths_equal_full_ones(data: st.DataObject, size: int, block: int) -> None:
    event(f"block {block}, last block {'partial' if size % block else 'whole'}")
    leaves = [leaf_hash(e) for e in _entries(size)]
    index = data.draw(st.integers(0, size - 1))
    tree = _blocked(leaves, block, [index], size)
    assert inclusion_path(tree.root, index, size) == inclusion_proof(leaves, index, size)
    assert tree.root(0, size) == root_of(leaves, 0, size)


@settings(max_examples=150, deadline=None)
@given(data=st.data(), second=st.integers(1, 90), block=st.sampled_from([2, 4, 8]))
def test_blocked_consistency_paths_equal_full_ones(data: st.DataObject, second: int, block: int) -> None:
    event(f"block {block}, last block {'partial' if second % block else 'whole'}")
    leaves = [leaf_hash(e) for e in _entries(second)]
    first = data.draw(st.integers(1, second))
    tree = _blocked(leaves, block, [first - 1, first % second], second)
    assert consistency_path(tree.root, first, second) == consistency_proof(leaves, first, second)
