"""Helper processes that die with the build that started them.

A build killed with SIGKILL cannot stop its helpers: the speech workers wait for work on a queue
whose write end they hold themselves, and ffmpeg finishes its encode, so both ran on for minutes
(measured). On Linux each helper asks the kernel for SIGKILL when its parent dies
(`prctl(PR_SET_PDEATHSIG)`): the speech workers in their initializer, each synthesis child right
after the fork, ffmpeg between fork and exec. Elsewhere this does nothing.

The kernel sends the signal when the *thread* that started the process ends, not the whole
process. That is safe for every helper here: ffmpeg is started by `subprocess.run`, which waits
for it in the same thread (a pool thread in `encoded.py` and `verify/check.py` cannot end while its
ffmpeg runs); the speech workers are started from the thread that submits work (the build's
main thread, which lives as long as the build); a synthesis child is waited for by its worker.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from collections.abc import Callable

_PR_SET_PDEATHSIG = 1


def _load_prctl() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    prctl.restype = ctypes.c_int
    return prctl


# Looked up once here: the hook runs in a forked child before exec, where importing or
# loading a library could deadlock on a lock another thread held at the fork.
_PRCTL = _load_prctl()


def die_with_parent(parent: int) -> None:
    """Ask for SIGKILL when the parent dies; die now if `parent` is already gone.

    `parent` is the parent's pid as the parent saw it before starting us: if it died before the
    request took effect, we have been handed to another process already and no signal will come.
    """
    if _PRCTL is None:
        return
    _PRCTL(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os.kill(os.getpid(), signal.SIGKILL)


def child_hook() -> Callable[[], None] | None:
    """A `preexec_fn` for `subprocess` that makes the child die with this process's thread
    (None where there is nothing to do, so `subprocess` may keep its faster vfork path)."""
    if _PRCTL is None:
        return None
    parent = os.getpid()
    return lambda: die_with_parent(parent)
