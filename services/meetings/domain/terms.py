"""The publication term: what a closed meeting still owes the public, and when to remind or record a miss.

Decision lists (with the regulations and full texts they publish) are due within the term after the
meeting closed; council minutes within the term after their approval (DLB art. 287). Two days before
the last day an unpublished document raises a follow-up task for the secretariat; the day after, the
term is recorded as missed. Each notice is given once: the meeting keeps which it gave.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Literal

from services.meetings.domain.documents import DocumentKind, minutes_due_on
from services.meetings.domain.meeting import Meeting, MeetingStatus, MinutesStatus
from services.meetings.domain.policy import COUNCILS, MeetingPolicy
from shared.vocabulary import BodyKind

__all__ = ["TermNotice", "owed_documents", "term_notices"]

Owed = Literal["decision_list", "minutes"]


@dataclass(frozen=True)
class TermNotice:
    document_kind: Owed
    due_on: dt.date
    notice: Literal["nearing", "missed"]

    @property
    def key(self) -> str:
        """How the meeting remembers the notice was given."""
        return f"{self.document_kind}:{self.notice}:{self.due_on.isoformat()}"


def owed_documents(
    meeting: Meeting, published: Collection[DocumentKind], policy: MeetingPolicy
) -> list[tuple[Owed, dt.date]]:
    """The documents a closed meeting must still publish, each with the last day of its term."""
    if (
        meeting.body in {BodyKind.BCSD, BodyKind.MANAGEMENTTEAM}
        or meeting.status is not MeetingStatus.CLOSED
        or meeting.closed_at is None
    ):
        return []
    owed: list[tuple[Owed, dt.date]] = []
    # A committee advises and a meeting that only prepared or postponed items decided nothing: no list owed.
    decided = meeting.body is not BodyKind.GEMEENTERAADSCOMMISSIE and any(e.decision_id for e in meeting.entries)
    if decided and DocumentKind.DECISION_LIST not in published:
        owed.append(("decision_list", meeting.closed_at.date() + dt.timedelta(days=policy.publication_days)))
    minutes = meeting.minutes
    approved = minutes is not None and minutes.status in {MinutesStatus.APPROVED, MinutesStatus.SIGNED}
    if meeting.body in COUNCILS and approved and DocumentKind.MINUTES not in published:
        owed.append(("minutes", minutes_due_on(meeting, policy)))
    return owed


def term_notices(
    meeting: Meeting, published: Collection[DocumentKind], *, as_of: dt.date, policy: MeetingPolicy
) -> list[TermNotice]:
    """The notices due on `as_of` and not given yet: nearing from `reminder_days` before the last day,
    missed from the day after it."""
    notices = []
    for kind, due_on in owed_documents(meeting, published, policy):
        if as_of > due_on:
            notices.append(TermNotice(kind, due_on, "missed"))
        if as_of >= due_on - dt.timedelta(days=policy.publication_reminder_days):
            notices.append(TermNotice(kind, due_on, "nearing"))
    return [n for n in notices if n.key not in meeting.term_notices]
