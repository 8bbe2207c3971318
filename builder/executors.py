"""Where the per-article work runs: in this process, in a pool of processes
(``--jobs N``), or on a Dask cluster (``--executor dask --scheduler ADDRESS``).
Every executor returns results in the order of the input paths, so the merge
that follows sees the same input whatever ran the work.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")

EXECUTORS = ("local", "dask")


class ExecutorError(Exception):
    pass


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def run(
    paths: list[str],
    work: Callable[[str], T],
    jobs: int = 1,
    executor: str = "local",
    scheduler: str | None = None,
) -> Iterator[T]:
    """``work(path)`` for every path, results in input order. ``work`` must be picklable
    (a module-level function or a ``functools.partial`` of one) for pools and clusters."""
    if executor == "dask":
        yield from _dask(paths, work, scheduler)
    elif jobs <= 1 or len(paths) < 2:
        yield from map(work, paths)
    else:
        chunk = max(1, min(64, len(paths) // (jobs * 8) or 1))
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            yield from pool.map(work, paths, chunksize=chunk)


def _dask(paths: list[str], work: Callable[[str], T], scheduler: str | None) -> Iterator[T]:
    try:
        from distributed import Client
    except ImportError as e:
        raise ExecutorError(
            "the dask executor needs 'dask[distributed]' (pip install 'dask[distributed]')"
        ) from e
    if not scheduler:
        raise ExecutorError("--executor dask needs --scheduler ADDRESS (e.g. tcp://127.0.0.1:8786)")
    try:
        client = Client(scheduler, timeout="10s")
    except OSError as e:
        raise ExecutorError(f"cannot reach the dask scheduler at {scheduler}: {e}") from e
    with client:
        futures = client.map(work, paths, pure=True)
        yield from client.gather(futures)
