"""Test-wide settings."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

from tests.session_tmp import SessionTmp

_SESSION_TMP = pytest.StashKey[SessionTmp]()

# Wall-clock deadlines flake on a loaded two-core machine; CI also runs a fixed set of examples
# so a red build is reproducible (developers' runs keep exploring new ones).
settings.register_profile("dev", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """A folder of the session's own unless `--basetemp` names one (`tests/session_tmp.py`)."""
    if config.option.basetemp is None and not hasattr(config, "workerinput"):  # xdist workers get theirs
        own = SessionTmp()
        own.prune()
        config.option.basetemp = str(own.basetemp)
        config.stash[_SESSION_TMP] = own


def pytest_unconfigure(config: pytest.Config) -> None:
    own = config.stash.get(_SESSION_TMP, None)
    if own is not None:
        own.release()
