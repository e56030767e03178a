"""A tiny HTTP endpoint per service: `/healthz` (alive), `/readyz` (can work), `/metrics`.

Hand-written on asyncio streams because the service needs three fixed GET routes and nothing
else; a web framework would double the process's memory for that.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Awaitable, Callable

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

__all__ = ["HealthServer", "ReadinessCheck"]

ReadinessCheck = Callable[[], Awaitable[dict[str, object]]]


class HealthServer:
    """Serves health, readiness and Prometheus metrics on one port."""

    def __init__(self, host: str, port: int, readiness: ReadinessCheck, registry: CollectorRegistry) -> None:
        self._host = host
        self._port = port
        self._readiness = readiness
        self._registry = registry
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        """Listen; a port of 0 disables the endpoint."""
        if self._port:
            self._server = await asyncio.start_server(self._serve, self._host, self._port)

    async def stop(self) -> None:
        """Stop listening."""
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request_line = await asyncio.wait_for(reader.readline(), timeout=5)
            while (await asyncio.wait_for(reader.readline(), timeout=5)) not in (b"\r\n", b"\n", b""):
                pass
            parts = request_line.decode("latin-1").split()
            path = parts[1].split("?", 1)[0] if len(parts) >= 2 else "/"
            status, content_type, body = await self._route(path)
            writer.write(
                f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
                + body
            )
            await writer.drain()
        except (TimeoutError, ConnectionError):
            pass
        finally:
            writer.close()

    async def _route(self, path: str) -> tuple[str, str, bytes]:
        if path == "/healthz":
            return "200 OK", "application/json", b'{"status":"alive"}'
        if path == "/readyz":
            try:
                report = await asyncio.wait_for(self._readiness(), timeout=3)
            except Exception as exc:  # noqa: BLE001 - any failure means not ready
                report = {"ready": False, "error": f"{type(exc).__name__}: {exc}"}
            status = "200 OK" if report.get("ready") else "503 Service Unavailable"
            return status, "application/json", json.dumps(report, default=str).encode()
        if path == "/metrics":
            return "200 OK", CONTENT_TYPE_LATEST, generate_latest(self._registry)
        return "404 Not Found", "text/plain", b"not found"
