"""The publication term: a follow-up task two days before it runs out, a missed term the day after, each once."""

from __future__ import annotations

import datetime as dt
import uuid

from services.meetings.domain.documents import DocumentKind
from services.meetings.domain.meeting import Meeting
from services.meetings.domain.terms import term_notices
from services.meetings.domain.votes import Choice, count_open_vote
from shared.vocabulary import BodyKind, Confidentiality
from tests.unit.meetings.builders import COUNCIL, POLICY, in_session, item


def _closed(body: BodyKind = BodyKind.GEMEENTERAAD) -> Meeting:
    agenda_item = item(body, confidentiality=Confidentiality.SOCIAL) if body is BodyKind.BCSD else item(body)
    meeting = in_session(agenda_item, body=body)
    present = meeting.present_for(agenda_item.item_id)
    result = count_open_vote(dict.fromkeys(present, Choice.IN_FAVOUR), present=present, sitting=len(COUNCIL))
    return meeting.record_vote(agenda_item.item_id, result, uuid.uuid4()).close(meeting.scheduled_at)


def test_the_task_comes_two_days_before_the_last_day_and_the_miss_the_day_after() -> None:
    meeting = _closed()
    assert meeting.closed_at is not None
    last_day = meeting.closed_at.date() + dt.timedelta(days=POLICY.publication_days)
    assert term_notices(meeting, set(), as_of=last_day - dt.timedelta(days=3), policy=POLICY) == []
    [nearing] = term_notices(meeting, set(), as_of=last_day - dt.timedelta(days=2), policy=POLICY)
    assert (nearing.document_kind, nearing.notice, nearing.due_on) == ("decision_list", "nearing", last_day)
    given = meeting.model_copy(update={"term_notices": (nearing.key,)})
    assert term_notices(given, set(), as_of=last_day, policy=POLICY) == [], "each notice once"
    [missed] = term_notices(given, set(), as_of=last_day + dt.timedelta(days=1), policy=POLICY)
    assert (missed.notice, missed.due_on) == ("missed", last_day)


def test_a_published_document_and_a_bcsd_meeting_owe_nothing() -> None:
    meeting = _closed()
    assert meeting.closed_at is not None
    late = meeting.closed_at.date() + dt.timedelta(days=30)
    assert term_notices(meeting, {DocumentKind.DECISION_LIST}, as_of=late, policy=POLICY) == []
    assert term_notices(_closed(BodyKind.BCSD), set(), as_of=late, policy=POLICY) == []
    # A late scan gives both notices at once: the task (still useful) and the miss.
    assert {n.notice for n in term_notices(meeting, set(), as_of=late, policy=POLICY)} == {"nearing", "missed"}
