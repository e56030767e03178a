"""A value of a reply written as text, the same way in every table, CSV export and listing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import Enum

__all__ = ["cell"]


def cell(value: object) -> str:
    """Plain text: amounts with cents, enum values, ISO times, several values joined by ` | `, none empty."""
    if value is None:
        return ""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, tuple):
        return " | ".join(cell(v) for v in value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return str(value)
