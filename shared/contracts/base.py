"""Base classes of every message contract: frozen, strict, versioned pydantic models."""

from __future__ import annotations

import re
from typing import Annotated, Any, ClassVar, Literal

from pydantic import ConfigDict, Field

from shared.vocabulary import Checked, Confidentiality, Entity, LegalEntity, Money

__all__ = [
    "CE_TYPE_PREFIX",
    "COMMAND_ID",
    "Command",
    "Confidentiality",
    "Contract",
    "Entity",
    "Event",
    "LegalEntity",
    "Money",
    "Query",
    "QueryReply",
    "command_types",
    "event_types",
    "subject_of_type",
]

CE_TYPE_PREFIX = "be.raderwerk"

#: What a command id may be: 8 to 64 printable ASCII characters, no spaces.
COMMAND_ID = re.compile(r"^[!-~]{8,64}$")


class Contract(Checked):
    """A message body: immutable and strict, so producers and readers agree exactly.

    Its dates and times fall in the years the records keep, and its times carry their offset
    (`shared.vocabulary.within_calendar`).
    """

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

    def __init_subclass__(cls, *, register: bool = True, **kwargs: Any) -> None:
        # `register=False` keeps a contract out of the registry (a test's stand-in for an old version).
        super().__init_subclass__(**kwargs)
        if cls.SUBJECT and register:
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
    VERSION: ClassVar[int] = 1
    """One higher when a field goes away (the acting person, say): a client sending the old body under
    the old `ce-type` is refused with `invalid_command` rather than read as something it did not say."""

    def __init_subclass__(cls, *, register: bool = True, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.NAME and register:
            subject = cls.subject()
            if subject in _COMMAND_TYPES and _COMMAND_TYPES[subject] is not cls:
                raise TypeError(f"two contracts claim {subject}")
            _COMMAND_TYPES[subject] = cls

    command_id: Annotated[str, Field(pattern=COMMAND_ID.pattern)]
    """Chosen by the caller (8 to 64 printable ASCII characters, e.g. a UUID); the same id on a retry.

    It travels as the `ce-id` header and keys the inbox, so it holds no spaces or control characters.
    """

    @classmethod
    def subject(cls) -> str:
        """The request/reply subject of this command."""
        return f"cmd.{cls.SERVICE}.{cls.NAME}"

    @classmethod
    def ce_type(cls) -> str:
        """`be.raderwerk.cmd.<service>.<command>.v<version>`."""
        return f"{CE_TYPE_PREFIX}.{cls.subject()}.v{cls.VERSION}"


class QueryReply(Contract):
    """The answer to a query, typed per query and versioned like an event.

    A query that cannot be answered (an unknown id, say) gets a rejected `CommandReply` instead,
    so a client reads `status` first.
    """

    VERSION: ClassVar[int] = 1
    QUERY: ClassVar[type[Query] | None] = None

    command_id: str
    status: Literal["accepted"] = "accepted"
    code: Literal["ok"] = "ok"

    @classmethod
    def reply_type(cls) -> str:
        """`be.raderwerk.cmd.<service>.<query>.reply.v<version>`."""
        if cls.QUERY is None:
            raise TypeError(f"{cls.__name__} answers no query")
        return f"{CE_TYPE_PREFIX}.{cls.QUERY.subject()}.reply.v{cls.VERSION}"


class Query(Command):
    """A question sent by request/reply on `cmd.<service>.<query>`; it changes nothing.

    Subclasses name their answer in `Reply`. A repeated query is answered afresh, never from a
    stored reply.
    """

    Reply: ClassVar[type[QueryReply]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        reply = cls.__dict__.get("Reply")
        if cls.NAME and reply is not None:
            if reply.QUERY is not None and reply.QUERY is not cls:
                raise TypeError(f"{reply.__name__} already answers {reply.QUERY.__name__}")
            reply.QUERY = cls


_TYPE = re.compile(rf"^{re.escape(CE_TYPE_PREFIX)}\.(?P<subject>[a-z0-9_]+(?:\.[a-z0-9_]+)+)\.v[1-9][0-9]{{0,3}}$")


def subject_of_type(ce_type: str) -> str | None:
    """The subject an event of CloudEvents type `ce_type` is published on (any version); None if not ours."""
    match = _TYPE.fullmatch(ce_type)
    return match["subject"] if match else None


def command_types() -> dict[str, type[Command]]:
    """Every registered command contract by subject (import the contract modules first)."""
    return dict(_COMMAND_TYPES)


def event_types() -> dict[str, type[Event]]:
    """Every registered event contract by CloudEvents type (import the contract modules first)."""
    return dict(_EVENT_TYPES)
