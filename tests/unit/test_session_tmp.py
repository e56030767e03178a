"""Each test session's folder is its own: kept while it runs, the last few kept after, older ones deleted."""

from __future__ import annotations

import os
from pathlib import Path

from tests.session_tmp import SessionTmp


def _aged(session: SessionTmp, age_s: int) -> SessionTmp:
    stat = session.folder.stat()
    os.utime(session.folder, (stat.st_atime - age_s, stat.st_mtime - age_s))
    return session


def test_finished_sessions_beyond_the_newest_three_are_deleted_a_running_one_never(tmp_path: Path) -> None:
    running = _aged(SessionTmp(tmp_path), 600)  # the oldest, and still running
    finished = [_aged(SessionTmp(tmp_path), 500 - 100 * i) for i in range(5)]  # oldest first
    for session in finished:
        session.release()
    now = SessionTmp(tmp_path)
    deleted = now.prune(keep=3)
    assert sorted(deleted) == sorted(s.folder for s in finished[:2])
    assert running.folder.exists()
    assert all(s.folder.exists() for s in finished[2:])
    assert now.basetemp.parent == now.folder
    running.release()
    now.release()
    # `now` is one of the newest three after it, so one more finished session goes, and the one that ended.
    assert sorted(SessionTmp(tmp_path).prune(keep=3)) == sorted([finished[2].folder, running.folder])
