"""How handlers tell the messaging layer what went wrong."""

from __future__ import annotations

__all__ = ["CommandRejected", "PermanentError", "Rejected"]


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
