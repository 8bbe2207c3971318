"""One piece of a scan's central work run in a forked child while this process goes on.

With ``--jobs 2`` or more, writing the article records and saving the per-article
cache (which need only what the workers returned) run beside the merge, the event
plan and the event writes instead of after them. The child is a ``fork`` of this
process: it sees the scan's data without any of it being copied or pickled, and
sends back only a small result (or the exception it raised) through a pipe.

The child dies with its parent (``PR_SET_PDEATHSIG`` on Linux): a killed scan
leaves no orphan writing files behind the next run. Every file it writes is
written atomically, like the parent's.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class BackgroundError(RuntimeError):
    pass


def available() -> bool:
    """``fork`` exists here (not on Windows)."""
    return hasattr(os, "fork")


def _die_with_parent() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # no libc to ask: the child only outlives a killed parent briefly
        pass


class Background(Generic[T]):
    """``fn()`` in a forked child; ``result()`` waits for it and returns its value or raises
    its exception."""

    def __init__(self, fn: Callable[[], T]):
        parent = os.getpid()
        read_end, write_end = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the child
            os.close(read_end)
            _die_with_parent()
            if os.getppid() != parent:  # the parent died before prctl took effect
                os._exit(1)
            try:
                payload = pickle.dumps(("ok", fn()), protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException as e:  # noqa: BLE001 - every failure goes back to the parent
                try:
                    payload = pickle.dumps(("error", e), protocol=pickle.HIGHEST_PROTOCOL)
                except Exception:  # noqa: BLE001 - an exception that cannot be pickled
                    payload = pickle.dumps(("error", BackgroundError(f"{type(e).__name__}: {e}")))
            with os.fdopen(write_end, "wb") as f:
                f.write(payload)
            os._exit(0)  # no atexit handlers, no flushing of buffers copied from the parent
        os.close(write_end)
        self._read_end = read_end
        self._done = False

    def result(self) -> T:
        if self._done:
            raise BackgroundError("result() was already taken")
        self._done = True
        with os.fdopen(self._read_end, "rb") as f:
            payload = f.read()  # read before waiting: a full pipe would block the child
        _, status = os.waitpid(self.pid, 0)
        if not payload:
            raise BackgroundError(f"the background process ended without a result (wait status {status})")
        kind, value = pickle.loads(payload)  # noqa: S301 - written by our own child
        if kind == "error":
            raise value
        return value
