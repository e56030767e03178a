"""Contracts shared by several services: the command reply, financial impact, follow-up actions."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import Field

from shared.contracts.base import Contract, LegalEntity, Money

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


class BodyKind(StrEnum):
    """Governing bodies (bestuursorganen) of both entities."""

    GEMEENTERAAD = "gemeenteraad"
    RAAD_MAATSCHAPPELIJK_WELZIJN = "raad_maatschappelijk_welzijn"
    COLLEGE = "college"
    VAST_BUREAU = "vast_bureau"
    BCSD = "bcsd"
    DISTRICTSRAAD = "districtsraad"
    DISTRICTSCOLLEGE = "districtscollege"


class FinancialImpact(Contract):
    """What a decision costs, coded as the BBC rules require."""

    entity: LegalEntity
    amount: Money = Field(gt=0)
    """Amount in euro, excluding VAT where recoverable."""
    economic_account: Annotated[str, Field(pattern=r"^\d{4,10}$")]
    """Algemene rekening, e.g. `6130000`."""
    policy_field: Annotated[str, Field(pattern=r"^\d{4}$")]
    """Beleidsveld, e.g. `0119`."""
    action: str | None = None
    """Actie of the multi-year plan, e.g. `AC-1.2.3`."""
    investment_project: str | None = None
    financial_year: Annotated[int, Field(ge=2000, le=2100)]
    third_party: str | None = None
    """Supplier or beneficiary."""


class FollowUpKind(StrEnum):
    EXECUTE = "execute"
    NOTIFY = "notify"
    REPORT = "report"
    SIGN = "sign"
    PUBLISH = "publish"


class FollowUpAction(Contract):
    """Something that must be done once the decision is adopted."""

    action_id: str
    kind: FollowUpKind
    description: Annotated[str, Field(min_length=1, max_length=500)]
    unit_code: str | None = None
    """Organogram unit responsible; its head (or delegate) becomes the owner."""
    due_date: dt.date | None = None
