"""Test-wide settings."""

from __future__ import annotations

import os

from hypothesis import settings

# Wall-clock deadlines flake on a loaded two-core machine; CI also runs a fixed set of examples
# so a red build is reproducible (developers' runs keep exploring new ones).
settings.register_profile("dev", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
