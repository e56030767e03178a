"""The data folder's lock: one holder, a clear refusal that changes nothing, stale holders taken over."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from deploy.lock import LOCK_FILE, AlreadyRunningError, Holder, RunLock


def _snapshot(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


def test_the_holder_is_written_into_the_lock_file(tmp_path: Path) -> None:
    lock = RunLock(tmp_path)
    assert lock.acquire() is None  # a fresh folder: nobody held it before
    try:
        written = json.loads((tmp_path / LOCK_FILE).read_text())
        assert written["pid"] == os.getpid()
        assert written["started"]
        assert "python" in written["command"]
    finally:
        lock.release()


def test_a_second_lock_on_the_same_folder_is_refused_and_names_the_holder(tmp_path: Path) -> None:
    first = RunLock(tmp_path)
    first.acquire()
    try:
        before = _snapshot(tmp_path / LOCK_FILE)
        # flock locks belong to an open file: a second open in this same process conflicts too.
        with pytest.raises(AlreadyRunningError) as refused:
            RunLock(tmp_path).acquire()
        assert refused.value.holder is not None
        assert refused.value.holder.pid == os.getpid()
        assert _snapshot(tmp_path / LOCK_FILE) == before, "a refused lock must not touch the file"
    finally:
        first.release()


def test_a_released_lock_can_be_taken_again_and_leaves_no_holder_behind(tmp_path: Path) -> None:
    first = RunLock(tmp_path)
    first.acquire()
    first.release()
    assert (tmp_path / LOCK_FILE).read_text() == ""
    second = RunLock(tmp_path)
    assert second.acquire() is None, "a clean release is not reported as stale"
    second.release()


def test_a_stale_holder_is_reported_and_replaced(tmp_path: Path) -> None:
    stale = Holder(pid=999_999_999, started="2020-01-01 00:00:00", command="python -m deploy.run")
    (tmp_path / LOCK_FILE).write_text(json.dumps(stale.__dict__))
    lock = RunLock(tmp_path)
    assert lock.acquire() == stale
    try:
        assert json.loads((tmp_path / LOCK_FILE).read_text())["pid"] == os.getpid()
    finally:
        lock.release()


def test_garbage_in_the_lock_file_is_no_holder(tmp_path: Path) -> None:
    (tmp_path / LOCK_FILE).write_text("{not json")
    lock = RunLock(tmp_path)
    assert lock.acquire() is None
    lock.release()
