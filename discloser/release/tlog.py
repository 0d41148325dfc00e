"""The ledger's Merkle tree: RFC 6962 hashing, inclusion and consistency proofs, tiles.

Written from RFC 6962 section 2.1 and RFC 9162 sections 2.1.3-2.1.4 (the proof verification
algorithms), and the tile layout of c2sp.org/tlog-tiles, so that any transparency-log client
(Go's ``golang.org/x/mod/sumdb/tlog``, transparency-dev/merkle) computes the same roots and
accepts the same proofs. Leaves are bytes (a ledger line without its newline); a tree keeps
the hash of every complete subtree, so a root or a proof costs O(log n) lookups, not a rehash.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from discloser.errors import DiscloserError

TILE_HEIGHT = 8
TILE_WIDTH = 1 << TILE_HEIGHT  # 256 hashes
MAX_ENTRY = 0xFFFF  # entry bundles prefix each entry with a big-endian uint16 length


class ProofError(DiscloserError):
    """A proof does not verify, or asks about a tree that cannot hold it."""

    exit_code = 1


def leaf_hash(data: bytes) -> bytes:
    """RFC 6962: MTH({d}) = SHA-256(0x00 || d)."""
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """RFC 6962: SHA-256(0x01 || MTH(left) || MTH(right))."""
    return hashlib.sha256(b"\x01" + left + right).digest()


EMPTY_ROOT = hashlib.sha256(b"").digest()


def _split(n: int) -> int:
    """The largest power of two smaller than ``n`` (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


class Tree:
    """The Merkle tree over a list of leaves, with every complete subtree's hash kept."""

    def __init__(self, leaves: Sequence[bytes]) -> None:
        level = [leaf_hash(d) for d in leaves]
        self.levels: list[list[bytes]] = [level]
        while len(level) > 1:
            level = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
            self.levels.append(level)

    @classmethod
    def of_hashes(cls, hashes: Sequence[bytes]) -> Tree:
        tree = cls([])
        tree.levels = [list(hashes)]
        level = tree.levels[0]
        while len(level) > 1:
            level = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
            tree.levels.append(level)
        return tree

    @property
    def size(self) -> int:
        return len(self.levels[0])

    def _mth(self, start: int, end: int) -> bytes:
        """MTH(D[start:end]) for a range the RFC's recursion asks about."""
        n = end - start
        if n == 0:
            return EMPTY_ROOT
        if n & (n - 1) == 0 and start % n == 0:  # a complete, aligned subtree: stored
            return self.levels[n.bit_length() - 1][start // n]
        k = _split(n)
        return node_hash(self._mth(start, start + k), self._mth(start + k, end))

    def root(self, size: int | None = None) -> bytes:
        """The root hash of the first ``size`` leaves (all of them by default)."""
        size = self.size if size is None else size
        if not 0 <= size <= self.size:
            raise ProofError(f"no tree of size {size} in a log of {self.size} entries")
        return self._mth(0, size)

    def inclusion(self, index: int, size: int | None = None) -> list[bytes]:
        """RFC 6962 PATH(m, D[n]): the audit path of leaf ``index`` in the tree of ``size``."""
        size = self.size if size is None else size
        if not 0 <= index < size <= self.size:
            raise ProofError(f"no leaf {index} in a tree of size {size}")
        return self._path(index, 0, size)

    def _path(self, m: int, start: int, end: int) -> list[bytes]:
        n = end - start
        if n == 1:
            return []
        k = _split(n)
        if m < k:
            return [*self._path(m, start, start + k), self._mth(start + k, end)]
        return [*self._path(m - k, start + k, end), self._mth(start, start + k)]

    def consistency(self, old: int, new: int | None = None) -> list[bytes]:
        """RFC 6962 PROOF(m, D[n]): that the tree of ``new`` leaves extends the one of ``old``."""
        new = self.size if new is None else new
        if not 0 <= old <= new <= self.size:
            raise ProofError(f"no consistency proof from size {old} to {new}")
        if old == 0 or old == new:
            return []
        return self._subproof(old, 0, new, True)

    def _subproof(self, m: int, start: int, end: int, whole: bool) -> list[bytes]:
        n = end - start
        if m == n:
            return [] if whole else [self._mth(start, end)]
        k = _split(n)
        if m <= k:
            return [*self._subproof(m, start, start + k, whole), self._mth(start + k, end)]
        return [*self._subproof(m - k, start + k, end, False), self._mth(start, start + k)]


def root_from_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes]) -> bytes:
    """RFC 9162 2.1.3.2: the root an inclusion proof leads to (raises when malformed)."""
    if not 0 <= index < size:
        raise ProofError(f"leaf {index} is outside a tree of size {size}")
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            raise ProofError("the inclusion proof is longer than the tree is deep")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("the inclusion proof is shorter than the tree is deep")
    return r


def verify_inclusion(
    index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes
) -> None:
    """Raise :class:`ProofError` unless ``leaf`` is leaf ``index`` of the tree with ``root``."""
    if root_from_inclusion(index, size, leaf, proof) != root:
        raise ProofError(f"leaf {index} is not in the tree of size {size} with that root")


def verify_consistency(
    old_size: int, new_size: int, proof: Sequence[bytes], old_root: bytes, new_root: bytes
) -> None:
    """RFC 9162 2.1.4.2: raise :class:`ProofError` unless the new tree extends the old."""
    if not 0 <= old_size <= new_size:
        raise ProofError(f"a tree of size {new_size} cannot extend one of size {old_size}")
    if old_size == new_size:
        if proof or old_root != new_root:
            raise ProofError(f"two different roots for the same size {old_size}")
        return
    if old_size == 0:
        if proof:
            raise ProofError("a consistency proof from the empty tree is empty")
        return
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # a power of two: the old root is the first node
        path.insert(0, old_root)
    if not path:
        raise ProofError("the consistency proof is empty")
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ProofError("the consistency proof is too long")
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
    if sn != 0 or fr != old_root or sr != new_root:
        raise ProofError(f"the tree of size {new_size} does not extend the tree of size {old_size}")


# ---------------------------------------------------------------------- tiles (tlog-tiles)


def tile_path(level: int | str, index: int, width: int = TILE_WIDTH) -> str:
    """``tile/<L>/<N>[.p/<W>]``, N in 3-digit elements, all but the last prefixed ``x``."""
    parts = [f"{index % 1000:03d}"]
    index //= 1000
    while index > 0:
        parts.insert(0, f"x{index % 1000:03d}")
        index //= 1000
    path = f"tile/{level}/{'/'.join(parts)}"
    return path if width == TILE_WIDTH else f"{path}.p/{width}"


def tiles(tree: Tree, entries: Sequence[bytes], size: int) -> dict[str, bytes]:
    """Every tile and entry bundle a client needs for the tree of ``size`` leaves.

    Full tiles hold 256 hashes; the rightmost ones are partial (``.p/<W>``). At level ``l``,
    hash ``i`` of tile ``n`` is MTH of the ``256**l`` leaves from ``(n*256 + i) * 256**l``,
    which is stored in the tree's level ``8*l``.
    """
    out: dict[str, bytes] = {}
    level = 0
    while size >> (TILE_HEIGHT * level) > 0:
        count = size >> (TILE_HEIGHT * level)  # hashes at this tile level
        hashes = tree.levels[TILE_HEIGHT * level][:count]
        for n in range((count + TILE_WIDTH - 1) // TILE_WIDTH):
            chunk = hashes[n * TILE_WIDTH : (n + 1) * TILE_WIDTH]
            out[tile_path(level, n, len(chunk))] = b"".join(chunk)
            if level == 0:
                bundle = entries[n * TILE_WIDTH : n * TILE_WIDTH + len(chunk)]
                out[tile_path("entries", n, len(chunk))] = b"".join(
                    len(e).to_bytes(2, "big") + e for e in bundle
                )
        level += 1
    return out


def read_bundle(data: bytes) -> list[bytes]:
    """The entries of an entry bundle (uint16 length-prefixed), for clients and tests."""
    out, at = [], 0
    while at < len(data):
        if at + 2 > len(data):
            raise ProofError("entry bundle ends inside a length")
        n = int.from_bytes(data[at : at + 2], "big")
        if at + 2 + n > len(data):
            raise ProofError("entry bundle ends inside an entry")
        out.append(data[at + 2 : at + 2 + n])
        at += 2 + n
    return out


def write_tiles(folder: Path, files: dict[str, bytes]) -> None:
    for name, data in sorted(files.items()):
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
