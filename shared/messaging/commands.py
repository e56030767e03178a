"""Commands by request/reply on `cmd.<service>.<command>` (DESIGN §3).

Serving: the body is validated against the command contract (a malformed command is rejected
with `invalid_command` and changes nothing); the handler runs in a unit of work; an accepted
reply is stored under the command id so a retry gets the same answer without a second effect.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import nats.aio.client
from faststream.nats import NatsBroker
from faststream.nats.annotations import NatsMessage
from pydantic import ValidationError

from shared.contracts.base import Command
from shared.contracts.common import CommandReply, CommandStatus
from shared.db.uow import SqlUnitOfWork
from shared.logging import get_logger
from shared.messaging.context import handling
from shared.messaging.envelope import Envelope, EnvelopeError, new_message_id
from shared.messaging.errors import CommandRejected

__all__ = ["bind_command", "command_headers", "send_command"]

log = get_logger(__name__)

U = TypeVar("U", bound=SqlUnitOfWork)
C = TypeVar("C", bound=Command)


def _rejected(command_id: str, code: str, message: str) -> CommandReply:
    return CommandReply(command_id=command_id, status=CommandStatus.REJECTED, code=code, message=message)


def _envelope(headers: dict[str, str] | None, command_id: str, ce_type: str) -> Envelope:
    try:
        return Envelope.from_headers(headers)
    except EnvelopeError:
        # Commands from simple clients may lack an envelope: the command starts a new tree.
        import datetime as dt

        return Envelope(
            id=command_id or new_message_id(),
            type=ce_type,
            source="/raderwerk/unknown-client",
            time=dt.datetime.now(dt.UTC),
            correlation_id=command_id or new_message_id(),
        )


def bind_command(
    broker: NatsBroker,
    model: type[C],
    handler: Callable[[Any, C, Envelope], Awaitable[CommandReply]],
    *,
    uow_factory: Callable[[], U],
    idempotent: bool = True,
) -> None:
    """Serve `model` on its subject with `handler`, in a queue group so replicas share the load."""

    @broker.subscriber(model.subject(), queue=model.SERVICE, title=model.subject(), description=model.__doc__)
    async def serve(msg: NatsMessage) -> dict[str, Any]:
        raw = msg.raw_message
        try:
            body = json.loads(raw.data)
        except ValueError as exc:
            return _rejected("", "invalid_command", f"body is not JSON: {exc}").model_dump(mode="json")
        command_id = str(body.get("command_id", "")) if isinstance(body, dict) else ""
        try:
            command = model.model_validate(body)
        except ValidationError as exc:
            errors = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'body'}: {e['msg']}" for e in exc.errors())
            return _rejected(command_id, "invalid_command", errors).model_dump(mode="json")
        envelope = _envelope(dict(raw.headers or {}), command.command_id, model.ce_type())
        with handling(envelope, raw.subject):
            reply = await _handle(model, handler, uow_factory, command, envelope, idempotent)
        log.info("command handled", command=model.NAME, status=reply.status.value, code=reply.code)
        return reply.model_dump(mode="json")


async def _handle(  # noqa: PLR0917 - private helper of bind_command
    model: type[C],
    handler: Callable[[Any, C, Envelope], Awaitable[CommandReply]],
    uow_factory: Callable[[], U],
    command: C,
    envelope: Envelope,
    idempotent: bool,
) -> CommandReply:
    try:
        async with uow_factory() as uow:
            if idempotent:
                stored = await uow.stored_result(model.subject(), command.command_id)
                if stored is not None:
                    return CommandReply.model_validate(stored)
            reply = await handler(uow, command, envelope)
            if idempotent and reply.accepted:
                await uow.record_handled(model.subject(), command.command_id, reply.model_dump(mode="json"))
            await uow.commit()
            return reply
    except CommandRejected as exc:
        return _rejected(command.command_id, exc.code, exc.message)
    except Exception as exc:
        log.exception("command failed", command=model.NAME)
        return _rejected(command.command_id, "internal_error", f"{type(exc).__name__}: try again later")


def command_headers(command: Command, *, source: str, correlation_id: str | None = None) -> dict[str, str]:
    """CloudEvents headers for a command: its id is the command id."""
    import datetime as dt

    envelope = Envelope(
        id=command.command_id,
        type=command.ce_type(),
        source=source,
        time=dt.datetime.now(dt.UTC),
        correlation_id=correlation_id or command.command_id,
    )
    headers = envelope.to_headers()
    # Commands are captured by a no-ack stream; deduplication there is irrelevant.
    headers.pop("Nats-Msg-Id", None)
    return headers


async def send_command(
    nc: nats.aio.client.Client,
    command: Command,
    *,
    source: str,
    correlation_id: str | None = None,
    timeout: float = 5.0,
) -> CommandReply:
    """Send a command and wait for its reply; retrying with the same command is safe."""
    reply = await nc.request(
        command.subject(),
        command.model_dump_json().encode(),
        timeout=timeout,
        headers=command_headers(command, source=source, correlation_id=correlation_id),
    )
    return CommandReply.model_validate_json(reply.data)
