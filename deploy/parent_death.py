"""Children that die with the launcher, however it ends: Linux's parent-death signal.

`prctl(PR_SET_PDEATHSIG)` asks the kernel to signal the child when the thread that forked it
exits, including when the launcher is killed with SIGKILL and no handler of ours runs. It
survives `exec` (except into set-user-id programs), so it is set between fork and exec. Children
must therefore be started from the launcher's main thread: a helper thread that exits would
take them down with it.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from collections.abc import Callable

__all__ = ["die_with_parent"]

_PR_SET_PDEATHSIG = 1


def _load_prctl() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    prctl.restype = ctypes.c_int
    # Resolved once, here: the function runs in the forked child, where loading a library is unsafe.
    found: Callable[..., int] = prctl
    return found


_PRCTL = _load_prctl()


def die_with_parent(sig: signal.Signals = signal.SIGTERM) -> Callable[[], None] | None:
    """A `preexec_fn` that makes the child receive `sig` when this process ends (None off Linux).

    If the parent died between fork and `prctl`, the signal would never come: the child then
    exits before it runs the program (the launcher's own signal handlers are still installed in
    the forked child, so signalling itself would not end it).
    """
    prctl = _PRCTL
    if prctl is None:
        return None
    parent = os.getpid()

    def preexec() -> None:
        if prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0) != 0:
            os._exit(126)
        if os.getppid() != parent:
            os._exit(125)

    return preexec
