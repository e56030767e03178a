"""What a client of the services learns when a request does not come back accepted.

Inside the services there is one rejection path, `shared.kernel.RuleViolation`; these are the
client's side of it.
"""

from __future__ import annotations

__all__ = ["NoAnswer", "Rejected", "TooLarge"]


class Rejected(Exception):
    """A client's view of a rejected command or query: the service's code and message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class NoAnswer(Exception):
    """A client's request got no reply: no service serves the subject, or none answered in time."""

    def __init__(self, subject: str, reason: str) -> None:
        self.subject = subject
        self.service = subject.split(".")[1] if subject.startswith("cmd.") and subject.count(".") >= 2 else subject
        self.reason = reason
        super().__init__(f"{self.service} does not answer on {subject}: {reason}")


class TooLarge(Rejected):
    """A request bigger than the NATS server accepts: refused by the client, so it was never sent.

    The server counts headers and body together against its `max_payload` and drops the whole
    connection for a message over it; checking first keeps the connection and says why.
    """

    def __init__(self, subject: str, size: int, limit: int) -> None:
        super().__init__(
            "invalid_command", f"the request to {subject} is {size} bytes with its headers; the server takes {limit}"
        )
        self.subject = subject
        self.size = size
        self.limit = limit
