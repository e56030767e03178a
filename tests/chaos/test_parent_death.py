"""The parent-death signal: a child started with it ends when the process that started it is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from tests.chaos.launcher import ROOT, pid_alive, until

MIDDLE = textwrap.dedent(
    """
    import subprocess, sys, time
    from deploy.parent_death import die_with_parent
    child = subprocess.Popen(["sleep", "600"], preexec_fn=die_with_parent(), start_new_session=True)
    print(child.pid, flush=True)
    time.sleep(600)
    """
)


@pytest.mark.timeout(60)
def test_a_child_dies_with_its_parent_even_when_the_parent_is_killed() -> None:
    middle = subprocess.Popen([sys.executable, "-c", MIDDLE], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert middle.stdout is not None
    child = int(middle.stdout.readline())
    try:
        assert pid_alive(child)
        middle.send_signal(signal.SIGKILL)
        middle.wait(timeout=10)
        until(lambda: pid_alive(child), lambda alive: not alive, timeout=5, what="the child to die with its parent")
    finally:
        if pid_alive(child):
            os.kill(child, signal.SIGKILL)
