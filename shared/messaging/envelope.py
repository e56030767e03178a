"""CloudEvents 1.0 in binary mode over NATS headers (DESIGN §3).

The body is the contract as JSON; every attribute travels as a `ce-` header, so any
CloudEvents SDK reading binary-mode headers can read every message. `Nats-Msg-Id` equals
`ce-id` (the outbox row id), which makes a republish a JetStream duplicate.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field

from shared.contracts.base import Confidentiality, Entity
from shared.messaging.rfc3339 import TimeUnreadable, read_time
from shared.tracing import inject_current

__all__ = ["SPEC_VERSION", "Envelope", "EnvelopeError", "new_message_id"]

SPEC_VERSION = "1.0"
_REQUIRED = ("ce-specversion", "ce-id", "ce-source", "ce-type", "ce-time")

# Ids key inbox and dead-letter rows (a B-tree entry holds about 2,700 bytes) and travel on into
# the headers of every message they cause: a generous bound, far above a UUID's 36 characters.
_ID_MAX = 256
_LIMITS = {
    "ce-id": _ID_MAX,
    "ce-correlationid": _ID_MAX,
    "ce-causationid": _ID_MAX,
    "Nats-Msg-Id": _ID_MAX,
    "ce-type": 256,
}
_TEXT_MAX = 2_048
# Control characters: PostgreSQL stores no NUL, and the others have no place in an attribute.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _check_attribute(name: str, value: str) -> None:
    limit = _LIMITS.get(name, _TEXT_MAX)
    if len(value) > limit:
        raise EnvelopeError(f"{name} is {len(value)} characters long; at most {limit}")
    if _CONTROL.search(value):
        raise EnvelopeError(f"{name} contains a control character")


def _time(value: str) -> dt.datetime:
    """`ce-time`: RFC 3339, so with its offset; a time without one is nobody's time."""
    try:
        return read_time(value, "ce-time")
    except TimeUnreadable as exc:
        raise EnvelopeError(str(exc)) from exc


class EnvelopeError(ValueError):
    """Headers that do not form a valid envelope; such a message is dead-lettered."""


def new_message_id() -> str:
    """A fresh message id (UUID4 text)."""
    return str(uuid.uuid4())


@dataclass(frozen=True, slots=True)
class Envelope:
    """The CloudEvents attributes and Raderwerk extensions of one message."""

    id: str
    type: str
    source: str
    time: dt.datetime
    correlation_id: str
    causation_id: str | None = None
    subject: str | None = None
    """`ce-subject`: the aggregate the event is about (e.g. a decision id)."""
    entity: Entity = Entity.BOTH
    confidentiality: Confidentiality = Confidentiality.PUBLIC
    dataschema: str | None = None
    extra: Mapping[str, str] = field(default_factory=dict)

    def to_headers(self) -> dict[str, str]:
        """CloudEvents binary-mode headers, `Nats-Msg-Id` for deduplication and the current `traceparent`."""
        headers = {
            "ce-specversion": SPEC_VERSION,
            "ce-id": self.id,
            "ce-source": self.source,
            "ce-type": self.type,
            "ce-time": self.time.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
            "ce-correlationid": self.correlation_id,
            "ce-entity": self.entity.value,
            "ce-confidentiality": self.confidentiality.value,
            "content-type": "application/json",
            "Nats-Msg-Id": self.id,
        }
        if self.causation_id:
            headers["ce-causationid"] = self.causation_id
        if self.subject:
            headers["ce-subject"] = self.subject
        if self.dataschema:
            headers["ce-dataschema"] = self.dataschema
        headers.update(self.extra)
        # The span handling the cause (if any) is this message's parent, even when it waits in an outbox.
        inject_current(headers)
        return headers

    @classmethod
    def from_headers(cls, headers: Mapping[str, str] | None) -> Envelope:
        """Read an envelope back; raises `EnvelopeError` naming what is missing or wrong."""
        if not headers:
            raise EnvelopeError("message has no headers, so no CloudEvents envelope")
        missing = [h for h in _REQUIRED if not headers.get(h)]
        if missing:
            raise EnvelopeError(f"missing CloudEvents headers: {', '.join(missing)}")
        if headers["ce-specversion"] != SPEC_VERSION:
            raise EnvelopeError(f"unsupported ce-specversion {headers['ce-specversion'][:20]!r}")
        for name, value in headers.items():
            if name in _LIMITS or name.startswith("ce-"):
                _check_attribute(name, value)
        time = _time(headers["ce-time"])
        try:
            entity = Entity(headers.get("ce-entity", Entity.BOTH.value))
            confidentiality = Confidentiality(headers.get("ce-confidentiality", Confidentiality.PUBLIC.value))
        except ValueError as exc:
            raise EnvelopeError(f"invalid envelope attribute: {exc}") from exc
        known = {
            *_REQUIRED,
            "ce-correlationid",
            "ce-causationid",
            "ce-subject",
            "ce-entity",
            "ce-confidentiality",
            "ce-dataschema",
            "content-type",
            "Nats-Msg-Id",
        }
        return cls(
            id=headers["ce-id"],
            type=headers["ce-type"],
            source=headers["ce-source"],
            time=time,
            # A message without a correlation id starts its own tree.
            correlation_id=headers.get("ce-correlationid") or headers["ce-id"],
            causation_id=headers.get("ce-causationid"),
            subject=headers.get("ce-subject"),
            entity=entity,
            confidentiality=confidentiality,
            dataschema=headers.get("ce-dataschema"),
            extra={k: v for k, v in headers.items() if k not in known},
        )

    def caused(
        self,
        *,
        type: str,  # noqa: A002 - the CloudEvents attribute is called `type`
        source: str,
        subject: str | None = None,
        entity: Entity = Entity.BOTH,
        confidentiality: Confidentiality = Confidentiality.PUBLIC,
        dataschema: str | None = None,
    ) -> Envelope:
        """The envelope of a message caused by this one: same correlation, causation = our id."""
        return Envelope(
            id=new_message_id(),
            type=type,
            source=source,
            time=dt.datetime.now(dt.UTC),
            correlation_id=self.correlation_id,
            causation_id=self.id,
            subject=subject,
            entity=entity,
            confidentiality=confidentiality,
            dataschema=dataschema,
        )
