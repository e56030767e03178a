"""The bench's CPU meter counts what a process and its children spend, and nothing for an idle one."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from bench.cpu import CpuMeter

#: A child that spends 0.3 s of CPU, says so, and lives on until its stdin closes.
BURN = (
    "import sys, time\n"
    "end = time.process_time() + 0.3\n"
    "while time.process_time() < end: pass\n"
    "print('burnt', flush=True)\n"
    "sys.stdin.read()\n"
)


def _burn(seconds: float) -> None:
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def test_a_busy_process_is_charged_and_an_idle_one_is_not() -> None:
    idle = subprocess.Popen(
        [sys.executable, "-c", "import sys; print('up', flush=True); sys.stdin.read()"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert idle.stdout is not None
        assert idle.stdout.readline() == "up\n"  # its start-up is spent before the meter starts
        meter = CpuMeter({"me": os.getpid(), "idle": idle.pid})
        meter.start()
        _burn(0.3)
        spent = meter.stop()
    finally:
        idle.communicate("")
    assert spent["me"] >= 0.25
    assert spent["idle"] < 0.1
    assert list(spent) == ["me", "idle"]  # the busiest first


def test_the_children_of_a_parent_count_under_its_name() -> None:
    meter = CpuMeter({}, with_children={"parent": os.getpid()})
    meter.start()
    child = subprocess.Popen([sys.executable, "-c", BURN], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        assert child.stdout.readline() == "burnt\n"  # blocks: the parent itself spends next to nothing
        spent = meter.stop()  # while the child lives: a process's ticks count while it is there
    finally:
        child.communicate("")
    assert spent["parent"] >= 0.25


def test_a_process_that_is_gone_is_left_out() -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    meter = CpuMeter({"gone": gone.pid})
    meter.start()
    assert meter.stop() == {}
