"""How many messages this process handled, by kind: each replica's share of the work (`/metrics`).

Counted in the process, not per broker: a service process has one broker. `ServiceRuntime`
exports them as `raderwerk_messages_handled_total_snapshot{kind=...}`; with two replicas of a
service, each one's count shows that both take part (a queue group hands each command to one,
a durable pull consumer each delivery to one).
"""

from __future__ import annotations

from collections import Counter
from typing import Literal

__all__ = ["KINDS", "HandledKind", "count_handled", "handled_counts"]

HandledKind = Literal["command", "query", "delivery", "duplicate", "deadline_passed"]
#: `delivery`: a JetStream delivery handled and acked; `duplicate`: one the inbox already held;
#: `deadline_passed`: a command or query taken after its sender stopped waiting, answered unread.
KINDS: tuple[HandledKind, ...] = ("command", "query", "delivery", "duplicate", "deadline_passed")

_handled: Counter[str] = Counter()


def count_handled(kind: HandledKind) -> None:
    """One more message of `kind` handled by this process."""
    _handled[kind] += 1


def handled_counts() -> dict[str, int]:
    """Every kind's count so far (zero included)."""
    return {kind: _handled[kind] for kind in KINDS}
