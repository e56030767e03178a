"""How a process started by `make run` knows its launcher: two variables in its environment.

`RW_SUPERVISOR_PID` names the launcher, so a service notices when its parent is gone (and stops
instead of running on without it); `RW_SUPERVISOR_DATA_DIR` names the data folder of that run, so
the next launcher can tell its leftovers from anybody else's processes.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

__all__ = ["SUPERVISOR_DATA_DIR", "SUPERVISOR_PID", "supervisor_gone"]

SUPERVISOR_PID = "RW_SUPERVISOR_PID"
SUPERVISOR_DATA_DIR = "RW_SUPERVISOR_DATA_DIR"


def supervisor_gone(environ: Mapping[str, str] = os.environ) -> bool:
    """Whether this process was started by a launcher that is no longer its parent.

    When a parent dies its children are handed to another process (init or a subreaper), so the
    parent pid changes; a process started by hand has no `RW_SUPERVISOR_PID` and is never orphaned.
    """
    expected = environ.get(SUPERVISOR_PID)
    return bool(expected) and str(os.getppid()) != expected
