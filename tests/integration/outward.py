"""Receivers outside the back office for the integration tests: a webhook endpoint and a mailbox.

Both run in the test process: an HTTP/1.1 endpoint on asyncio that fails the first calls of each
message as told, and aiosmtpd's SMTP server keeping what it receives.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

__all__ = ["Mailbox", "WebhookEndpoint"]


@dataclass
class Call:
    headers: dict[str, str]
    body: bytes
    status: int


@dataclass
class WebhookEndpoint:
    """Answers 503 to the first `fail_first` calls of each `webhook-id` (all of them when None)."""

    fail_first: int | None = 0
    calls: list[Call] = field(default_factory=list)
    _server: asyncio.base_events.Server | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.sockets[0].getsockname()[:2]
        return f"http://{host}:{port}/hook"

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    def delivered(self) -> list[Call]:
        return [c for c in self.calls if c.status == 200]

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")[1:]
            headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines if line)}
            body = await reader.readexactly(int(headers.get("content-length", "0")))
            earlier = sum(1 for c in self.calls if c.headers.get("webhook-id") == headers.get("webhook-id"))
            failing = self.fail_first is None or earlier < self.fail_first
            status = 503 if failing else 200
            self.calls.append(Call(headers, body, status))
            reason = b"Service Unavailable" if failing else b"OK"
            writer.write(b"HTTP/1.1 %d %s\r\ncontent-length: 0\r\nconnection: close\r\n\r\n" % (status, reason))
            await writer.drain()
        finally:
            writer.close()


class _Keep:
    def __init__(self, into: list[EmailMessage]) -> None:
        self._into = into

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self._into.append(message)
        return "250 Message accepted for delivery"


class Mailbox:
    """An SMTP server on a free local port keeping every message it receives."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self._controller = Controller(_Keep(self.messages), hostname="127.0.0.1", port=self.port)

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()

    def texts(self) -> list[str]:
        """Every message as its plain-text and HTML parts, with its subject."""
        found = []
        for m in self.messages:
            plain = m.get_body(("plain",))
            html = m.get_body(("html",))
            parts = [str(m["Subject"]), plain.get_content() if plain else "", html.get_content() if html else ""]
            found.append("\n".join(parts))
        return found
