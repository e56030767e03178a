"""A meeting of one body of one entity: agenda, session, treatments of items, and its minutes.

A joint meeting (council and RMW, college and vast bureau back to back) is two `Meeting`s that
share a `joint_group_id`: each keeps its own agenda, decisions and minutes for its own entity.
A session opens at its scheduled time, not before, with a majority of the sitting members; a
council meeting that lacked it lapses, and its second convocation decides the re-tabled items
whatever the number present. The public part comes first; closed items are treated after it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from services.meetings.domain.model import AgendaItem, ItemStatus, Role, entity_of_body, role_of
from services.meetings.domain.policy import COUNCILS, MeetingPolicy
from services.meetings.domain.votes import Choice, ElectionRound, VoteResult, quorum, reaches
from shared.kernel import RuleViolation
from shared.vocabulary import (
    PERSON_KINDS,
    BodyKind,
    Confidentiality,
    DecisionKind,
    LegalEntity,
    LegalityAdvice,
    VoteTally,
)

__all__ = [
    "Amendment",
    "EntryOrigin",
    "Meeting",
    "MeetingStatus",
    "Minutes",
    "MinutesStatus",
    "Signature",
    "Treatment",
    "TreatmentOutcome",
    "VoteMode",
]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class MeetingStatus(StrEnum):
    PLANNED = "planned"
    CONVENED = "convened"
    IN_SESSION = "in_session"
    CLOSED = "closed"
    LAPSED = "lapsed"
    """The session could not open: fewer than a majority of the sitting members came."""


class EntryOrigin(StrEnum):
    AGENDA = "agenda"
    """On the agenda as convened."""
    AMENDMENT = "amendment"
    """Added by the chair after convening (amended agenda)."""
    MEMBER = "member"
    """Added by a council member, up to 5 days before."""
    URGENT = "urgent"
    """Not on the agenda; treated because 2/3 of the members present found it urgent."""


class TreatmentOutcome(StrEnum):
    PENDING = "pending"
    ADOPTED = "adopted"
    REJECTED = "rejected"
    """Voted down (a tie rejects). Not called REJECTED: that name is kept for refused commands."""
    POSTPONED = "postponed"
    PREPARED = "prepared"
    """The college (vast bureau) agreed the draft and puts it before the council (RMW)."""
    ADVISED = "advised"
    """The committee gave its advice."""


class VoteMode(StrEnum):
    OPEN = "open"
    """Name by name."""
    BALLOT = "secret"
    """A secret ballot on one proposal: in favour, against, blank, invalid."""
    ELECTION = "election"
    """A secret ballot between candidates."""


class Amendment(_Model):
    """A change to the proposed decision, voted before the item itself."""

    text: str
    proposed_by: str
    adopted: bool
    tally: VoteTally


class Treatment(_Model):
    """One item on this meeting's agenda and what happened to it (BehandelingVanAgendapunt)."""

    item_id: uuid.UUID
    position: int
    title: str
    kind: DecisionKind
    confidentiality: Confidentiality
    origin: EntryOrigin
    added_at: dt.datetime
    added_by: str
    postponed_from: uuid.UUID | None = None
    """The earlier meeting that postponed this item."""
    absent: dict[str, str] = Field(default_factory=dict)
    """Members present at the meeting who left for this item, with the reason (conflict of interest)."""
    outcome: TreatmentOutcome = TreatmentOutcome.PENDING
    tally: VoteTally | None = None
    secret: bool = False
    by_member: dict[str, Choice] = Field(default_factory=dict)
    amendments: tuple[Amendment, ...] = ()
    decision_id: uuid.UUID | None = None
    note: str = ""
    """Why an item was postponed, or other remarks for the minutes."""
    role: Role = Role.DECISION
    closed_reason: str = ""
    """Why the body decided (by 2/3 of the members present) to treat a public item in closed session."""
    closing_tally: VoteTally | None = None
    candidates: tuple[str, ...] = ()
    """Person ids of the candidates of an election or designation."""
    rounds: tuple[ElectionRound, ...] = ()
    """The counted rounds of an election, the last one deciding."""
    advice: str = ""
    favourable: bool | None = None
    legality_advice: LegalityAdvice | None = None
    """The algemeen directeur's legality advice on the item, as it was when tabled."""

    @property
    def public(self) -> bool:
        return self.confidentiality is Confidentiality.PUBLIC

    @property
    def standing(self) -> tuple[str, ...]:
        """The candidates of the next round: the runoff of the last round, or all of them."""
        return self.rounds[-1].runoff if self.rounds else self.candidates


class MinutesStatus(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    SIGNED = "signed"


class Signature(_Model):
    person_id: str
    role: str
    """`chair` or `algemeen_directeur`."""
    signed_at: dt.datetime
    on_behalf_of: str | None = None
    """For the chair's written delegation to another member (never for the algemeen directeur)."""
    acting: bool = False
    """Signed by the acting (waarnemend) algemeen directeur in the director's place, recorded as such."""
    in_place_of: str | None = None
    """For an acting director: the algemeen directeur in whose place they sign."""


class RevokedSignature(_Model):
    """A signature withdrawn before publication, kept with who withdrew it and why."""

    signature: Signature
    revoked_at: dt.datetime
    reason: str


class Minutes(_Model):
    """The notulen: drafted at closing, approved at the next meeting of the same body, then signed."""

    status: MinutesStatus = MinutesStatus.DRAFT
    drafted_at: dt.datetime
    approved_in: uuid.UUID | None = None
    approved_at: dt.datetime | None = None
    comments: tuple[str, ...] = ()
    signatures: tuple[Signature, ...] = ()
    revoked: tuple[RevokedSignature, ...] = ()
    """Signatures withdrawn before publication."""


class Meeting(_Model):
    meeting_id: uuid.UUID
    body: BodyKind
    entity: LegalEntity
    scheduled_at: dt.datetime
    location: str
    status: MeetingStatus = MeetingStatus.PLANNED
    joint_group_id: uuid.UUID | None = None
    convened_at: dt.datetime | None = None
    agenda_published: tuple[dt.datetime, ...] = ()
    """Each publication of the (amended) agenda."""
    entries: tuple[Treatment, ...] = ()
    sitting: tuple[str, ...] = ()
    """Voting members sitting when the session opened (the base of the quorum)."""
    present: tuple[str, ...] = ()
    chair_id: str | None = None
    opened_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    minutes: Minutes | None = None
    committee_id: uuid.UUID | None = None
    """For a committee meeting: which committee of the council meets."""
    urgent: bool = False
    """Convened in an urgent case, with a shorter term (councils only have a term)."""
    urgency_reason: str = ""
    second_convocation_of: uuid.UUID | None = None
    """The lapsed meeting this one convenes a second time."""
    retabled: tuple[uuid.UUID, ...] = ()
    """Items on the agenda for the second time: decided whatever the number present."""
    term_notices: tuple[str, ...] = ()
    """The publication-term notices already given (`decision_list:nearing:<due>`, ...): each goes out once."""
    locked_at: dt.datetime | None = None
    """When its minutes were published: from then on the meeting and its minutes never change; a
    correction is a new decision."""

    def ensure_unlocked(self) -> None:
        """Published minutes and their meeting are locked: corrections go through a new decision."""
        if self.locked_at is not None:
            raise RuleViolation(
                "meeting_locked",
                f"the minutes of meeting {self.meeting_id} are published: correct them by a new decision",
            )

    def locked(self, now: dt.datetime) -> Meeting:
        return self if self.locked_at is not None else self.model_copy(update={"locked_at": now})

    # -- planning and agenda -------------------------------------------------------------------

    @classmethod
    def schedule(
        cls,
        *,
        body: BodyKind,
        scheduled_at: dt.datetime,
        location: str,
        now: dt.datetime,
        joint_with: Meeting | None = None,
        committee_id: uuid.UUID | None = None,
        second_of: Meeting | None = None,
    ) -> Meeting:
        """Plan a meeting; a joint meeting pairs council with RMW or college with vast bureau.

        The burgemeester decides alone and holds no meetings; a committee meeting names its
        committee; a second convocation names a council meeting that lapsed for lack of a quorum.
        """
        if scheduled_at <= now:
            raise RuleViolation("meeting_in_past", "a meeting can only be scheduled in the future")
        if body is BodyKind.BURGEMEESTER:
            raise RuleViolation("mayor_holds_no_meetings", "the burgemeester decides alone: use decide_as_mayor")
        if (body is BodyKind.GEMEENTERAADSCOMMISSIE) != (committee_id is not None):
            raise RuleViolation("committee_required", "a committee meeting, and only that, names its committee")
        if second_of is not None:
            if second_of.body is not body or body not in COUNCILS:
                raise RuleViolation(
                    "second_convocation_council_only", "only a council convenes its own lapsed meeting a second time"
                )
            if second_of.status is not MeetingStatus.LAPSED:
                raise RuleViolation("not_lapsed", "only a meeting that lapsed for lack of a quorum is convened again")
        group: uuid.UUID | None = None
        if joint_with is not None:
            if frozenset({body, joint_with.body}) not in _JOINT_PAIRS:
                raise RuleViolation(
                    "not_joinable",
                    "only the council with the RMW, or the college with the vast bureau, meet jointly",
                )
            if joint_with.status is MeetingStatus.CLOSED:
                raise RuleViolation("meeting_closed", "the meeting to join is already closed")
            group = joint_with.joint_group_id or joint_with.meeting_id
        return cls(
            meeting_id=uuid.uuid4(),
            body=body,
            entity=entity_of_body(body),
            scheduled_at=scheduled_at,
            location=location,
            joint_group_id=group,
            committee_id=committee_id,
            second_convocation_of=second_of.meeting_id if second_of else None,
            retabled=tuple(e.item_id for e in second_of.entries) if second_of else (),
        )

    def convene(
        self,
        items: list[AgendaItem],
        *,
        by: str,
        now: dt.datetime,
        policy: MeetingPolicy,
        concluded: Collection[uuid.UUID],
        urgent: bool = False,
        urgency_reason: str = "",
    ) -> Meeting:
        """Set and publish the agenda; a council agenda goes out at least 8 days before the meeting,
        or, in an urgent case stated with its reason, within the shorter urgent term.

        Every item must be ready: budget check passed, visum granted or overruled, and for staff
        rules a union consultation in `concluded` (the consultations with a protocol). The public
        items come first on the agenda: the closed part follows the public part.
        """
        if self.status is not MeetingStatus.PLANNED:
            raise RuleViolation("already_convened", "this meeting was already convened")
        if not items:
            raise RuleViolation("empty_agenda", "a meeting is convened with at least one agenda item")
        if urgent and not urgency_reason.strip():
            raise RuleViolation("reason_required", "an urgent convocation states why the meeting cannot wait")
        deadline = policy.agenda_deadline(self.scheduled_at, urgent=urgent)
        if self.body in COUNCILS and now > deadline:
            days = policy.urgent_agenda_days if urgent else policy.agenda_days
            raise RuleViolation(
                "agenda_deadline_passed",
                f"the agenda of a {self.body.value} meeting must be published at least {days} days"
                f" before it (by {deadline:%Y-%m-%d %H:%M} UTC)"
                + ("" if urgent else "; in an urgent case convene it as urgent, with the reason"),
            )
        meeting = self
        for item in sorted(items, key=lambda i: i.confidentiality is not Confidentiality.PUBLIC):
            meeting = meeting._with_entry(item, origin=EntryOrigin.AGENDA, by=by, now=now, concluded=concluded)
        return meeting.model_copy(
            update={
                "status": MeetingStatus.CONVENED,
                "convened_at": now,
                "agenda_published": (now,),
                "urgent": urgent,
                "urgency_reason": urgency_reason.strip(),
            }
        )

    def add_item(
        self,
        item: AgendaItem,
        *,
        by: str,
        by_member: bool,
        now: dt.datetime,
        policy: MeetingPolicy,
        concluded: Collection[uuid.UUID],
        urgency_votes: int | None = None,
        postponed_from: uuid.UUID | None = None,
    ) -> Meeting:
        """Amend a convened agenda, or treat an urgent item during the session."""
        if self.status in {MeetingStatus.CLOSED, MeetingStatus.LAPSED}:
            raise RuleViolation("meeting_closed", f"the meeting is {self.status.value}")
        if self.status is MeetingStatus.IN_SESSION:
            present = len(self.present)
            if urgency_votes is None or not reaches(urgency_votes, present, policy.urgency_fraction):
                raise RuleViolation(
                    "urgency_not_supported",
                    f"an item not on the agenda needs {policy.urgency_fraction} of the {present} members present"
                    f" to find it urgent; {urgency_votes or 0} did",
                )
            origin = EntryOrigin.URGENT
        elif self.status is MeetingStatus.CONVENED and self.body in COUNCILS:
            if now > policy.member_item_deadline(self.scheduled_at):
                raise RuleViolation(
                    "agenda_deadline_passed",
                    f"items can be added up to {policy.member_item_days} days before the meeting; after that only"
                    " urgent items, in session",
                )
            origin = EntryOrigin.MEMBER if by_member else EntryOrigin.AMENDMENT
        else:
            origin = EntryOrigin.AMENDMENT if self.status is MeetingStatus.CONVENED else EntryOrigin.AGENDA
        meeting = self._with_entry(
            item, origin=origin, by=by, now=now, concluded=concluded, postponed_from=postponed_from
        )
        if self.status is MeetingStatus.CONVENED:
            # The amended agenda is published at once, well within the 24-hour term.
            meeting = meeting.model_copy(update={"agenda_published": (*self.agenda_published, now)})
        return meeting

    def _with_entry(
        self,
        item: AgendaItem,
        *,
        origin: EntryOrigin,
        by: str,
        now: dt.datetime,
        concluded: Collection[uuid.UUID],
        postponed_from: uuid.UUID | None = None,
    ) -> Meeting:
        role = role_of(item.body, self.body)
        if item.status is not ItemStatus.PROPOSED:
            raise RuleViolation("item_not_open", f"the item was already {item.status.value}")
        if any(e.item_id == item.item_id for e in self.entries):
            raise RuleViolation("item_already_on_agenda", "the item is already on this agenda")
        item.check_ready(consultation_concluded=item.links.consultation_id in concluded)
        entry = Treatment(
            item_id=item.item_id,
            position=len(self.entries) + 1,
            title=item.title,
            kind=item.kind,
            confidentiality=item.confidentiality,
            origin=origin,
            added_at=now,
            added_by=by,
            postponed_from=postponed_from,
            role=role,
            candidates=tuple(c.person_id for c in item.links.candidates),
            legality_advice=item.legality_advice,
        )
        return self.model_copy(update={"entries": (*self.entries, entry)})

    # -- session -------------------------------------------------------------------------------

    def _check_attendance(self, present: Collection[str], sitting: Collection[str], now: dt.datetime) -> None:
        if self.status is MeetingStatus.PLANNED:
            raise RuleViolation("not_convened", "the meeting was not convened")
        if self.status is not MeetingStatus.CONVENED:
            raise RuleViolation("session_already_opened", f"the meeting is already {self.status.value}")
        if now < self.scheduled_at:
            raise RuleViolation(
                "session_not_due",
                f"the session opens at its scheduled time, {self.scheduled_at:%Y-%m-%d %H:%M} UTC, not before",
            )
        if not sitting:
            raise RuleViolation("no_sitting_members", f"no sitting members of the {self.body.value} are known")
        strangers = sorted(set(present) - set(sitting))
        if strangers:
            raise RuleViolation(
                "not_a_member", f"not a sitting member of the {self.body.value}: {', '.join(strangers)}"
            )

    def open_session(
        self, *, present: Collection[str], sitting: Collection[str], chair_id: str, now: dt.datetime
    ) -> Meeting:
        """Open with the members present, on time; a majority of the sitting members must be there,
        except at a second convocation."""
        self._check_attendance(present, sitting, now)
        needed = quorum(len(sitting))
        if len(set(present)) < needed and self.second_convocation_of is None:
            raise RuleViolation(
                "quorum_not_reached",
                f"{len(set(present))} of {len(sitting)} sitting members present; {needed} needed"
                + (": record that the meeting lapsed and convene it a second time" if self.body in COUNCILS else ""),
            )
        return self.model_copy(
            update={
                "status": MeetingStatus.IN_SESSION,
                "present": tuple(sorted(set(present))),
                "sitting": tuple(sorted(set(sitting))),
                "chair_id": chair_id,
                "opened_at": now,
            }
        )

    def lapse(self, *, present: Collection[str], sitting: Collection[str], now: dt.datetime) -> Meeting:
        """Record that the session could not open for lack of a quorum: the meeting lapses."""
        self._check_attendance(present, sitting, now)
        if len(set(present)) >= quorum(len(sitting)) or self.second_convocation_of is not None:
            raise RuleViolation("quorum_reached", "enough members are present: open the session")
        return self.model_copy(
            update={
                "status": MeetingStatus.LAPSED,
                "present": tuple(sorted(set(present))),
                "sitting": tuple(sorted(set(sitting))),
                "closed_at": now,
            }
        )

    def quorum_waived(self, item_id: uuid.UUID) -> bool:
        """A second convocation decides the re-tabled items whatever the number present."""
        return self.second_convocation_of is not None and item_id in self.retabled

    def entry(self, item_id: uuid.UUID) -> Treatment:
        for e in self.entries:
            if e.item_id == item_id:
                return e
        raise RuleViolation("item_not_on_agenda", f"item {item_id} is not on the agenda of this meeting")

    def _pending_entry(self, item_id: uuid.UUID, *, treating: bool = False) -> Treatment:
        if self.status is not MeetingStatus.IN_SESSION:
            raise RuleViolation("not_in_session", "items are treated only while the session is open")
        entry = self.entry(item_id)
        if entry.outcome is not TreatmentOutcome.PENDING:
            raise RuleViolation("already_treated", f"the item was already {entry.outcome.value}")
        if treating and not entry.public:
            waiting = [e.position for e in self.entries if e.public and e.outcome is TreatmentOutcome.PENDING]
            if waiting:
                raise RuleViolation(
                    "public_part_first",
                    f"the closed part follows the public part: treat items {', '.join(map(str, waiting))} first",
                )
        return entry

    def present_for(self, item_id: uuid.UUID) -> tuple[str, ...]:
        """Members present for one item: present at the meeting, minus those who left for it."""
        absent = self.entry(item_id).absent
        return tuple(p for p in self.present if p not in absent)

    def leave_item(self, item_id: uuid.UUID, person_id: str, reason: str) -> Meeting:
        """A member leaves for one item (conflict of interest) and does not vote on it."""
        entry = self._pending_entry(item_id)
        if person_id not in self.present:
            raise RuleViolation("not_present", f"{person_id} is not present at this meeting")
        if not reason.strip():
            raise RuleViolation("reason_required", "say why the member leaves (e.g. conflict of interest)")
        return self._replace(entry.model_copy(update={"absent": {**entry.absent, person_id: reason}}))

    def hold_closed(self, item_id: uuid.UUID, *, reason: str, result: VoteResult, policy: MeetingPolicy) -> Meeting:
        """Treat a public item in closed session: a reasoned decision of 2/3 of the members present."""
        entry = self._pending_entry(item_id)
        if not entry.public:
            raise RuleViolation("already_closed", "the item is already treated in closed session")
        if not reason.strip():
            raise RuleViolation("reason_required", "a closed treatment of a public item states its reasons")
        present = len(self.present_for(item_id))
        if not reaches(result.tally.in_favour, present, policy.closing_fraction):
            raise RuleViolation(
                "closing_not_supported",
                f"closing the treatment needs {policy.closing_fraction} of the {present} members present;"
                f" {result.tally.in_favour} voted for it",
            )
        closed = entry.model_copy(
            update={
                "confidentiality": Confidentiality.CLOSED,
                "closed_reason": reason.strip(),
                "closing_tally": result.tally,
            }
        )
        return self._replace(closed)

    def check_vote_mode(self, item_id: uuid.UUID, mode: VoteMode) -> None:
        """Decisions about persons by secret ballot (DLB art. 34), an election between its candidates;
        everything else openly, name by name."""
        entry = self._pending_entry(item_id, treating=True)
        about_persons = entry.kind in PERSON_KINDS
        if about_persons and mode is VoteMode.OPEN:
            raise RuleViolation("secret_ballot_required", "decisions about persons are voted by secret ballot")
        if not about_persons and mode is not VoteMode.OPEN:
            raise RuleViolation("open_vote_required", "only decisions about persons are voted by secret ballot")
        if mode is VoteMode.ELECTION and not entry.candidates:
            raise RuleViolation("no_candidates", "an election is held between the item's candidates")
        if entry.kind is DecisionKind.ELECTION and mode is not VoteMode.ELECTION and entry.role is Role.DECISION:
            raise RuleViolation("election_ballots_required", "an election is voted by ballots for its candidates")
        if entry.role is Role.ADVICE:
            raise RuleViolation("advice_not_vote", "a committee gives advice on a council item: advise_on_item")

    def amend(self, item_id: uuid.UUID, *, text: str, proposed_by: str, result: VoteResult) -> Meeting:
        """Record an amendment and its vote; the item itself is voted afterwards."""
        entry = self._pending_entry(item_id, treating=True)
        if not text.strip():
            raise RuleViolation("amendment_empty", "an amendment states the change to the proposed decision")
        amendment = Amendment(text=text, proposed_by=proposed_by, adopted=result.adopted, tally=result.tally)
        return self._replace(entry.model_copy(update={"amendments": (*entry.amendments, amendment)}))

    def record_vote(self, item_id: uuid.UUID, result: VoteResult, decision_id: uuid.UUID | None) -> Meeting:
        """The vote on an item: its decision, or, for the college, whether it goes to the council."""
        entry = self._pending_entry(item_id, treating=True)
        if entry.role is Role.PREPARATION:
            outcome = TreatmentOutcome.PREPARED if result.adopted else TreatmentOutcome.REJECTED
        else:
            outcome = TreatmentOutcome.ADOPTED if result.adopted else TreatmentOutcome.REJECTED
        return self._replace(
            entry.model_copy(
                update={
                    "outcome": outcome,
                    "tally": result.tally,
                    "secret": result.secret,
                    "by_member": dict(result.by_member),
                    "decision_id": decision_id,
                }
            )
        )

    def record_round(self, item_id: uuid.UUID, counted: ElectionRound, decision_id: uuid.UUID | None) -> Meeting:
        """A round of an election: the item stays open for a runoff, or is decided by this round."""
        entry = self._pending_entry(item_id, treating=True)
        rounds = (*entry.rounds, counted)
        if not counted.decided:
            return self._replace(entry.model_copy(update={"rounds": rounds}))
        outcome = TreatmentOutcome.ADOPTED if counted.elected else TreatmentOutcome.REJECTED
        if entry.role is Role.PREPARATION:
            outcome = TreatmentOutcome.PREPARED if counted.elected else TreatmentOutcome.REJECTED
        return self._replace(
            entry.model_copy(
                update={
                    "rounds": rounds,
                    "outcome": outcome,
                    "tally": counted.tally(),
                    "secret": True,
                    "decision_id": decision_id,
                }
            )
        )

    def record_advice(self, item_id: uuid.UUID, *, text: str, result: VoteResult) -> Meeting:
        """A committee's advice on a council item, with its vote; the item goes on to the council."""
        entry = self._pending_entry(item_id, treating=True)
        if entry.role is not Role.ADVICE:
            raise RuleViolation("not_for_advice", "only a committee advises, on a council item")
        if not text.strip():
            raise RuleViolation("advice_empty", "the advice states the committee's view")
        return self._replace(
            entry.model_copy(
                update={
                    "outcome": TreatmentOutcome.ADVISED,
                    "advice": text.strip(),
                    "favourable": result.adopted,
                    "tally": result.tally,
                    "secret": result.secret,
                    "by_member": dict(result.by_member),
                }
            )
        )

    def postpone(self, item_id: uuid.UUID, reason: str) -> Meeting:
        """The item is not decided now; it can go on a later agenda, keeping its lineage."""
        entry = self._pending_entry(item_id)
        return self._replace(entry.model_copy(update={"outcome": TreatmentOutcome.POSTPONED, "note": reason}))

    def close(self, now: dt.datetime) -> Meeting:
        """End the session and draft the minutes; every item must be decided or postponed."""
        if self.status is not MeetingStatus.IN_SESSION:
            raise RuleViolation("not_in_session", "only an open session can be closed")
        pending = [e.position for e in self.entries if e.outcome is TreatmentOutcome.PENDING]
        if pending:
            raise RuleViolation(
                "items_pending", f"decide or postpone items {', '.join(map(str, pending))} before closing"
            )
        return self.model_copy(
            update={"status": MeetingStatus.CLOSED, "closed_at": now, "minutes": Minutes(drafted_at=now)}
        )

    # -- minutes -------------------------------------------------------------------------------

    def approve_minutes_of(self, earlier: Meeting, *, comments: tuple[str, ...], now: dt.datetime) -> Meeting:
        """Approve the minutes of an earlier meeting of the same body, during this session."""
        if self.status is not MeetingStatus.IN_SESSION:
            raise RuleViolation("not_in_session", "minutes are approved during a session of the next meeting")
        if earlier.body is not self.body or earlier.scheduled_at >= self.scheduled_at:
            raise RuleViolation("minutes_not_next_meeting", "minutes are approved at a later meeting of the same body")
        if earlier.minutes is None or earlier.minutes.status is not MinutesStatus.DRAFT:
            raise RuleViolation("minutes_not_draft", "those minutes are not a draft awaiting approval")
        minutes = earlier.minutes.model_copy(
            update={
                "status": MinutesStatus.APPROVED,
                "approved_in": self.meeting_id,
                "approved_at": now,
                "comments": comments,
            }
        )
        return earlier.model_copy(update={"minutes": minutes})

    def sign_minutes(
        self,
        *,
        person_id: str,
        on_behalf_of: str | None,
        chairs: Collection[str],
        policy: MeetingPolicy,
        now: dt.datetime,
        acting_directors: Collection[str] = (),
    ) -> Meeting:
        """The chair and the algemeen directeur sign approved minutes; the latter never by delegation.

        The chair may delegate the signature in writing to another member (`on_behalf_of`). An acting
        (waarnemend) algemeen directeur, who holds the director's seat in the body as acting on the
        meeting day, signs in the director's place, and the signature says so.
        """
        self.ensure_unlocked()
        minutes = self.minutes
        if minutes is None or minutes.status is MinutesStatus.DRAFT:
            raise RuleViolation("minutes_not_approved", "minutes are signed only after their approval")
        if on_behalf_of == policy.algemeen_directeur:
            raise RuleViolation(
                "signature_not_delegable", "the algemeen directeur signs the minutes personally, never by delegation"
            )

        def chairs_this(person: str) -> bool:
            return person in chairs or person == self.chair_id

        acting = False
        if person_id == policy.algemeen_directeur and on_behalf_of is None:
            role = "algemeen_directeur"
        elif person_id in acting_directors and on_behalf_of is None:
            role, acting = "algemeen_directeur", True
        elif chairs_this(on_behalf_of or person_id):
            role = "chair"
        else:
            raise RuleViolation(
                "not_a_signatory", f"{on_behalf_of or person_id} neither chairs this body nor is the algemeen directeur"
            )
        if any(s.role == role for s in minutes.signatures):
            raise RuleViolation("already_signed", f"the {role} already signed these minutes")
        signature = Signature(
            person_id=person_id,
            role=role,
            signed_at=now,
            on_behalf_of=on_behalf_of,
            acting=acting,
            in_place_of=policy.algemeen_directeur if acting else None,
        )
        signatures = (*minutes.signatures, signature)
        complete = {s.role for s in signatures} == {"chair", "algemeen_directeur"}
        status = MinutesStatus.SIGNED if complete else minutes.status
        return self.model_copy(
            update={"minutes": minutes.model_copy(update={"signatures": signatures, "status": status})}
        )

    def revoke_signature(self, *, person_id: str, reason: str, now: dt.datetime) -> Meeting:
        """A signatory withdraws their signature before publication; signed minutes are approved again."""
        self.ensure_unlocked()
        minutes = self.minutes
        if not reason.strip():
            raise RuleViolation("reason_required", "say why the signature is revoked")
        mine = [s for s in minutes.signatures if s.person_id == person_id] if minutes else []
        if minutes is None or not mine:
            raise RuleViolation("not_signed", f"{person_id} has not signed these minutes")
        [signature] = mine
        return self.model_copy(
            update={
                "minutes": minutes.model_copy(
                    update={
                        "signatures": tuple(s for s in minutes.signatures if s.person_id != person_id),
                        "status": MinutesStatus.APPROVED,
                        "revoked": (
                            *minutes.revoked,
                            RevokedSignature(signature=signature, revoked_at=now, reason=reason.strip()),
                        ),
                    }
                )
            }
        )

    # -- helpers -------------------------------------------------------------------------------

    def _replace(self, entry: Treatment) -> Meeting:
        return self.model_copy(
            update={"entries": tuple(entry if e.item_id == entry.item_id else e for e in self.entries)}
        )


_JOINT_PAIRS = frozenset(
    {
        frozenset({BodyKind.GEMEENTERAAD, BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN}),
        frozenset({BodyKind.COLLEGE, BodyKind.VAST_BUREAU}),
    }
)
