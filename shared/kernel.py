"""The pure building blocks every service's domain and service layer share.

One rejection path: a rule that says no raises `RuleViolation` with a documented code
(`docs/rejection-codes.md`). The messaging layer turns it into a rejected reply for a command and
into a dead letter with its code for an event that can never be handled; no service catches it.
Where a refusal is itself a fact that others must learn (a credit exhausted, an appointment
refused), the domain answers a `Refusal` value instead, and the reaction emits it as an event.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["Accepted", "DomainEvent", "Refusal", "RuleViolation", "refuse"]


class RuleViolation(Exception):
    """A rule refused the request; nothing changed. `code` is documented, `message` says why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Refusal:
    """A rule's "no" as a value, for callers that record the refusal instead of failing."""

    code: str
    message: str

    def violation(self) -> RuleViolation:
        """The same refusal as an exception, for callers that stop."""
        return RuleViolation(self.code, self.message)


def refuse(refusal: Refusal | None) -> None:
    """Raise the refusal when there is one."""
    if refusal is not None:
        raise refusal.violation()


@dataclass(frozen=True)
class DomainEvent:
    """Base of every service's domain events; the service's translation turns each into a contract."""


@dataclass(frozen=True)
class Accepted:
    """A command carried out: the ids it made, and a few facts the caller may show."""

    ids: Mapping[str, str] = field(default_factory=dict)
    data: Mapping[str, object] = field(default_factory=dict)
