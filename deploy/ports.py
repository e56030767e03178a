"""Which ports a service or nats-server could not listen on, read from its own last lines of output.

Two runs on one machine (`make run` beside `make test`, or two checkouts) prefer the same ports.
Each launcher picks a port that is free at that moment, but a service binds it seconds later, and
the other run may have taken it meanwhile. The service then stops with Python's "error while
attempting to bind on address ('127.0.0.1', 8104): address already in use" (nats-server: "listen
tcp 127.0.0.1:8222: bind: address already in use"); the launcher moves exactly the ports named
there and starts it again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["ports_in_use"]

_IN_USE = (
    # asyncio's and uvicorn's wording; a long line may be wrapped by the terminal log (rich) after the comma.
    re.compile(r"bind on address \('[^']*',\s*(\d+)\):\s*address already in use", re.IGNORECASE),
    # Go's, in nats-server's log.
    re.compile(r"listen tcp [^\s]*:(\d+): bind: address already in use"),
)


def ports_in_use(lines: Iterable[str]) -> set[int]:
    """The ports `lines` say another process holds (none when they do not say so)."""
    text = " ".join(line.strip().strip("│").strip() for line in lines)
    return {int(port) for pattern in _IN_USE for port in pattern.findall(text)}
