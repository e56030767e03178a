"""What every register's entry has, so one repository shape keeps them all."""

from __future__ import annotations

import datetime as dt
import uuid

from pydantic import BaseModel, ConfigDict

__all__ = ["Document"]


class Document(BaseModel):
    """An entry of a register: immutable; a change is a new copy stored over the old one.

    `key()` identifies it, `opened()` places it in a year, `deadline()` and `pending()` let the
    deadline scan find what is late without reading every entry.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    def key(self) -> uuid.UUID:
        raise NotImplementedError

    def opened(self) -> dt.date:
        raise NotImplementedError

    def deadline(self) -> dt.date | None:
        """The day it must be dealt with; None when no term runs."""
        return None

    def pending(self) -> bool:
        """Whether its term still runs (unanswered, undecided)."""
        return False
