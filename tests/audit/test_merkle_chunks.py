"""Chunked roots: aligned power-of-two chunks' frontiers, as the parallel verifier's workers return them, joined
in the main process give exactly the leaf-by-leaf RFC 9162 root at every size."""

from __future__ import annotations

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from gateway.audit.merkle import Frontier, leaf_hash, levels_of, prefix_frontier, root_of


def _leaves(n: int) -> list[bytes]:
    return [leaf_hash(i.to_bytes(4, "big")) for i in range(n)]


def _combined(leaves: list[bytes], chunk: int) -> tuple[Frontier, dict[int, bytes]]:
    """Aligned chunks' frontiers (and prefix frontiers at every size) joined as verify_database_parallel does."""
    frontier, roots = Frontier(), {}
    for start in range(0, len(leaves), chunk):
        levels = levels_of(leaves[start : start + chunk])
        for m in range(1, len(levels[0])):
            at = frontier.copy()
            at.extend(m, prefix_frontier(levels, m))
            roots[start + m] = at.root()
        frontier.extend(len(levels[0]), prefix_frontier(levels, len(levels[0])))
        roots[frontier.size] = frontier.root()
    return frontier, roots


@pytest.mark.parametrize("size", [0, 1, 2, 3, 15, 16, 17, 31, 32, 33, 64, 65])
@pytest.mark.parametrize("chunk", [1, 2, 16])
def test_chunk_roots_combine_to_the_leaf_by_leaf_root_at_the_edges(size: int, chunk: int) -> None:
    leaves = _leaves(size)
    frontier, roots = _combined(leaves, chunk)
    assert (frontier.size, frontier.root()) == (size, root_of(leaves))
    assert roots == {m: root_of(leaves, 0, m) for m in range(1, size + 1)}


@settings(max_examples=60, deadline=None)
@given(size=st.integers(min_value=0, max_value=300), power=st.integers(min_value=0, max_value=6))
def test_chunk_roots_combine_to_the_leaf_by_leaf_root(size: int, power: int) -> None:
    event("power of two" if size & (size - 1) == 0 else "not a power of two")
    event("several chunks" if size > 1 << power else "one chunk")
    leaves = _leaves(size)
    frontier, roots = _combined(leaves, 1 << power)
    assert frontier.root() == root_of(leaves)
    assert all(roots[m] == root_of(leaves, 0, m) for m in range(1, size + 1))


def test_extend_refuses_a_frontier_that_does_not_match_its_count() -> None:
    with pytest.raises(ValueError, match="does not match"):
        Frontier().extend(3, [bytes(32)])


def test_extend_refuses_subtrees_not_aligned_to_the_current_size() -> None:
    frontier = Frontier()
    frontier.append(bytes(32))
    with pytest.raises(ValueError, match="not aligned"):
        frontier.extend(2, [bytes(32)])
