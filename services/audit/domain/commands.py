"""Audit's own commands (the contracts are translated into these in `adapters/translation.py`)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["RecordCheckpoint"]


@dataclass(frozen=True)
class RecordCheckpoint:
    """Sign the ledger's head now."""
