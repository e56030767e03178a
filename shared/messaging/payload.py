"""Reading a message body: JSON a contract can be checked against, or one sentence saying why not.

`json.loads` alone lets through what later breaks a handler or the database instead of being
refused at the door: nesting deep enough to exhaust the interpreter's stack (a `RecursionError`,
not a `ValueError`), `NaN` and `Infinity` (not JSON), and text PostgreSQL cannot store (NUL) or
UTF-8 cannot encode (a lone surrogate escape such as `"\\ud800"`). Commands and consumed events
both read their bodies here, so the same input is refused the same way everywhere.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

__all__ = ["MAX_DEPTH", "UnreadableBody", "describe_invalid", "read_json", "storable", "undecoded"]

#: Deepest nesting of arrays and objects a body may have; the contracts need a handful of levels.
MAX_DEPTH = 32

#: At most this many of pydantic's errors are named in a rejection (a body can have thousands).
_MAX_ERRORS = 10
_MAX_DESCRIPTION = 1_000


class UnreadableBody(ValueError):
    """A body that is not JSON a contract can be checked against; the message says why."""


def _not_json(constant: str) -> Any:
    raise ValueError(f"{constant} is not a JSON number")


def read_json(data: bytes) -> Any:
    """The body as JSON values; raises `UnreadableBody` naming the first thing wrong with it."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnreadableBody(f"body is not UTF-8 text: {exc.reason} at byte {exc.start}") from exc
    try:
        value = json.loads(text, parse_constant=_not_json)
    except RecursionError as exc:
        raise UnreadableBody(f"body is nested more than {MAX_DEPTH} levels deep") from exc
    except ValueError as exc:
        raise UnreadableBody(f"body is not JSON: {exc}") from exc
    _check(value, "body", 0)
    return value


def _check(value: Any, where: str, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise UnreadableBody(f"body is nested more than {MAX_DEPTH} levels deep")
    if isinstance(value, str):
        _check_text(value, where)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(key, f"{where} (a field name)")
            _check(item, f"{where}.{key[:40]}", depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check(item, f"{where}[{index}]", depth + 1)


def _check_text(text: str, where: str) -> None:
    if "\x00" in text:
        raise UnreadableBody(f"{where}: text contains a NUL character")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise UnreadableBody(f"{where}: text contains a lone surrogate (\\u{ord(text[exc.start]):04x})") from exc


def describe_invalid(exc: ValidationError) -> str:
    """pydantic's errors as one line, `field: problem; ...`, at most ten of them and 1,000 characters."""
    errors = exc.errors(include_url=False, include_input=False)
    named = [f"{'.'.join(str(p)[:40] for p in e['loc']) or 'body'}: {e['msg']}" for e in errors[:_MAX_ERRORS]]
    if len(errors) > _MAX_ERRORS:
        named.append(f"and {len(errors) - _MAX_ERRORS} more")
    described = "; ".join(named)
    return described if len(described) <= _MAX_DESCRIPTION else described[: _MAX_DESCRIPTION - 3] + "..."


def storable(text: str) -> str:
    """`text` as PostgreSQL can store it: NUL and lone surrogates become U+FFFD."""
    return "".join("\ufffd" if c == "\x00" or "\ud800" <= c <= "\udfff" else c for c in text)


async def undecoded(message: Any) -> Any:
    """A FastStream decoder that leaves the body alone and hands the handler the message itself.

    FastStream decodes every body by its `content-type` before the handler runs, even a handler
    that never asks for it: a message that says `application/json` but is not JSON (or is nested
    too deep for `json.loads`) raised there, outside the handler, so a command got no reply and an
    event was neither acknowledged nor dead-lettered. Every subscriber of ours reads the raw
    message itself (`msg.raw_message`), so nothing is lost by not decoding.

    The brokers of the services do without FastStream's dependency injection (`apply_types=False`,
    a third of a command's CPU): the handler is called with what this decoder answers, the
    message. A coroutine function: FastStream runs a plain function in a worker thread.
    """
    return message
