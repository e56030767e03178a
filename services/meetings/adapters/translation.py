"""The one place where meetings meets the message contracts.

Incoming commands and the events meetings consumes become its own commands; its domain events
become the contracts it publishes, with the envelope attributes they travel with. The published
contracts are what other services and auditors read: subjects, fields and envelopes stay stable.
"""

from __future__ import annotations

import functools
from typing import Literal

from services.meetings.domain import commands as own
from services.meetings.domain import events
from shared.contracts import meetings as items
from shared.contracts import sessions
from shared.contracts.finance import BudgetCheckFailed, BudgetCheckPassed, VisumGranted, VisumRefused
from shared.contracts.hr import ConsultationConcluded, ConsultationOpened
from shared.contracts.organisation import DecisionExecuted, MandateEnded, MandateStarted, MandateStatusChanged
from shared.kernel import DomainEvent, RuleViolation
from shared.messaging.context import current_actor
from shared.messaging.envelope import Envelope
from shared.messaging.outgoing import Outgoing
from shared.vocabulary import BodyKind, Confidentiality, Entity, FollowUpAction, FollowUpKind

__all__ = [
    "actor_id",
    "add_agenda_item",
    "advise_on_item",
    "amend_item",
    "approve_minutes",
    "change_seat_status",
    "close_meeting",
    "convene_meeting",
    "decide_as_mayor",
    "end_seat",
    "give_legality_advice",
    "leave_item",
    "open_session",
    "outgoing",
    "postpone_item",
    "propose_agenda_item",
    "publish_documents",
    "record_budget_check",
    "record_consultation",
    "record_execution",
    "record_lapse",
    "record_seat",
    "record_visum",
    "revoke_signature",
    "scan_publication_terms",
    "schedule_meeting",
    "set_up_committee",
    "sign_minutes",
    "treat_in_closed_session",
    "vote_on_item",
]

# -- commands -------------------------------------------------------------------------------------


def actor_id() -> str:
    """The person acting: the signed actor the service verified for this command (DESIGN §5).

    No command body names who acts; the translation fills the acting person of meetings' own
    commands (proposer, convener, signatory, who records) from the proven actor, once, here.
    """
    actor = current_actor()
    if actor is None:
        raise RuleViolation("actor_missing", "a command of meetings is carried out only for a signed actor")
    return actor.person_id


def propose_agenda_item(c: items.ProposeAgendaItem) -> own.ProposeAgendaItem:
    return own.ProposeAgendaItem(
        body=c.body,
        entity=c.entity,
        title=c.title,
        kind=c.kind,
        confidentiality=c.confidentiality,
        legal_basis=c.legal_basis,
        motivation=c.motivation,
        financial_impact=c.financial_impact,
        follow_up_actions=c.follow_up_actions,
        proposed_by=actor_id(),
        appointment=c.appointment,
        delegation=c.delegation,
        budget_change_id=c.budget_change_id,
        consultation_id=c.consultation_id,
        overrules_item_id=c.overrules_item_id,
        candidates=c.candidates,
        files=c.files,
        discipline=c.discipline,
        organogram_version=c.organogram_version,
        designation=c.designation,
        district=c.district,
        relations=c.relations,
        text=c.text,
    )


def decide_as_mayor(c: items.DecideAsMayor) -> own.DecideAsMayor:
    return own.DecideAsMayor(item_id=c.item_id, mayor_id=actor_id())


def give_legality_advice(c: items.GiveLegalityAdvice) -> own.GiveLegalityAdvice:
    return own.GiveLegalityAdvice(
        item_id=c.item_id, verdict=c.verdict, reasoning=c.reasoning, actor_person_id=actor_id()
    )


def schedule_meeting(c: sessions.ScheduleMeeting) -> own.ScheduleMeeting:
    return own.ScheduleMeeting(
        body=c.body,
        scheduled_at=c.scheduled_at,
        location=c.location,
        joint_with=c.joint_with,
        committee_id=c.committee_id,
        second_convocation_of=c.second_convocation_of,
    )


def convene_meeting(c: sessions.ConveneMeeting) -> own.ConveneMeeting:
    return own.ConveneMeeting(
        meeting_id=c.meeting_id,
        item_ids=c.item_ids,
        convened_by=actor_id(),
        urgent=c.urgent,
        urgency_reason=c.urgency_reason,
    )


def record_lapse(c: sessions.RecordLapse) -> own.RecordLapse:
    return own.RecordLapse(meeting_id=c.meeting_id, present=c.present, recorded_by=actor_id())


def set_up_committee(c: sessions.SetUpCommittee) -> own.SetUpCommittee:
    return own.SetUpCommittee(name=c.name, seats=c.seats, nominations=dict(c.nominations), chair_id=c.chair_id)


def treat_in_closed_session(c: sessions.TreatInClosedSession) -> own.TreatInClosedSession:
    return own.TreatInClosedSession(
        meeting_id=c.meeting_id, item_id=c.item_id, reason=c.reason, open_votes=c.open_votes, recorded_by=actor_id()
    )


def advise_on_item(c: sessions.AdviseOnItem) -> own.AdviseOnItem:
    return own.AdviseOnItem(
        meeting_id=c.meeting_id,
        item_id=c.item_id,
        advice=c.advice,
        open_votes=c.open_votes,
        secret_tally=c.secret_tally,
        recorded_by=actor_id(),
    )


def add_agenda_item(c: sessions.AddAgendaItem) -> own.AddAgendaItem:
    return own.AddAgendaItem(
        meeting_id=c.meeting_id,
        item_id=c.item_id,
        added_by=actor_id(),
        by_member=c.by_member,
        urgency_votes=c.urgency_votes,
        postponed_from=c.postponed_from,
    )


def open_session(c: sessions.OpenSession) -> own.OpenSession:
    return own.OpenSession(meeting_id=c.meeting_id, present=c.present, chair_id=c.chair_id, recorded_by=actor_id())


def leave_item(c: sessions.LeaveItem) -> own.LeaveItem:
    return own.LeaveItem(
        meeting_id=c.meeting_id, item_id=c.item_id, person_id=c.person_id, reason=c.reason, recorded_by=actor_id()
    )


def amend_item(c: sessions.AmendItem) -> own.AmendItem:
    return own.AmendItem(
        meeting_id=c.meeting_id,
        item_id=c.item_id,
        text=c.text,
        proposed_by=c.proposed_by,
        open_votes=c.open_votes,
        secret_tally=c.secret_tally,
        recorded_by=actor_id(),
    )


def vote_on_item(c: sessions.VoteOnItem) -> own.VoteOnItem:
    return own.VoteOnItem(
        meeting_id=c.meeting_id,
        item_id=c.item_id,
        open_votes=c.open_votes,
        secret_tally=c.secret_tally,
        election=c.election,
        recorded_by=actor_id(),
    )


def postpone_item(c: sessions.PostponeItem) -> own.PostponeItem:
    return own.PostponeItem(meeting_id=c.meeting_id, item_id=c.item_id, reason=c.reason)


def close_meeting(c: sessions.CloseMeeting) -> own.CloseMeeting:
    return own.CloseMeeting(meeting_id=c.meeting_id)


def approve_minutes(c: sessions.ApproveMinutes) -> own.ApproveMinutes:
    return own.ApproveMinutes(meeting_id=c.meeting_id, minutes_of=c.minutes_of, comments=c.comments)


def revoke_signature(c: sessions.RevokeSignature) -> own.RevokeSignature:
    return own.RevokeSignature(meeting_id=c.meeting_id, person_id=actor_id(), reason=c.reason)


def scan_publication_terms(c: sessions.ScanPublicationTerms) -> own.ScanPublicationTerms:
    return own.ScanPublicationTerms(as_of=c.as_of)


def sign_minutes(c: sessions.SignMinutes) -> own.SignMinutes:
    return own.SignMinutes(meeting_id=c.meeting_id, person_id=actor_id(), on_behalf_of=c.on_behalf_of)


def publish_documents(c: sessions.PublishDocuments) -> own.PublishDocuments:
    return own.PublishDocuments(meeting_id=c.meeting_id)


# -- consumed events ------------------------------------------------------------------------------


def record_budget_check(event: BudgetCheckPassed | BudgetCheckFailed, _envelope: Envelope) -> own.RecordBudgetCheck:
    """Finance's verdict; a passed check may require the financial director's visum."""
    passed = isinstance(event, BudgetCheckPassed)
    return own.RecordBudgetCheck(
        item_id=event.item_id,
        passed=passed,
        visum_required=isinstance(event, BudgetCheckPassed) and event.visum_required,
    )


def record_visum(event: VisumGranted | VisumRefused, _envelope: Envelope) -> own.RecordVisum:
    return own.RecordVisum(item_id=event.item_id, granted=isinstance(event, VisumGranted))


def record_seat(event: MandateStarted, _envelope: Envelope) -> own.RecordSeat:
    return own.RecordSeat(
        mandate_id=event.mandate_id,
        person_id=event.person_id,
        person_name=event.person_name,
        body=event.body,
        role=event.role,
        status=event.status,
        voting=event.voting,
        start=event.start,
        end=event.end,
        group=event.group,
    )


def change_seat_status(event: MandateStatusChanged, _envelope: Envelope) -> own.ChangeSeatStatus:
    return own.ChangeSeatStatus(mandate_id=event.mandate_id, status=event.status)


def end_seat(event: MandateEnded, _envelope: Envelope) -> own.EndSeat:
    return own.EndSeat(mandate_id=event.mandate_id, end=event.end)


def record_consultation(
    event: ConsultationOpened | ConsultationConcluded, _envelope: Envelope
) -> own.RecordConsultation:
    """An opened consultation is known but not concluded; a concluded one has its protocol."""
    if isinstance(event, ConsultationConcluded):
        return own.RecordConsultation(event.consultation_id, concluded=True, protocol=event.protocol_reference)
    return own.RecordConsultation(event.consultation_id, concluded=False, protocol=None)


def record_execution(event: DecisionExecuted, _envelope: Envelope) -> own.RecordExecution:
    return own.RecordExecution(decision_id=event.decision_id, executed_at=event.executed_at)


# -- published events -----------------------------------------------------------------------------


#: The agendas that never go public, not even by number (the BCSD's hold personal data).
_AGENDA_CONFIDENTIALITY = {
    BodyKind.BCSD: Confidentiality.SOCIAL,
    BodyKind.MANAGEMENTTEAM: Confidentiality.CLOSED,
}


@functools.singledispatch
def outgoing(event: DomainEvent) -> Outgoing:
    """The contract a domain event is published as."""
    raise TypeError(f"meetings publishes no {type(event).__name__}")


@outgoing.register
def _(event: events.AgendaItemProposed) -> Outgoing:
    return Outgoing(
        items.AgendaItemProposed(
            item_id=event.item_id,
            body=event.body,
            entity=event.entity,
            title=event.title,
            kind=event.kind,
            confidentiality=event.confidentiality,
            financial_impact=event.financial_impact,
            proposed_at=event.proposed_at,
            budget_change_id=event.budget_change_id,
        ),
        subject_id=str(event.item_id),
        entity=Entity.of(event.entity),
        confidentiality=event.confidentiality,
    )


@outgoing.register
def _(event: events.AgendaItemChecked) -> Outgoing:
    return Outgoing(
        items.AgendaItemChecked(item_id=event.item_id, budget_check=event.budget_check, visum=event.visum),
        subject_id=str(event.item_id),
        entity=Entity.of(event.entity),
        confidentiality=event.confidentiality,
    )


@outgoing.register
def _(event: events.DecisionAdopted) -> Outgoing:
    return Outgoing(
        items.DecisionAdopted(
            decision_id=event.decision_id,
            item_id=event.item_id,
            body=event.body,
            entity=event.entity,
            kind=event.kind,
            title=event.title,
            motivation=event.motivation,
            legal_basis=event.legal_basis,
            confidentiality=event.confidentiality,
            votes=event.votes,
            adopted_at=event.adopted_at,
            effective_date=event.effective_date,
            financial_impact=event.financial_impact,
            follow_up_actions=event.follow_up_actions,
            meeting_id=event.meeting_id,
            secret_ballot=event.secret_ballot,
            appointment=event.appointment,
            delegation=event.delegation,
            budget_change_id=event.budget_change_id,
            consultation_id=event.consultation_id,
            overrules_item_id=event.overrules_item_id,
            elected=event.elected,
            signed_by=event.signed_by,
            reportable=event.reportable,
            discipline=event.discipline,
            organogram_version=event.organogram_version,
            designation=event.designation,
            district=event.district,
            decision_type=event.decision_type,
            relations=event.relations,
            legality_advice=event.legality_advice,
        ),
        subject_id=str(event.decision_id),
        entity=Entity.of(event.entity),
        confidentiality=event.confidentiality,
    )


@outgoing.register
def _(event: events.DecisionRejected) -> Outgoing:
    return Outgoing(
        items.DecisionRejected(
            decision_id=event.decision_id,
            item_id=event.item_id,
            body=event.body,
            entity=event.entity,
            title=event.title,
            confidentiality=event.confidentiality,
            votes=event.votes,
            rejected_at=event.rejected_at,
        ),
        subject_id=str(event.decision_id),
        entity=Entity.of(event.entity),
        confidentiality=event.confidentiality,
    )


@outgoing.register
def _(event: events.MeetingScheduled) -> Outgoing:
    return Outgoing(
        sessions.MeetingScheduled(
            meeting_id=event.meeting_id,
            body=event.body,
            entity=event.entity,
            scheduled_at=event.scheduled_at,
            location=event.location,
            joint_group_id=event.joint_group_id,
        ),
        subject_id=str(event.meeting_id),
        entity=Entity.of(event.entity),
    )


@outgoing.register
def _(event: events.AgendaPublished) -> Outgoing:
    return Outgoing(
        sessions.AgendaPublished(
            meeting_id=event.meeting_id,
            body=event.body,
            entity=event.entity,
            scheduled_at=event.scheduled_at,
            version=event.version,
            items=tuple(
                sessions.AgendaLine(
                    position=line.position,
                    item_id=line.item_id,
                    title=line.title,
                    kind=line.kind,
                    public=line.public,
                    origin=line.origin,
                    legality_advice=line.legality_advice,
                )
                for line in event.items
            ),
            urgent=event.urgent,
            second_convocation=event.second_convocation,
        ),
        subject_id=str(event.meeting_id),
        entity=Entity.of(event.entity),
        # The BCSD and the management team meet behind closed doors: their agendas are not public.
        confidentiality=_AGENDA_CONFIDENTIALITY.get(event.body, Confidentiality.PUBLIC),
    )


@outgoing.register
def _(event: events.MeetingClosed) -> Outgoing:
    return Outgoing(
        sessions.MeetingClosed(
            meeting_id=event.meeting_id,
            body=event.body,
            entity=event.entity,
            adopted=event.adopted,
            rejected=event.rejected,
            postponed=event.postponed,
        ),
        subject_id=str(event.meeting_id),
        entity=Entity.of(event.entity),
    )


@outgoing.register
def _(event: events.MinutesApproved) -> Outgoing:
    return Outgoing(
        sessions.MinutesApproved(
            meeting_id=event.meeting_id,
            approved_in=event.approved_in,
            body=event.body,
            entity=event.entity,
            comments=event.comments,
        ),
        subject_id=str(event.meeting_id),
        entity=Entity.of(event.entity),
    )


@outgoing.register
def _(event: events.MinutesSigned) -> Outgoing:
    return Outgoing(
        sessions.MinutesSigned(
            meeting_id=event.meeting_id, body=event.body, entity=event.entity, acting_director=event.acting_director
        ),
        subject_id=str(event.meeting_id),
        entity=Entity.of(event.entity),
    )


def _owed(kind: str) -> Literal["decision_list", "minutes"]:
    return "minutes" if kind == "minutes" else "decision_list"


_OWED_NAMES = {"decision_list": "de besluitenlijst", "minutes": "de notulen"}


@outgoing.register
def _(event: events.PublicationTermNearing) -> Outgoing:
    return Outgoing(
        sessions.PublicationTermNearing(
            meeting_id=event.meeting_id,
            body=event.body,
            entity=event.entity,
            document_kind=_owed(event.document_kind),
            due_on=event.due_on,
            action=FollowUpAction(
                action_id=f"publish-{event.document_kind}",
                kind=FollowUpKind.PUBLISH,
                description=(
                    f"Publiceer {_OWED_NAMES.get(event.document_kind, event.document_kind)} van de zitting van"
                    f" {event.body.value} uiterlijk op {event.due_on.isoformat()} (publicatietermijn, DLB art. 287)"
                ),
                due_date=event.due_on,
            ),
        ),
        subject_id=str(event.meeting_id),
        entity=Entity.of(event.entity),
    )


@outgoing.register
def _(event: events.PublicationTermMissed) -> Outgoing:
    return Outgoing(
        sessions.PublicationTermMissed(
            meeting_id=event.meeting_id,
            body=event.body,
            entity=event.entity,
            document_kind=_owed(event.document_kind),
            due_on=event.due_on,
            missed_on=event.missed_on,
        ),
        subject_id=str(event.meeting_id),
        entity=Entity.of(event.entity),
    )


@outgoing.register
def _(event: events.MinutesSignatureRevoked) -> Outgoing:
    return Outgoing(
        sessions.MinutesSignatureRevoked(
            meeting_id=event.meeting_id,
            body=event.body,
            entity=event.entity,
            person_id=event.person_id,
            role="chair" if event.role == "chair" else "algemeen_directeur",
            reason=event.reason,
            revoked_at=event.revoked_at,
        ),
        subject_id=str(event.meeting_id),
        entity=Entity.of(event.entity),
    )


@outgoing.register
def _(event: events.DocumentPublished) -> Outgoing:
    return Outgoing(
        sessions.DocumentPublished(
            document_id=event.document_id,
            kind=event.kind,
            meeting_id=event.meeting_id,
            decision_id=event.decision_id,
            body=event.body,
            entity=event.entity,
            title=event.title,
            content=dict(event.content),
            content_hash=event.content_hash,
            register_hash=event.register_hash,
            published_at=event.published_at,
            due_on=event.due_on,
            on_time=event.on_time,
            reportable=event.reportable,
            district=event.district,
        ),
        subject_id=str(event.document_id),
        entity=Entity.of(event.entity),
        confidentiality=Confidentiality.PUBLIC,
    )
