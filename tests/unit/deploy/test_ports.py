"""The ports a service says it could not bind, as asyncio, uvicorn and the terminal log word it."""

from __future__ import annotations

from deploy.ports import ports_in_use


def test_a_plain_traceback_names_its_port() -> None:
    lines = [
        "OSError: [Errno 98] error while attempting to bind on address ('127.0.0.1', 8104): address already in use",
    ]
    assert ports_in_use(lines) == {8104}


def test_a_line_wrapped_after_the_comma_still_names_its_port() -> None:
    lines = [
        "│   1528 │   │   │   │   completed = True                                      │",
        "╰──────────────────────────────────────────────────────────────────────────────╯",
        "OSError: [Errno 98] error while attempting to bind on address ('127.0.0.1',",
        "8109): address already in use",
    ]
    assert ports_in_use(lines) == {8109}


def test_a_json_log_line_names_its_port() -> None:
    lines = [
        '{"event": "[Errno 98] error while attempting to bind on address (\'127.0.0.1\', 8000): address already '
        'in use", "service": "gateway", "level": "error"}'
    ]
    assert ports_in_use(lines) == {8000}


def test_other_failures_name_no_port() -> None:
    lines = [
        "OSError: [Errno 13] error while attempting to bind on address ('127.0.0.1', 80): permission denied",
        "ConnectionRefusedError: [Errno 111] Connect call failed ('127.0.0.1', 4222)",
    ]
    assert ports_in_use(lines) == set()


def test_nats_servers_log_names_its_port() -> None:
    lines = [
        "[16159] 2026/12/02 17:05:34.081719 [FTL] Can't start monitoring: can't listen to the monitor port: "
        "listen tcp 127.0.0.1:51475: bind: address already in use",
        '[16166] 2026/12/02 17:05:34.094997 [FTL] Error listening on port: 127.0.0.1:4222, "listen tcp '
        '127.0.0.1:4222: bind: address already in use"',
    ]
    assert ports_in_use(lines) == {51475, 4222}
