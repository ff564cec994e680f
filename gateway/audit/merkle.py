"""RFC 9162 Merkle tree hashing, incremental frontier, and inclusion/consistency proofs (pure functions)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence

LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    """RFC 9162 section 2.1.1: SHA-256(0x00 || data)."""
    return hashlib.sha256(LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """RFC 9162 section 2.1.1: SHA-256(0x01 || left || right)."""
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


RangeRoot = Callable[[int, int], bytes]  # (start, end) -> MTH(D[start:end])
BLOCK = 1024  # leaves per cached subtree root (gateway.audit.log keeps one per complete block)


def _split(n: int) -> int:
    """The largest power of two strictly smaller than n (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


class Frontier:
    """The roots of the perfect subtrees covering the leaves so far: O(log n) state, O(1) amortised append.

    `hashes` holds one root per set bit of `size`, largest subtree first, so the tree head can be stored
    in one database row and extended by any writer holding that row.
    """

    __slots__ = ("hashes", "size")

    def __init__(self, size: int = 0, hashes: Sequence[bytes] = ()) -> None:
        if len(hashes) != bin(size).count("1"):
            raise ValueError("frontier does not match its size")
        self.size = size
        self.hashes = list(hashes)

    def append(self, leaf: bytes) -> None:
        """Add one leaf hash (already 0x00-prefixed and hashed)."""
        h = leaf
        n = self.size
        while n & 1:
            h = node_hash(self.hashes.pop(), h)
            n >>= 1
        self.hashes.append(h)
        self.size += 1

    def extend(self, count: int, hashes: Sequence[bytes]) -> None:
        """Add `count` leaves given as their frontier (largest subtree first), e.g. a chunk a worker hashed.

        RFC 9162 trees compose over aligned power-of-two subtrees, so each subtree joins like one leaf at its
        height; the current size must be aligned to the largest of them.
        """
        if len(hashes) != bin(count).count("1"):
            raise ValueError("frontier does not match its size")
        heights = [h for h in range(count.bit_length() - 1, -1, -1) if count >> h & 1]
        if heights and self.size % (1 << heights[0]):
            raise ValueError("subtrees are not aligned to the current size")
        for height, h in zip(heights, hashes, strict=True):
            n = self.size >> height
            while n & 1:
                h = node_hash(self.hashes.pop(), h)
                n >>= 1
            self.hashes.append(h)
            self.size += 1 << height

    def copy(self) -> Frontier:
        return Frontier(self.size, self.hashes)

    def root(self) -> bytes:
        """The Merkle tree hash of all leaves appended so far."""
        if not self.hashes:
            return EMPTY_ROOT
        h = self.hashes[-1]
        for left in reversed(self.hashes[:-1]):
            h = node_hash(left, h)
        return h


def levels_of(leaves: Sequence[bytes]) -> list[list[bytes]]:
    """Every complete aligned subtree root: levels[h][i] = MTH(leaves[i * 2**h : (i + 1) * 2**h])."""
    sha256 = hashlib.sha256
    out = [list(leaves)]
    while len(out[-1]) > 1:
        level = out[-1]
        out.append(
            [sha256(NODE_PREFIX + a + b).digest() for a, b in zip(level[0::2], level[1::2], strict=False)]
        )
    return out


def prefix_frontier(levels: Sequence[Sequence[bytes]], size: int) -> list[bytes]:
    """The frontier hashes (largest subtree first) of the first `size` leaves, from levels_of's table."""
    hashes: list[bytes] = []
    start = 0
    for height in range(size.bit_length() - 1, -1, -1):
        if size >> height & 1:
            hashes.append(levels[height][start >> height])
            start += 1 << height
    return hashes


def root_of(leaves: Sequence[bytes], start: int = 0, end: int | None = None) -> bytes:
    """MTH(D[start:end]) for leaf hashes, computed in one pass with a frontier."""
    end = len(leaves) if end is None else end
    frontier = Frontier()
    for i in range(start, end):
        frontier.append(leaves[i])
    return frontier.root()


def inclusion_path(mth: RangeRoot, index: int, size: int) -> list[bytes]:
    """RFC 9162 section 2.1.3.1 PATH(index, D[0:size]), leaf-most sibling first, from any range-root source."""
    path: list[bytes] = []
    start, end = 0, size
    # Walk down from the root, collecting siblings, then reverse: the RFC lists them bottom-up.
    while end - start > 1:
        k = _split(end - start)
        if index < start + k:
            path.append(mth(start + k, end))
            end = start + k
        else:
            path.append(mth(start, start + k))
            start += k
    path.reverse()
    return path


def inclusion_proof(leaves: Sequence[bytes], index: int, size: int) -> list[bytes]:
    """PATH(index, D[0:size]) over a list of leaf hashes."""
    if not 0 <= index < size <= len(leaves):
        raise ValueError("index or size out of range")
    return inclusion_path(lambda s, e: root_of(leaves, s, e), index, size)


def verify_inclusion(leaf: bytes, index: int, size: int, path: Sequence[bytes], root: bytes) -> bool:
    """RFC 9162 section 2.1.3.2: does `path` prove leaf hash `leaf` at `index` in the tree of `size`?"""
    if not 0 <= index < size:
        return False
    fn, sn = index, size - 1
    r = leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def consistency_path(mth: RangeRoot, first: int, second: int) -> list[bytes]:
    """RFC 9162 section 2.1.4.1 PROOF(first, D[0:second]) from any range-root source; empty when equal."""
    path: list[bytes] = []
    start, end, m, complete = 0, second, first, True
    while True:
        n = end - start
        if m == n:
            if not complete:
                path.append(mth(start, end))
            break
        k = _split(n)
        if m <= k:
            path.append(mth(start + k, end))
            end = start + k
        else:
            path.append(mth(start, start + k))
            start += k
            m -= k
            complete = False
    path.reverse()
    return path


def consistency_proof(leaves: Sequence[bytes], first: int, second: int) -> list[bytes]:
    """PROOF(first, D[0:second]) over a list of leaf hashes."""
    if not 0 < first <= second <= len(leaves):
        raise ValueError("sizes out of range")
    return consistency_path(lambda s, e: root_of(leaves, s, e), first, second)


def verify_consistency(
    first: int, second: int, first_root: bytes, second_root: bytes, path: Sequence[bytes]
) -> bool:
    """RFC 9162 section 2.1.4.2: does `path` prove the tree of `first` leaves is a prefix of `second`'s?"""
    if not 0 < first <= second:
        return False
    if first == second:
        return not path and first_root == second_root
    proof = list(path)
    if first & (first - 1) == 0:  # an exact power of two: the old root is itself a node of the new tree
        proof.insert(0, first_root)
    if not proof:
        return False
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == first_root and sr == second_root


class BlockedTree:
    """MTH of any range from the roots of aligned BLOCK-leaf blocks plus the leaves near the range's edges,
    so a proof over n events reads about n / BLOCK + 2 * BLOCK hashes instead of n."""

    def __init__(self, blocks: Sequence[bytes], leaves: Mapping[int, bytes], block: int = BLOCK) -> None:
        self.blocks = blocks
        self.leaves = leaves
        self.block = block

    def root(self, start: int, end: int) -> bytes:
        n = end - start
        if n == 1:
            return self.leaves[start]  # KeyError: a leaf the caller did not load
        b = self.block
        if start % b == 0 and n % b == 0 and end // b <= len(self.blocks):
            # Every RFC 9162 split of an aligned multiple of BLOCK lands on a block boundary, so the MTH
            # over these leaves is the MTH over the blocks' roots.
            return root_of(self.blocks, start // b, end // b)
        k = _split(n)
        return node_hash(self.root(start, start + k), self.root(start + k, end))
