"""Operations every service with durable consumers serves: its dead letters and the replay of a consumer.

They are served by the shared messaging layer (`shared.messaging.operations`), not by a service's
registry: the dead letters and the consumers' pipelines are the same machinery in every service.
Each service has its own subjects (`cmd.<service>.list_dead_letters`, ...), so the classes are made
per service from the bases here; `operations_of(service)` answers them.

    rw dlq list|show|retry     ListDeadLetters, ShowDeadLetter, RetryDeadLetter
    rw replay <consumer>       ReplayConsumer
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import ConfigDict, Field

from shared.contracts.audit import MAX_SEQ
from shared.contracts.base import Command, Contract, Query, QueryReply
from shared.topology import CONSUMERS

__all__ = [
    "OPERATION_SERVICES",
    "SHOWN_BYTES",
    "DeadLetter",
    "DeadLetterDetail",
    "DeadLetterReply",
    "DeadLettersReply",
    "ListDeadLetters",
    "Operations",
    "ReplayConsumer",
    "RetryDeadLetter",
    "ShowDeadLetter",
    "is_operation",
    "operations_of",
]

#: How much of a dead letter's body a reply shows.
SHOWN_BYTES = 256 * 1024

#: Services whose durable consumers run through the shared pipeline (audit's ledger writer does not).
OPERATION_SERVICES: tuple[str, ...] = tuple(dict.fromkeys(c.service for c in CONSUMERS if c.service != "audit"))


class DeadLetter(Contract):
    """A message a consumer could not handle, with the reason (from the service's `dead_letters`)."""

    id: int
    consumer: str
    subject: str
    message_id: str | None
    stream_seq: int | None
    deliveries: int
    reason: str
    error: str
    created_at: dt.datetime
    handled: bool
    """The consumer's inbox holds the message now: a retry (or a later delivery) handled it."""


class DeadLetterDetail(DeadLetter):
    """A dead letter with its headers and body."""

    headers: dict[str, str]
    payload: str
    """The body (at most `SHOWN_BYTES` of it: a reply travels as one NATS message)."""
    payload_encoding: Literal["utf-8", "base64"]
    payload_size: int = 0
    """The whole body's size in bytes."""
    payload_truncated: bool = False
    """Only the first `SHOWN_BYTES` of the body are shown (`rw dlq retry` still hands over all of it)."""


class DeadLettersReply(QueryReply):
    """Base of each service's answer to `ListDeadLetters`: newest first."""

    service: str
    letters: tuple[DeadLetter, ...]
    truncated: bool


class DeadLetterReply(QueryReply):
    """Base of each service's answer to `ShowDeadLetter`."""

    service: str
    letter: DeadLetterDetail


class ListDeadLetters(Query):
    """Query (base): the service's dead letters, newest first."""

    consumer: str | None = Field(default=None, max_length=128)
    include_handled: bool = False
    limit: int = Field(default=100, gt=0, le=500)


class ShowDeadLetter(Query):
    """Query (base): one dead letter with its headers and body."""

    id: int = Field(gt=0, le=MAX_SEQ)


class RetryDeadLetter(Command):
    """Command (base): hand a dead letter to its consumer again, once (the inbox keeps it once).

    The reply's `data` says what came of it: `acked`, `duplicate` (it was handled already),
    `dead_lettered` (it still cannot be handled; the reason) or `retry` (a passing failure; try later).
    A consume record with `via = dlq_retry` audits the retry.
    """

    id: int = Field(gt=0, le=MAX_SEQ)


class ReplayConsumer(Command):
    """Command (base): re-drive one durable consumer's handlers over its stream from a sequence or a time.

    The durable consumer itself keeps its position; each message goes through the same pipeline
    (inbox first), so what was handled before is a duplicate and changes nothing. The reply's
    `data` counts the outcomes and gives the last stream sequence reached.
    """

    consumer: str = Field(max_length=128)
    from_seq: int | None = Field(default=None, ge=0, le=MAX_SEQ)
    from_time: dt.datetime | None = None
    limit: int = Field(default=10_000, gt=0, le=100_000)


@dataclass(frozen=True)
class Operations:
    """The operation contracts of one service."""

    list_dead_letters: type[ListDeadLetters]
    list_reply: type[DeadLettersReply]
    show_dead_letter: type[ShowDeadLetter]
    show_reply: type[DeadLetterReply]
    retry_dead_letter: type[RetryDeadLetter]
    replay_consumer: type[ReplayConsumer]


def _make(base: type[Any], service: str, name: str | None, **extra: Any) -> Any:
    namespace: dict[str, Any] = {
        "__module__": __name__,
        "__qualname__": f"{base.__name__}_{service}",
        "__doc__": (base.__doc__ or "").replace(" (base)", f" of {service}").replace("Base of each service's", "The"),
        # The fields and their docstrings are the base's: reading a made class's docstrings would
        # only search the call stack for a source it has not, about a sixth of a service's start-up.
        "model_config": ConfigDict(use_attribute_docstrings=False),
        **extra,
    }
    if name is not None:
        namespace.update(NAME=name, SERVICE=service)
    return type(f"{base.__name__}_{service}", (base,), namespace)


def _operations(service: str) -> Operations:
    list_reply = _make(DeadLettersReply, service, None)
    show_reply = _make(DeadLetterReply, service, None)
    return Operations(
        list_dead_letters=_make(ListDeadLetters, service, "list_dead_letters", Reply=list_reply),
        list_reply=list_reply,
        show_dead_letter=_make(ShowDeadLetter, service, "show_dead_letter", Reply=show_reply),
        show_reply=show_reply,
        retry_dead_letter=_make(RetryDeadLetter, service, "retry_dead_letter"),
        replay_consumer=_make(ReplayConsumer, service, "replay_consumer"),
    )


_OPERATIONS = {service: _operations(service) for service in OPERATION_SERVICES}


def operations_of(service: str) -> Operations:
    """The operation contracts of `service` (KeyError for a service without durable consumers)."""
    return _OPERATIONS[service]


def is_operation(contract: type[Command]) -> bool:
    """Whether a command contract is one of these operations (served by the shared layer)."""
    return issubclass(contract, ListDeadLetters | ShowDeadLetter | RetryDeadLetter | ReplayConsumer)
