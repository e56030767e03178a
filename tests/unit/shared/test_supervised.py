"""A service knows its launcher is gone when its parent is no longer the launcher it was started by."""

from __future__ import annotations

import os

from shared.supervised import SUPERVISOR_PID, supervisor_gone


def test_a_process_started_by_hand_is_never_orphaned() -> None:
    assert not supervisor_gone({})
    assert not supervisor_gone({SUPERVISOR_PID: ""})


def test_the_parent_it_was_started_by_is_still_there() -> None:
    assert not supervisor_gone({SUPERVISOR_PID: str(os.getppid())})


def test_another_parent_means_the_launcher_is_gone() -> None:
    assert supervisor_gone({SUPERVISOR_PID: str(os.getppid() + 100_000)})
