"""How handlers tell the messaging layer what went wrong."""

from __future__ import annotations

__all__ = ["CommandRejected", "NoAnswer", "PermanentError", "Rejected"]


class PermanentError(Exception):
    """The message can never be handled (bad content, broken invariant): dead-letter it now.

    Any other exception is taken as transient and retried with a delay until `max_deliver`.
    """

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class CommandRejected(Exception):
    """A command refused by a rule: the caller gets `code` and `message`, nothing changes."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


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
