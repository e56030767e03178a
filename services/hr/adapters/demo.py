"""The demo municipality's staff, read from `deploy/demo/municipality.yaml`."""

from __future__ import annotations

from pathlib import Path

import yaml

from services.hr.domain.model import StaffMember, staff_from_demo

__all__ = ["load_demo_staff"]


def load_demo_staff(path: Path) -> list[StaffMember]:
    """Parse the file's `persons` into staff members (fails naming the bad entry)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path} is not a YAML mapping")
    return staff_from_demo(data)
