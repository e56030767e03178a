"""A port another run took between the launcher's choice and the bind is moved, and only that one.

For services the child is a stand-in process that listens where its environment says and answers
`/readyz` with its pid, as a service does; nats-server is the real one. The port is held by this
test, as another run would hold it.
"""

from __future__ import annotations

import io
import json
import os
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from deploy import embedded
from deploy.children import ServiceChild
from deploy.embedded import free_port
from deploy.run import API_PORT_VARIABLE, _await_ready

HTTP_PORT = "RW_STANDIN_HTTP_PORT"

STANDIN = """
import asyncio, json, os

async def answer(reader, writer):
    await reader.readline()
    body = json.dumps({"ready": True, "pid": os.getpid()}).encode()
    writer.write(b"HTTP/1.1 200 OK\\r\\nContent-Length: %d\\r\\nConnection: close\\r\\n\\r\\n" % len(body) + body)
    await writer.drain()
    writer.close()

async def main():
    for variable in ("RW_STANDIN_HTTP_PORT", "RW_GATEWAY_API_PORT"):
        if variable in os.environ:
            await asyncio.start_server(answer, "127.0.0.1", int(os.environ[variable]))
    await asyncio.Event().wait()

asyncio.run(main())
"""


@pytest.fixture
def held_port() -> Iterator[int]:
    """A port another process listens on."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield holder.getsockname()[1]


@contextmanager
def _standin(**ports: int) -> Iterator[ServiceChild]:
    """The stand-in started with `ports` in its environment; stopped after."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RW_")} | {k: str(v) for k, v in ports.items()}
    child = ServiceChild("standin", [sys.executable, "-c", STANDIN], env, out=io.StringIO())
    child.start()
    try:
        yield child
    finally:
        child.request_stop()
        child.wait_stopped(10)


def test_a_taken_health_port_is_moved(held_port: int, capsys: pytest.CaptureFixture[str]) -> None:
    ports = {"standin": held_port}
    with _standin(RW_STANDIN_HTTP_PORT=held_port) as child:
        _await_ready("standin", "standin", child, ports)

    assert ports["standin"] != held_port
    assert child.env[HTTP_PORT] == str(ports["standin"])
    said = capsys.readouterr().out
    moved = ports["standin"]
    assert f"standin: port {held_port} was taken by another process meanwhile; starting it on {moved}" in said


def test_a_taken_api_port_is_moved_and_the_free_health_port_kept(
    held_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(API_PORT_VARIABLE, raising=False)
    health = free_port()
    ports = {"standin": health}
    with _standin(RW_STANDIN_HTTP_PORT=health, RW_GATEWAY_API_PORT=held_port) as child:
        _await_ready("standin", "standin", child, ports)

    assert ports["standin"] == health
    assert child.env[HTTP_PORT] == str(health)
    assert child.env[API_PORT_VARIABLE] != str(held_port)


def test_an_api_port_set_for_the_run_is_not_moved_and_the_failure_says_why(
    held_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(API_PORT_VARIABLE, str(held_port))
    health = free_port()
    with (
        _standin(RW_STANDIN_HTTP_PORT=health, RW_GATEWAY_API_PORT=held_port) as child,
        pytest.raises(SystemExit) as stopped,
    ):
        _await_ready("standin", "standin", child, {"standin": health})

    message = str(stopped.value)
    assert message.startswith("standin did not become ready: it exited with 1"), message
    assert f"{held_port}): address already in use" in message


def test_a_monitor_port_taken_before_nats_server_binds_it_is_chosen_again(
    held_port: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    choose = embedded.free_port

    def chosen_then_taken(host: str = "127.0.0.1", preferred: int | None = None) -> int:
        # The preferred monitoring port was free when chosen; another run holds it by the time of the bind.
        return held_port if preferred == 8222 else choose(host, preferred)

    monkeypatch.setattr(embedded, "free_port", chosen_then_taken)
    nats = embedded.start_nats(tmp_path / "nats")
    try:
        assert nats.http_port != held_port
        assert nats.process.poll() is None
        assert json.loads((tmp_path / "nats" / "ports.json").read_text())["monitor"] == nats.http_port
        assert f"{held_port}: bind: address already in use" in (tmp_path / "nats" / "nats.log").read_text()
    finally:
        nats.stop()


def test_a_server_another_run_started_on_the_same_ports_is_not_taken_for_this_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two runs chose the same free ports at once: the other run's server bound them first and
    # answers the health check, while this run's server failed to bind and exited.
    other = embedded.start_nats(tmp_path / "other")
    try:
        choose = embedded.free_port
        taken = {4222: other.port, 8222: other.http_port}

        def chosen_then_taken(host: str = "127.0.0.1", preferred: int | None = None) -> int:
            return taken[preferred] if preferred in taken else choose(host, preferred)

        monkeypatch.setattr(embedded, "free_port", chosen_then_taken)
        nats = embedded.start_nats(tmp_path / "nats")
        try:
            assert nats.process.poll() is None
            assert (nats.port, nats.http_port) != (other.port, other.http_port)
            assert f"[{nats.pid}] " in (tmp_path / "nats" / "nats.log").read_text()
        finally:
            nats.stop()
    finally:
        other.stop()
