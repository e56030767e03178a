"""Base classes of every message contract: frozen, strict, versioned pydantic models."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "CE_TYPE_PREFIX",
    "Command",
    "Confidentiality",
    "Contract",
    "Entity",
    "Event",
    "LegalEntity",
    "Money",
    "command_types",
    "event_types",
]

CE_TYPE_PREFIX = "be.raderwerk"

#: Euro amounts: exact decimals with cents, serialised as JSON strings (never floats).
Money = Annotated[Decimal, Field(max_digits=15, decimal_places=2, allow_inf_nan=False)]


class LegalEntity(StrEnum):
    """One of the two legal persons that own credits, decisions and contracts."""

    GEMEENTE = "gemeente"
    OCMW = "ocmw"


class Entity(StrEnum):
    """The `ce-entity` header: which legal entity a message concerns."""

    GEMEENTE = "gemeente"
    OCMW = "ocmw"
    BOTH = "both"


class Confidentiality(StrEnum):
    """`public`; `closed` (besloten zitting); `social` (BCSD, social-welfare content)."""

    PUBLIC = "public"
    CLOSED = "closed"
    SOCIAL = "social"


class Contract(BaseModel):
    """A message body: immutable and strict, so producers and readers agree exactly."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)


_EVENT_TYPES: dict[str, type[Event]] = {}
_COMMAND_TYPES: dict[str, type[Command]] = {}


class Event(Contract):
    """A fact, named in the past tense, published on `<service>.<aggregate>.<event>`.

    Subclasses set `SUBJECT` and `VERSION`; the CloudEvents type is derived from both, so a
    breaking change is a new class with a new version (and an upcaster for old readers).
    """

    SUBJECT: ClassVar[str] = ""
    VERSION: ClassVar[int] = 1

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.SUBJECT:
            ce_type = cls.ce_type()
            if ce_type in _EVENT_TYPES and _EVENT_TYPES[ce_type] is not cls:
                raise TypeError(f"two contracts claim {ce_type}")
            _EVENT_TYPES[ce_type] = cls

    @classmethod
    def ce_type(cls) -> str:
        """`be.raderwerk.<subject>.v<version>`."""
        return f"{CE_TYPE_PREFIX}.{cls.SUBJECT}.v{cls.VERSION}"


class Command(Contract):
    """An imperative request sent by request/reply on `cmd.<service>.<command>`.

    `command_id` makes a retried command idempotent: the handler answers a repeat with the
    reply it gave the first time.
    """

    NAME: ClassVar[str] = ""
    SERVICE: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.NAME:
            subject = cls.subject()
            if subject in _COMMAND_TYPES and _COMMAND_TYPES[subject] is not cls:
                raise TypeError(f"two contracts claim {subject}")
            _COMMAND_TYPES[subject] = cls

    command_id: Annotated[str, Field(min_length=8, max_length=64)]
    """Chosen by the caller; the same id on a retry."""

    @classmethod
    def subject(cls) -> str:
        """The request/reply subject of this command."""
        return f"cmd.{cls.SERVICE}.{cls.NAME}"

    @classmethod
    def ce_type(cls) -> str:
        """`be.raderwerk.cmd.<service>.<command>.v1`."""
        return f"{CE_TYPE_PREFIX}.{cls.subject()}.v1"


def command_types() -> dict[str, type[Command]]:
    """Every registered command contract by subject (import the contract modules first)."""
    return dict(_COMMAND_TYPES)


def event_types() -> dict[str, type[Event]]:
    """Every registered event contract by CloudEvents type (import the contract modules first)."""
    return dict(_EVENT_TYPES)
