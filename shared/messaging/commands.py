"""Commands and queries by request/reply on `cmd.<service>.<name>` (DESIGN §3).

Serving a command: the body is validated against its contract (a malformed command is rejected with
`invalid_command` and changes nothing); the handler runs in a unit of work; an accepted reply is
stored under the command id, so a retry gets the same answer without a second effect.

This module is the one place where a refusal becomes a reply:

* `rw-deadline` passed before the       -> `rejected`, `deadline_passed`: body and actor never read,
  service took the request                  nothing carried out (`shared.messaging.deadline`)
* `rw-deadline` not an RFC 3339 time     -> `rejected`, `invalid_command`
* handler returns `Accepted`             -> committed, `accepted` with its ids
* handler raises `RuleViolation`         -> rolled back, `rejected` with the rule's code
* body not JSON / not the contract       -> `rejected`, `invalid_command`, handler never runs
  (nor nested past 32 levels, nor text holding NUL or a lone surrogate: `shared.messaging.payload`)
* `ce-` headers that are not this command's envelope (its `ce-type`, its command id as `ce-id`)
                                         -> `rejected`, `invalid_command`; no `ce-` header at all
                                            is fine: the command starts a new correlation tree
* no valid actor token in `rw-actor`      -> `rejected` with `actor_missing`, `actor_invalid`,
  (`shared.actor`; checked after the body,     `actor_expired` or `actor_replayed`; handler never runs
  since the token is bound to its command id)
* an exception the input causes every time -> rolled back, `rejected`, `invalid_command` (logged):
  (a value no column holds, a date pushed off    the contract let a bad value through
  the calendar: `shared.messaging.failures`)
* any other exception                    -> rolled back, `rejected`, `internal_error` (logged)

A query is answered by its view with the query's own typed `Reply`, read in a transaction that is
never committed; a repeat is answered afresh.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

import nats.aio.client
import nats.aio.msg
import nats.errors
from faststream.nats import NatsBroker
from faststream.nats.annotations import NatsMessage
from pydantic import ValidationError

from shared.actor import ACTOR_HEADER, Actor, ActorCredential, ActorRefused, ActorVerifier
from shared.contracts.base import COMMAND_ID, Command, Query, QueryReply
from shared.contracts.common import CommandReply, CommandStatus
from shared.db.engine import connection_dropped
from shared.db.uow import SqlUnitOfWork
from shared.kernel import Accepted, RuleViolation
from shared.logging import get_logger
from shared.messaging.context import acting, handling
from shared.messaging.deadline import (
    DEADLINE_HEADER,
    DeadlinePassed,
    DeadlineUnreadable,
    check_deadline,
    deadline_header,
)
from shared.messaging.envelope import Envelope, EnvelopeError
from shared.messaging.errors import NoAnswer, Rejected, TooLarge
from shared.messaging.failures import describe_failure, is_permanent
from shared.messaging.handled import count_handled
from shared.messaging.payload import UnreadableBody, describe_invalid, read_json, undecoded

__all__ = [
    "bind_command",
    "bind_query",
    "command_headers",
    "message_size",
    "rejected_reply",
    "send_command",
    "send_query",
]

log = get_logger(__name__)

U = TypeVar("U", bound=SqlUnitOfWork)
C = TypeVar("C", bound=Command)
Q = TypeVar("Q", bound=Query)
R = TypeVar("R", bound=QueryReply)

#: A command handler as the entrypoints bind it (a route): the contract in, `Accepted` out.
CommandHandler = Callable[[Any, C], Awaitable[Accepted]]


def rejected_reply(command_id: str, code: str, message: str) -> CommandReply:
    """The reply to a command or query that was not carried out."""
    return CommandReply(command_id=command_id, status=CommandStatus.REJECTED, code=code, message=message)


def _envelope(headers: Mapping[str, str], command: Command) -> Envelope | CommandReply:
    """The command's CloudEvents envelope, a new one when it has none, or why its headers are refused.

    A simple client may send a command without any `ce-` header: it starts a new tree. Headers
    that are there must form a valid envelope for this very command (its `ce-type`, its command id
    as `ce-id`): a command does not travel under another message's name.
    """
    if not any(name.lower().startswith("ce-") for name in headers):
        return Envelope(
            id=command.command_id,
            type=command.ce_type(),
            source="/raderwerk/unknown-client",
            time=dt.datetime.now(dt.UTC),
            correlation_id=command.command_id,
        )
    try:
        envelope = Envelope.from_headers(headers)
    except EnvelopeError as exc:
        return rejected_reply(command.command_id, "invalid_command", f"CloudEvents headers: {exc}")
    if envelope.type != command.ce_type():
        problem = f"ce-type {envelope.type[:100]!r} is not {command.ce_type()}"
    elif envelope.id != command.command_id:
        problem = "ce-id is not the command id"
    else:
        return envelope
    return rejected_reply(command.command_id, "invalid_command", f"CloudEvents headers: {problem}")


def _read(model: type[C], raw: nats.aio.msg.Msg, verifier: ActorVerifier) -> tuple[C, Envelope, Actor] | CommandReply:
    """The command, its envelope and its proven actor, or the rejected reply that says what is wrong.

    The deadline comes first and costs least: under overload, a request nobody waits for any more
    is answered without parsing its body or verifying its actor.
    """
    headers = raw.headers or {}
    try:
        check_deadline(headers, dt.datetime.fromtimestamp(verifier.now(), dt.UTC))
    except DeadlinePassed as exc:
        return rejected_reply(_header_id(headers), "deadline_passed", str(exc))
    except DeadlineUnreadable as exc:
        return rejected_reply(_header_id(headers), "invalid_command", str(exc))
    command = _parse(model, raw.data)
    if isinstance(command, CommandReply):
        return command
    envelope = _envelope(headers, command)
    if isinstance(envelope, CommandReply):
        return envelope
    try:
        actor = verifier.verify(headers.get(ACTOR_HEADER), subject=model.subject(), command_id=command.command_id)
    except ActorRefused as exc:
        return rejected_reply(command.command_id, exc.code, exc.message)
    return command, envelope, actor


def _parse(model: type[C], data: bytes) -> C | CommandReply:
    """The validated contract, or the `invalid_command` reply that says what is wrong."""
    try:
        body = read_json(data)
    except UnreadableBody as exc:
        return rejected_reply("", "invalid_command", str(exc))
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        return rejected_reply(_echoed_id(body), "invalid_command", describe_invalid(exc))


def _header_id(headers: Mapping[str, str]) -> str:
    """The `ce-id` header when it is a command id (a reply repeats it), else empty."""
    return _echoable(headers.get("ce-id"))


def _echoed_id(body: object) -> str:
    """The body's command id when it is one (the reply repeats it), else empty."""
    return _echoable(body.get("command_id") if isinstance(body, dict) else None)


def _echoable(command_id: object) -> str:
    """`command_id` when it is a well-formed command id, else empty: a reply never echoes garbage."""
    return command_id if isinstance(command_id, str) and COMMAND_ID.fullmatch(command_id) else ""


def bind_command(
    broker: NatsBroker,
    model: type[C],
    handler: CommandHandler[C],
    *,
    uow_factory: Callable[[], U],
    verifier: ActorVerifier,
    idempotent: bool = True,
) -> None:
    """Serve `model` on its subject with `handler`, in a queue group so replicas share the load.

    Only a command whose actor `verifier` proves reaches the handler; `current_actor()` names it.
    """

    @broker.subscriber(
        model.subject(),
        queue=model.SERVICE,
        decoder=undecoded,
        title=model.subject(),
        description=model.__doc__,
    )
    async def serve(msg: NatsMessage) -> dict[str, Any]:
        raw = msg.raw_message
        read = _read(model, raw, verifier)
        if isinstance(read, CommandReply):
            _count_refusal(read)
            log.info("command refused", command=model.NAME, code=read.code, error=read.message[:200])
            return read.model_dump(mode="json")
        command, envelope, actor = read
        with handling(envelope, raw.subject), acting(actor):
            reply = await _handle(model, handler, uow_factory, command, idempotent)
        count_handled("command")
        log.info("command handled", command=model.NAME, status=reply.status.value, code=reply.code)
        return reply.model_dump(mode="json")


def _count_refusal(reply: CommandReply) -> None:
    """A request its sender no longer waited for is counted: many of them say the service cannot keep up."""
    if reply.code == "deadline_passed":
        count_handled("deadline_passed")


async def _handle(
    model: type[C],
    handler: CommandHandler[C],
    uow_factory: Callable[[], U],
    command: C,
    idempotent: bool,
) -> CommandReply:
    try:
        try:
            return await _carry_out(model, handler, uow_factory, command, idempotent)
        except Exception as exc:
            if not connection_dropped(exc):
                raise
            log.info("database connection dropped; trying once more", command=model.NAME)
            return await _carry_out(model, handler, uow_factory, command, idempotent)
    except RuleViolation as exc:
        return rejected_reply(command.command_id, exc.code, exc.message)
    except Exception as exc:  # noqa: BLE001 - _failed logs it and answers for it
        return _failed(model, command, exc)


async def _carry_out(
    model: type[C],
    handler: CommandHandler[C],
    uow_factory: Callable[[], U],
    command: C,
    idempotent: bool,
) -> CommandReply:
    async with uow_factory() as uow:
        if idempotent:
            stored = await uow.stored_result(model.subject(), command.command_id)
            if stored is not None:
                return CommandReply.model_validate(stored)
        outcome = await handler(uow, command)
        reply = CommandReply(
            command_id=command.command_id,
            status=CommandStatus.ACCEPTED,
            ids=dict(outcome.ids),
            data=dict(outcome.data),
        )
        if idempotent and reply.accepted:
            await uow.record_handled(model.subject(), command.command_id, reply.model_dump(mode="json"))
        await uow.commit()
        return reply


def _failed(model: type[Command], command: Command, exc: Exception) -> CommandReply:
    """`invalid_command` for a failure the input causes every time, else `internal_error`."""
    log.exception("command failed", command=model.NAME, permanent=is_permanent(exc))
    if is_permanent(exc):
        # The contract let a value through that the service cannot process: bad input all the same.
        return rejected_reply(command.command_id, "invalid_command", f"cannot process a value: {describe_failure(exc)}")
    return rejected_reply(command.command_id, "internal_error", f"{type(exc).__name__}: try again later")


def bind_query(
    broker: NatsBroker,
    model: type[Q],
    view: Callable[[Any, Q], Awaitable[QueryReply]],
    *,
    uow_factory: Callable[[], U],
    verifier: ActorVerifier,
) -> None:
    """Serve the query `model` with `view`; the reply must be the query's own `Reply` contract.

    Like a command, a query is answered only for an actor `verifier` proves.
    """
    expected = model.Reply

    @broker.subscriber(
        model.subject(),
        queue=model.SERVICE,
        decoder=undecoded,
        title=model.subject(),
        description=model.__doc__,
    )
    async def serve(msg: NatsMessage) -> dict[str, Any]:
        raw = msg.raw_message
        read = _read(model, raw, verifier)
        if isinstance(read, CommandReply):
            _count_refusal(read)
            log.info("query refused", query=model.NAME, code=read.code, error=read.message[:200])
            return read.model_dump(mode="json")
        query, envelope, actor = read
        with handling(envelope, raw.subject), acting(actor):
            try:
                try:
                    reply = await _answer(view, uow_factory, query)
                except Exception as exc:
                    if not connection_dropped(exc):
                        raise
                    reply = await _answer(view, uow_factory, query)
            except RuleViolation as exc:
                return rejected_reply(query.command_id, exc.code, exc.message).model_dump(mode="json")
            except Exception as exc:  # noqa: BLE001 - _failed logs it and answers for it
                return _failed(model, query, exc).model_dump(mode="json")
        if not isinstance(reply, expected):
            raise TypeError(f"{model.__name__} must be answered with {expected.__name__}, not {type(reply).__name__}")
        count_handled("query")
        return reply.model_dump(mode="json")


async def _answer(
    view: Callable[[Any, Q], Awaitable[QueryReply]], uow_factory: Callable[[], U], query: Q
) -> QueryReply:
    async with uow_factory().reading() as uow:
        return await view(uow, query)


def command_headers(
    command: Command,
    *,
    source: str,
    correlation_id: str | None = None,
    actor: ActorCredential | None = None,
    timeout: float | None = None,
) -> dict[str, str]:
    """CloudEvents headers for a command: its id is the command id; with `actor`, its signed actor;
    with `timeout`, the deadline after which the sender no longer waits for the reply."""
    now = dt.datetime.now(dt.UTC)
    envelope = Envelope(
        id=command.command_id,
        type=command.ce_type(),
        source=source,
        time=now,
        correlation_id=correlation_id or command.command_id,
    )
    headers = envelope.to_headers()
    if timeout is not None:
        headers[DEADLINE_HEADER] = deadline_header(timeout, now)
    # Commands are captured by a no-ack stream; deduplication there is irrelevant.
    headers.pop("Nats-Msg-Id", None)
    if actor is not None:
        headers[ACTOR_HEADER] = actor(command.subject(), command.command_id)
    return headers


async def send_command(
    nc: nats.aio.client.Client,
    command: Command,
    *,
    actor: ActorCredential,
    source: str,
    correlation_id: str | None = None,
    timeout: float = 5.0,
) -> CommandReply:
    """Send a command as `actor` and wait for its reply; retrying with the same command is safe.

    `actor` signs a fresh token for this very command on every try (`ActorSigner.acting_as`).

    Raises `NoAnswer` when no service serves the command or none answers within `timeout`, and
    `TooLarge` (a `Rejected` with `invalid_command`) for a command bigger than the server accepts.
    """
    reply = await _request(nc, command, actor=actor, source=source, correlation_id=correlation_id, timeout=timeout)
    return CommandReply.model_validate_json(reply.data)


async def _request(
    nc: nats.aio.client.Client,
    command: Command,
    *,
    actor: ActorCredential,
    source: str,
    correlation_id: str | None,
    timeout: float,
) -> nats.aio.msg.Msg:
    payload = command.model_dump_json().encode()
    headers = command_headers(command, source=source, correlation_id=correlation_id, actor=actor, timeout=timeout)
    size = message_size(payload, headers)
    if size > nc.max_payload:
        raise TooLarge(command.subject(), size, nc.max_payload)
    try:
        return await nc.request(command.subject(), payload, timeout=timeout, headers=headers)
    except nats.errors.NoRespondersError as exc:
        raise NoAnswer(command.subject(), "no running service serves it") from exc
    except TimeoutError as exc:
        raise NoAnswer(command.subject(), f"no reply within {timeout:g} s") from exc


def message_size(payload: bytes, headers: Mapping[str, str]) -> int:
    """Bytes a message counts against the server's `max_payload`: body plus encoded headers."""
    header_block = len(b"NATS/1.0\r\n\r\n") + sum(len(f"{k}: {v}\r\n".encode()) for k, v in headers.items())
    return len(payload) + header_block


async def send_query(
    nc: nats.aio.client.Client,
    query: Query,
    reply_type: type[R],
    *,
    actor: ActorCredential,
    source: str,
    correlation_id: str | None = None,
    timeout: float = 5.0,
) -> R:
    """Ask a query as `actor` and answer its typed reply; raises `Rejected` when the service refused it.

    Raises `NoAnswer` when no service serves the query or none answers within `timeout`, and
    `TooLarge` for a query bigger than the server accepts.
    """
    if reply_type is not type(query).Reply:
        raise TypeError(f"{type(query).__name__} is answered with {type(query).Reply.__name__}")
    reply = await _request(nc, query, actor=actor, source=source, correlation_id=correlation_id, timeout=timeout)
    body = json.loads(reply.data)
    if body.get("status") == CommandStatus.REJECTED.value:
        refused = CommandReply.model_validate(body)
        raise Rejected(refused.code, refused.message)
    return reply_type.model_validate(body)
