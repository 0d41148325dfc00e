"""Spread independent per-file work over the CPUs, with results in input order.

Validation and rendering treat each declaration on its own, so large sets are cut into
contiguous chunks and handed to forked workers; results come back in chunk order, which makes
every report and output independent of how many CPUs ran it. Fork (Linux) shares the imported
modules and compiled templates with the workers for free; elsewhere the work stays in one
process rather than paying to re-import everything.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many items one process is faster than starting others.
PARALLEL_FROM = 400


def workers() -> int:
    """``DISCLOSER_WORKERS`` if set, else the CPUs this process may use (Linux), else one."""
    given = os.environ.get("DISCLOSER_WORKERS", "")
    if given.isdigit() and int(given) > 0:
        return min(int(given), 32)
    if sys.platform != "linux":
        return 1
    return max(1, min(len(os.sched_getaffinity(0)), 8))


def map_chunks(work: Callable[[Sequence[T]], R], items: Sequence[T]) -> list[R]:
    """``work`` applied to contiguous chunks of ``items``, in order; forked when it pays."""
    count = workers() if len(items) >= PARALLEL_FROM else 1
    if count == 1:
        return [work(items)]
    import multiprocessing

    size = -(-len(items) // (count * 4))
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    with multiprocessing.get_context("fork").Pool(count) as pool:
        return pool.map(work, chunks)
