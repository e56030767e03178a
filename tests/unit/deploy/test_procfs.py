"""Telling whether a path in a process's arguments or working directory points into a data folder."""

from __future__ import annotations

import os
from pathlib import Path

from deploy import procfs


def test_the_folder_itself_and_what_is_inside_it_point_into_it() -> None:
    folder = Path("/srv/app/.rw")
    assert procfs.points_into("/srv/app/.rw", folder)
    assert procfs.points_into("/srv/app/.rw/nats/nats.conf", folder)
    assert procfs.points_into("--data-dir=/srv/app/.rw", folder)
    assert procfs.points_into("/srv/app/.rw -h", folder)


def test_a_sibling_with_the_same_prefix_does_not() -> None:
    folder = Path("/srv/app/.rw")
    assert not procfs.points_into("/srv/app/.rw2/nats.conf", folder)
    assert not procfs.points_into("/srv/app", folder)


def test_this_process_is_alive_and_its_arguments_and_directory_are_readable() -> None:
    pid = os.getpid()
    assert procfs.alive(pid)
    assert procfs.cmdline(pid)
    assert procfs.cwd(pid) == str(Path.cwd())
    assert procfs.parent_pid(pid) == os.getppid()
    assert procfs.uses_folder(pid, Path.cwd())


def test_a_pid_that_does_not_exist_is_not_alive() -> None:
    assert not procfs.alive(2**22 + 12345)
    assert procfs.cmdline(2**22 + 12345) == []
    assert procfs.wait_gone([2**22 + 12345], 0.1) == []
