"""Contracts shared by several services: the command reply, financial impact, follow-up actions."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from shared.contracts.base import Contract
from shared.vocabulary import BodyKind, FinancialImpact, FollowUpAction, FollowUpKind

__all__ = [
    "BodyKind",
    "CommandReply",
    "CommandStatus",
    "FinancialImpact",
    "FollowUpAction",
    "FollowUpKind",
]


class CommandStatus(StrEnum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class CommandReply(Contract):
    """The answer to every command: accepted with the ids it made, or rejected with a reason."""

    command_id: str
    status: CommandStatus
    code: str = "ok"
    """Machine-readable reason, e.g. `invalid_command`, `unknown_item`; `ok` when accepted."""
    message: str = ""
    """A sentence a person can act on."""
    ids: dict[str, str] = Field(default_factory=dict)
    data: dict[str, object] = Field(default_factory=dict)
    """Query results, for commands that are queries."""

    @property
    def accepted(self) -> bool:
        """Whether the command was carried out."""
        return self.status is CommandStatus.ACCEPTED
