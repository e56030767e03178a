"""Queries of meetings, answered from its tables with their typed replies; they never change anything.

Queries answer for the signed actor of the request (DESIGN §5): whoever holds a seat in the body
(the sitting members and the algemeen directeur, on the meeting day) sees its closed and social
items in full, and the BCSD's social-welfare items also the algemeen directeur and the social
service the policy names; anyone else sees that such an item exists, and nothing more.
"""

from __future__ import annotations

import uuid

from services.meetings.domain.committee import majority_groups, share_seats
from services.meetings.domain.decision import DecisionRecord
from services.meetings.domain.documents import decision_list, draft_minutes, ensure_publishable, verify_register
from services.meetings.domain.lblod import meeting_graph
from services.meetings.domain.meeting import Meeting, MeetingStatus, Treatment
from services.meetings.domain.members import Roster
from services.meetings.domain.policy import MeetingPolicy
from services.meetings.service_layer.audience import Audience
from services.meetings.service_layer.commands.common import concluded
from services.meetings.service_layer.ports import MeetingsUnitOfWork
from services.meetings.service_layer.publication_views import PublicationViews
from shared.clock import Clock
from shared.contracts.sessions import (
    BrokenEntry,
    CommitteeLine,
    DecisionDetails,
    DecisionList,
    ExportLblod,
    ExportLblodReply,
    GetCommitteeShares,
    GetCommitteeSharesReply,
    GetDecision,
    GetDecisionList,
    GetDecisionListReply,
    GetDecisionReply,
    GetItemFiles,
    GetItemFilesReply,
    GetItemHistory,
    GetItemHistoryReply,
    GetItemReadiness,
    GetItemReadinessReply,
    GetMeeting,
    GetMeetingReply,
    GetMinutes,
    GetMinutesReply,
    HistoryStepLine,
    ItemFileLine,
    ListCommittees,
    ListCommitteesReply,
    ListMeetings,
    ListMeetingsReply,
    ListMembers,
    ListMembersReply,
    MeetingDetails,
    MeetingLine,
    MemberLine,
    MinutesState,
    MinutesText,
    TreatmentLine,
    VerifyPublications,
    VerifyPublicationsReply,
)
from shared.kernel import RuleViolation
from shared.vocabulary import BodyKind, Confidentiality

__all__ = ["MeetingViews"]


async def _meeting(uow: MeetingsUnitOfWork, meeting_id: uuid.UUID) -> Meeting:
    meeting = await uow.meetings.get(meeting_id)
    if meeting is None:
        raise RuleViolation("unknown_meeting", f"no meeting {meeting_id}")
    return meeting


def _treatment(entry: Treatment, earlier: tuple[HistoryStepLine, ...]) -> TreatmentLine:
    data = entry.model_dump(mode="json", exclude={"closing_tally"})
    return TreatmentLine.model_validate({**data, "earlier": earlier})


def _restricted(position: int, confidentiality: Confidentiality) -> TreatmentLine:
    return TreatmentLine(position=position, confidentiality=confidentiality, restricted=True)


class MeetingViews(PublicationViews):
    """Every query of meetings; the clock says which day "today" is for the members of a body."""

    def __init__(self, clock: Clock, policy: MeetingPolicy) -> None:
        self._clock = clock
        self._policy = policy

    async def get_meeting(self, uow: MeetingsUnitOfWork, q: GetMeeting) -> GetMeetingReply:
        """The meeting with its agenda and the treatment of every item (closed ones for members only)."""
        meeting = await _meeting(uow, q.meeting_id)
        audience = Audience(uow, self._policy)
        member = await audience.sees_meeting(meeting)
        lines: list[TreatmentLine] = []
        for entry in meeting.entries:
            if not entry.public and not member:
                lines.append(_restricted(entry.position, entry.confidentiality))
                continue
            item = await uow.items.get(entry.item_id)
            before = tuple(s for s in (item.history if item else ()) if s.meeting_id != meeting.meeting_id)
            lines.append(_treatment(entry, await audience.steps(before)))
        data = meeting.model_dump(mode="json", exclude={"entries"})
        roster = await audience.of_meeting(meeting)
        return GetMeetingReply(
            command_id=q.command_id,
            meeting=MeetingDetails.model_validate({**data, "entries": [line.model_dump() for line in lines]}),
            names={s.person_id: s.person_name for s in roster.seats},
        )

    async def list_meetings(self, uow: MeetingsUnitOfWork, q: ListMeetings) -> ListMeetingsReply:
        """Meetings, newest first."""
        found = await uow.meetings.list(q.body, q.limit)
        return ListMeetingsReply(
            command_id=q.command_id,
            meetings=tuple(
                MeetingLine(
                    meeting_id=m.meeting_id,
                    body=m.body,
                    entity=m.entity,
                    scheduled_at=m.scheduled_at,
                    status=m.status.value,
                    items=len(m.entries),
                    joint_group_id=m.joint_group_id,
                    minutes=m.minutes.status.value if m.minutes else None,
                )
                for m in found
            ),
        )

    async def list_members(self, uow: MeetingsUnitOfWork, q: ListMembers) -> ListMembersReply:
        """Sitting members of a body on a date, chairs first."""
        day = q.on or self._clock().date()
        seats = await uow.seats.of_body(BodyKind.COLLEGE if q.body is BodyKind.BURGEMEESTER else q.body)
        roster = Roster.of(seats, q.body, day)
        members = sorted(roster.seats, key=lambda s: (s.person_id not in roster.chairs, s.person_name))
        return ListMembersReply(
            command_id=q.command_id,
            on=day,
            members=tuple(
                MemberLine(
                    person_id=s.person_id,
                    name=s.person_name,
                    role=s.role,
                    status=s.status,
                    voting=s.voting,
                    group=s.group,
                )
                for s in members
            ),
        )

    async def get_decision(self, uow: MeetingsUnitOfWork, q: GetDecision) -> GetDecisionReply:
        """A decision with its votes (per member for an open vote, the tally for a secret ballot) and the
        history of its item; a closed or social decision in full for the members of its body only."""
        record = await uow.decisions.get(q.decision_id)
        if record is None:
            raise RuleViolation("unknown_decision", f"no decision {q.decision_id}")
        audience = Audience(uow, self._policy)
        if not await self._sees_decision(uow, audience, record):
            return GetDecisionReply(
                command_id=q.command_id,
                decision=DecisionDetails(
                    decision_id=record.decision_id,
                    item_id=record.item_id,
                    meeting_id=record.meeting_id,
                    body=record.body,
                    entity=record.entity,
                    confidentiality=record.confidentiality,
                    restricted=True,
                ),
            )
        item = await uow.items.get(record.item_id)
        details = {
            **record.model_dump(mode="json"),
            "reportable": record.reportable,
            "decision_type": record.decision_type.concept,
            "history": [s.model_dump() for s in await audience.steps(item.history if item else ())],
        }
        return GetDecisionReply(command_id=q.command_id, decision=DecisionDetails.model_validate(details))

    async def _sees_decision(self, uow: MeetingsUnitOfWork, audience: Audience, record: DecisionRecord) -> bool:
        if record.confidentiality is Confidentiality.PUBLIC:
            return True
        if record.meeting_id is not None:
            meeting = await uow.meetings.get(record.meeting_id)
            return meeting is not None and await audience.sees_meeting(meeting)
        return await audience.sees_body(record.body, record.decided_at.date())

    async def get_decision_list(self, uow: MeetingsUnitOfWork, q: GetDecisionList) -> GetDecisionListReply:
        """The besluitenlijst of a meeting, as it is (or will be) published: closed items by number only."""
        meeting = await _meeting(uow, q.meeting_id)
        records = {d.decision_id: d for d in await uow.decisions.of_meeting(meeting.meeting_id)}
        return GetDecisionListReply(
            command_id=q.command_id, decision_list=DecisionList.model_validate(decision_list(meeting, records))
        )

    async def get_minutes(self, uow: MeetingsUnitOfWork, q: GetMinutes) -> GetMinutesReply:
        """The full minutes with their approval and signatures: closed items in full for the members."""
        meeting = await _meeting(uow, q.meeting_id)
        if meeting.minutes is None:
            raise RuleViolation("no_minutes_yet", "minutes are drafted when the meeting is closed")
        audience = Audience(uow, self._policy)
        roster = await audience.of_meeting(meeting)
        minutes = draft_minutes(meeting, {s.person_id: s.person_name for s in roster.seats})
        if not await audience.sees_meeting(meeting):
            minutes["items"] = [
                i
                if i["confidentiality"] == Confidentiality.PUBLIC.value
                else {"position": i["position"], "confidentiality": i["confidentiality"], "restricted": True}
                for i in minutes["items"]
            ]
        return GetMinutesReply(
            command_id=q.command_id,
            minutes=MinutesText.model_validate(minutes),
            state=MinutesState.model_validate(meeting.minutes.model_dump(mode="json")),
        )

    async def get_item_history(self, uow: MeetingsUnitOfWork, q: GetItemHistory) -> GetItemHistoryReply:
        """One history of an item across the college, a committee and the council, found from the
        item or from any decision taken on it."""
        item_id = q.item_id
        if q.decision_id is not None:
            record = await uow.decisions.get(q.decision_id)
            if record is None:
                raise RuleViolation("unknown_decision", f"no decision {q.decision_id}")
            item_id = record.item_id
        assert item_id is not None
        item = await uow.items.get(item_id)
        if item is None:
            raise RuleViolation("unknown_item", f"no agenda item {item_id}")
        audience = Audience(uow, self._policy)
        visible = await audience.sees_item(item)
        return GetItemHistoryReply(
            command_id=q.command_id,
            item_id=item.item_id,
            body=item.body,
            confidentiality=item.confidentiality,
            restricted=not visible,
            title=item.title if visible else None,
            item_status=item.status.value,
            steps=await audience.steps(item.history),
        )

    async def get_item_readiness(self, uow: MeetingsUnitOfWork, q: GetItemReadiness) -> GetItemReadinessReply:
        """Whether the item can go on an agenda now: the convocation's own check, without the convocation."""
        if (item := await uow.items.get(q.item_id)) is None:
            raise RuleViolation("unknown_item", f"no agenda item {q.item_id}")
        unready = item.unready(consultation_concluded=bool(await concluded(uow, [item])))
        refusal, reason = (unready.code, unready.message) if unready else (None, None)
        return GetItemReadinessReply(
            command_id=q.command_id, item_id=q.item_id, ready=not unready, refusal=refusal, reason=reason
        )

    async def get_item_files(self, uow: MeetingsUnitOfWork, q: GetItemFiles) -> GetItemFilesReply:
        """The item's file, for the members of the body of the meeting whose agenda holds it, from the
        convocation on."""
        item = await uow.items.get(q.item_id)
        if item is None:
            raise RuleViolation("unknown_item", f"no agenda item {q.item_id}")
        meeting = await uow.meetings.get(item.meeting_id) if item.meeting_id else None
        if meeting is None or meeting.convened_at is None or meeting.status is MeetingStatus.PLANNED:
            raise RuleViolation(
                "files_not_yet_available", "an item's file is available from the convocation of its meeting on"
            )
        if not await Audience(uow, self._policy).sees_meeting(meeting):
            raise RuleViolation(
                "files_for_members", f"the file is available to the members of the {meeting.body.value}"
            )
        return GetItemFilesReply(
            command_id=q.command_id,
            item_id=item.item_id,
            meeting_id=meeting.meeting_id,
            available_since=meeting.convened_at,
            files=tuple(ItemFileLine(title=f.title, reference=f.reference) for f in item.files),
        )

    async def get_committee_shares(self, uow: MeetingsUnitOfWork, q: GetCommitteeShares) -> GetCommitteeSharesReply:
        """How a committee of `seats` would be shared over the council's groups today (the majority holding more)."""
        day = self._clock().date()
        council = Roster.of(await uow.seats.of_body(BodyKind.GEMEENTERAAD), BodyKind.GEMEENTERAAD, day)
        college = Roster.of(await uow.seats.of_body(BodyKind.COLLEGE), BodyKind.COLLEGE, day)
        majority = majority_groups(council, college)
        shares = share_seats(q.seats, council.groups(), majority, self._policy.committee_seat_method)
        return GetCommitteeSharesReply(command_id=q.command_id, shares=shares, majority=tuple(sorted(majority)))

    async def list_committees(self, uow: MeetingsUnitOfWork, q: ListCommittees) -> ListCommitteesReply:
        """The council's committees with their seats per group and their members."""
        return ListCommitteesReply(
            command_id=q.command_id,
            committees=tuple(
                CommitteeLine(
                    committee_id=c.committee_id,
                    name=c.name,
                    seats=c.seats,
                    shares=dict(c.shares),
                    majority=c.majority,
                    members=tuple(m.person_id for m in c.members),
                    chair_id=c.chair_id,
                )
                for c in await uow.committees.all()
            ),
        )

    async def export_lblod(self, uow: MeetingsUnitOfWork, q: ExportLblod) -> ExportLblodReply:
        """The public part of a meeting as LBLOD JSON-LD (closed and BCSD items are left out)."""
        meeting = await _meeting(uow, q.meeting_id)
        ensure_publishable(meeting)
        records = {d.decision_id: d for d in await uow.decisions.of_meeting(meeting.meeting_id)}
        return ExportLblodReply(command_id=q.command_id, jsonld=meeting_graph(meeting, records))

    async def verify_publications(self, uow: MeetingsUnitOfWork, q: VerifyPublications) -> VerifyPublicationsReply:
        """Recompute the register; `broken` names the first entry whose document or seal changed."""
        entries = await uow.publications.all()
        checked, broken = verify_register(entries)
        first_broken = None
        if broken is not None:
            assert broken.seq is not None, "entries read from the register are numbered"
            first_broken = BrokenEntry(seq=broken.seq, document_id=broken.document.document_id)
        return VerifyPublicationsReply(
            command_id=q.command_id, entries=len(entries), intact=checked, broken=first_broken
        )
