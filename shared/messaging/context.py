"""The message being handled, so new messages inherit its correlation id.

A context variable rather than a parameter: the unit of work and the log lines both need it,
and threading it through every domain call would leak messaging into the domain.
"""

from __future__ import annotations

import datetime as dt
from contextvars import ContextVar, Token

import structlog

from shared.actor import Actor
from shared.contracts.base import Confidentiality, Entity
from shared.messaging.envelope import Envelope, new_message_id

__all__ = ["acting", "current_actor", "current_cause", "envelope_for", "handling"]

_current: ContextVar[Envelope | None] = ContextVar("raderwerk_current_message", default=None)
_actor: ContextVar[Actor | None] = ContextVar("raderwerk_current_actor", default=None)


def current_actor() -> Actor | None:
    """The verified actor of the command or query being handled; None outside one (events, jobs)."""
    return _actor.get()


class acting:  # noqa: N801 - used as a context manager, reads like a statement
    """`with acting(actor):` binds the verified actor and names it in the log context."""

    def __init__(self, actor: Actor) -> None:
        self._actor = actor
        self._token: Token[Actor | None] | None = None

    def __enter__(self) -> Actor:
        self._token = _actor.set(self._actor)
        structlog.contextvars.bind_contextvars(actor=self._actor.person_id, via=self._actor.via)
        return self._actor

    def __exit__(self, *exc: object) -> None:
        structlog.contextvars.unbind_contextvars("actor", "via")
        if self._token is not None:
            _actor.reset(self._token)


def current_cause() -> Envelope | None:
    """The envelope of the message being handled, if any."""
    return _current.get()


class handling:  # noqa: N801 - used as a context manager, reads like a statement
    """`with handling(envelope, subject):` binds the envelope and the log context."""

    def __init__(self, envelope: Envelope, nats_subject: str) -> None:
        self._envelope = envelope
        self._subject = nats_subject
        self._token: Token[Envelope | None] | None = None

    def __enter__(self) -> Envelope:
        self._token = _current.set(self._envelope)
        structlog.contextvars.bind_contextvars(
            correlation_id=self._envelope.correlation_id,
            message_id=self._envelope.id,
            subject=self._subject,
        )
        return self._envelope

    def __exit__(self, *exc: object) -> None:
        structlog.contextvars.unbind_contextvars("correlation_id", "message_id", "subject")
        if self._token is not None:
            _current.reset(self._token)


def envelope_for(
    *,
    type: str,  # noqa: A002 - the CloudEvents attribute is called `type`
    source: str,
    subject: str | None,
    entity: Entity,
    confidentiality: Confidentiality,
    dataschema: str | None = None,
    correlation_id: str | None = None,
) -> Envelope:
    """A new envelope, caused by the message being handled when there is one."""
    cause = current_cause()
    if cause is not None and correlation_id is None:
        return cause.caused(
            type=type,
            source=source,
            subject=subject,
            entity=entity,
            confidentiality=confidentiality,
            dataschema=dataschema,
        )
    message_id = new_message_id()
    return Envelope(
        id=message_id,
        type=type,
        source=source,
        time=dt.datetime.now(dt.UTC),
        correlation_id=correlation_id or message_id,
        causation_id=cause.id if cause else None,
        subject=subject,
        entity=entity,
        confidentiality=confidentiality,
        dataschema=dataschema,
    )
