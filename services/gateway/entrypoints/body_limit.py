"""A request body over the limit is refused with 413 before the gateway holds it in memory.

Starlette and FastAPI read a body whole (`request.body()`, `request.form()`), and uvicorn sets no
limit: without this, one request of a few gigabytes, even to sign-in before anyone is known, would
take the gateway's memory. A body that declares its length is refused before a byte of it is read;
one sent in chunks is refused as soon as it passes the limit. Either way the answer is the
`too_large` problem that a command too large for NATS gets.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.gateway.entrypoints.problems import ApiProblem, problem_response

__all__ = ["DEFAULT_MAX_BODY_BYTES", "BodyLimit", "BodyTooLarge"]

#: Twice NATS's `max_payload` (1 MiB), the most a service can be sent: room for the whitespace and
#: escapes of JSON as a client writes it, and still a bound on what one request costs.
DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024


class BodyTooLarge(HTTPException):
    """Raised from `receive` once a chunked body passes the limit; the app answers it as `too_large`."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, _detail(limit))


class BodyLimit:
    """ASGI middleware: at most `max_bytes` of request body per HTTP request."""

    def __init__(self, app: ASGIApp, max_bytes: int = DEFAULT_MAX_BODY_BYTES) -> None:
        if max_bytes <= 0:
            raise ValueError(f"the body limit must be positive, not {max_bytes}")
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            response = problem_response(ApiProblem("too_large", _detail(self.max_bytes)), scope.get("path", ""))
            await response(scope, receive, send)
            return
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        await self.app(scope, limited, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None  # the server refuses a malformed length itself; the count below still holds
    return None


def _detail(limit: int) -> str:
    return f"the request body is larger than {limit:,} bytes, the most this gateway takes"
