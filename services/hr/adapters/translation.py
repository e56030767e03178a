"""The one place where hr meets the message contracts.

Incoming commands become hr's own commands; an adopted decision becomes the own command of its
kind (or nothing, when it asks nothing of hr); hr's domain events become the contracts it
publishes, with the envelope attributes they travel with.
"""

from __future__ import annotations

import functools

from services.hr.domain import commands as own
from services.hr.domain import events
from shared.contracts import hr as published
from shared.contracts.meetings import DecisionAdopted
from shared.kernel import DomainEvent
from shared.messaging.context import acting_person
from shared.messaging.envelope import Envelope
from shared.messaging.outgoing import Outgoing
from shared.vocabulary import DecisionKind, Entity

__all__ = [
    "advance_disciplinary_case",
    "conclude_consultation",
    "conclude_evaluation",
    "decision_effect",
    "grant_delegation",
    "impose_sanction",
    "open_consultation",
    "open_disciplinary_case",
    "open_evaluation",
    "outgoing",
    "record_hearing",
    "revoke_delegation",
]


# -- incoming commands ----------------------------------------------------------------------------


def grant_delegation(c: published.GrantDelegation) -> own.GrantDelegation:
    """A delegation asked for by command: the proven actor grants it (a body delegates only in session)."""
    return own.GrantDelegation(
        from_body=c.from_body,
        from_person_id=None if c.from_body is not None else acting_person(),
        to=c.to_person_id,
        power=c.power,
        entity=c.entity,
        valid_from=c.valid_from,
        valid_until=c.valid_until,
        budget_scope=c.budget_scope,
        scope=dict(c.scope),
        parent_delegation_id=c.parent_delegation_id,
        decision_id=c.decision_id,
    )


def revoke_delegation(c: published.RevokeDelegation) -> own.RevokeDelegation:
    """A revocation, now unless the command says when."""
    return own.RevokeDelegation(
        delegation_id=c.delegation_id, reason=c.reason, by=acting_person(), revoked_at=c.revoked_at
    )


def open_consultation(c: published.OpenConsultation) -> own.OpenConsultation:
    """A new BOC file."""
    return own.OpenConsultation(
        topic=c.topic,
        entity=c.entity,
        invitation_sent_on=c.invitation_sent_on,
        meeting_on=c.meeting_on,
        by=acting_person(),
    )


def conclude_consultation(c: published.ConcludeConsultation) -> own.ConcludeConsultation:
    """The protocol of a BOC meeting."""
    return own.ConcludeConsultation(
        consultation_id=c.consultation_id,
        protocol_reference=c.protocol_reference,
        concluded_on=c.concluded_on,
        by=acting_person(),
    )


def open_evaluation(c: published.OpenEvaluation) -> own.OpenEvaluation:
    """A new evaluation."""
    return own.OpenEvaluation(
        person_id=c.person_id,
        entity=c.entity,
        evaluator_person_id=c.evaluator_person_id,
        period=c.period,
        by=acting_person(),
    )


def conclude_evaluation(c: published.ConcludeEvaluation) -> own.ConcludeEvaluation:
    """The result of an evaluation."""
    return own.ConcludeEvaluation(evaluation_id=c.evaluation_id, result=c.result, by=acting_person(), note=c.note)


def open_disciplinary_case(c: published.OpenDisciplinaryCase) -> own.OpenDisciplinaryCase:
    """A new disciplinary case."""
    return own.OpenDisciplinaryCase(person_id=c.person_id, entity=c.entity, facts=c.facts, opened_by=acting_person())


def advance_disciplinary_case(c: published.AdvanceDisciplinaryCase) -> own.AdvanceDisciplinaryCase:
    """The next step of a disciplinary case."""
    return own.AdvanceDisciplinaryCase(
        case_id=c.case_id, to_state=c.to_state, by=acting_person(), sanction=c.sanction, note=c.note
    )


def record_hearing(c: published.RecordHearing) -> own.RecordHearing:
    """The hearing of the staff member, with their defence."""
    return own.RecordHearing(case_id=c.case_id, heard_on=c.heard_on, defence=c.defence, by=acting_person())


def impose_sanction(c: published.ImposeSanction) -> own.ImposeSanction:
    """The algemeen directeur's disciplinary decision."""
    return own.ImposeSanction(
        case_id=c.case_id,
        sanction=c.sanction,
        reasons=c.reasons,
        decided_by=acting_person(),
        takes_effect_on=c.takes_effect_on,
    )


# -- consumed events ------------------------------------------------------------------------------


def decision_effect(event: DecisionAdopted, _envelope: Envelope) -> own.DecisionEffect | None:
    """What an adopted decision asks of hr, by its kind; None for kinds hr has nothing to do with.

    The decision's own confidentiality travels along (not the envelope's): hr's events about it are
    never more public than the decision.
    """
    decision = own.AdoptedDecision(
        decision_id=event.decision_id,
        kind=event.kind,
        body=event.body,
        entity=event.entity,
        title=event.title,
        confidentiality=event.confidentiality,
        secret_ballot=event.secret_ballot,
        adopted_at=event.adopted_at,
        motivation=event.motivation,
    )
    match event.kind:
        case DecisionKind.APPOINTMENT | DecisionKind.DISMISSAL:
            return own.AppointOrDismiss(decision, event.appointment)
        case DecisionKind.DISCIPLINE:
            return own.DisciplineByDecision(decision, event.appointment, event.discipline)
        case DecisionKind.DELEGATION:
            return own.DelegateByDecision(decision, event.delegation)
        case DecisionKind.STAFF_RULES:
            return own.AdoptStaffRules(decision, event.consultation_id)
        case _:
            return None


# -- published events -----------------------------------------------------------------------------


@functools.singledispatch
def outgoing(event: DomainEvent) -> Outgoing:
    """The contract a domain event is published as."""
    raise TypeError(f"hr publishes no {type(event).__name__}")


@outgoing.register
def _(event: events.DelegationGranted) -> Outgoing:
    d = event.delegation
    return Outgoing(
        published.DelegationGranted(
            delegation_id=d.delegation_id,
            from_body=d.from_body,
            from_person_id=d.from_person_id,
            to_person_id=d.to_person_id,
            power=d.power,
            entity=d.entity,
            budget_scope=d.budget_scope,
            valid_from=d.valid_from,
            valid_until=d.valid_until,
            decision_id=d.decision_id,
            parent_delegation_id=d.parent_delegation_id,
            to_body=d.to_body,
            scope=dict(d.scope),
        ),
        subject_id=str(d.delegation_id),
        entity=Entity.of(d.entity),
    )


@outgoing.register
def _(event: events.DelegationRevoked) -> Outgoing:
    return Outgoing(
        published.DelegationRevoked(
            delegation_id=event.delegation_id,
            to_person_id=event.to_person_id,
            power=event.power,
            revoked_at=event.revoked_at,
            reason=event.reason,
        ),
        subject_id=str(event.delegation_id),
        entity=Entity.of(event.entity),
    )


@outgoing.register
def _(event: events.StaffAppointed) -> Outgoing:
    e = event.employment
    return Outgoing(
        published.StaffAppointed(
            employment_id=e.employment_id,
            person_id=e.person_id,
            person_name=e.person_name,
            entity=e.entity,
            position=e.position,
            unit_code=e.unit_code,
            grade=e.grade,
            statutory=e.statutory,
            start_date=e.start_date,
            decision_id=event.decision_id,
        ),
        subject_id=e.person_id,
        entity=Entity.of(e.entity),
        confidentiality=event.confidentiality,
    )


@outgoing.register
def _(event: events.StaffDismissed) -> Outgoing:
    return Outgoing(
        published.StaffDismissed(
            employment_id=event.employment_id,
            person_id=event.person_id,
            entity=event.entity,
            end_date=event.end_date,
            decision_id=event.decision_id,
            remains_employed=event.remains_employed,
            in_service_until=event.in_service_until,
            cause=event.cause,
        ),
        subject_id=event.person_id,
        entity=Entity.of(event.entity),
        confidentiality=event.confidentiality,
    )


@outgoing.register
def _(event: events.AppointmentRefused) -> Outgoing:
    d = event.decision
    return Outgoing(
        published.AppointmentRefused(
            decision_id=d.decision_id,
            kind=d.kind.value,
            body=d.body,
            entity=d.entity,
            person_id=event.person_id,
            position=event.position,
            reason=event.refusal.code,
            message=event.refusal.message,
        ),
        subject_id=str(d.decision_id),
        entity=Entity.of(d.entity),
        confidentiality=event.confidentiality,
    )


@outgoing.register
def _(event: events.DisciplineImposed) -> Outgoing:
    return Outgoing(
        published.DisciplineImposed(
            case_id=event.case_id,
            decision_id=event.decision_id,
            person_id=event.person_id,
            entity=event.entity,
            employment_id=event.employment_id,
            sanction=event.sanction,
            authority=event.authority,
            decided_on=event.decided_on,
            takes_effect_on=event.takes_effect_on,
            ends_employment=event.ends_employment,
        ),
        subject_id=str(event.case_id),
        entity=Entity.of(event.entity),
        confidentiality=event.confidentiality,
    )


@outgoing.register
def _(event: events.DisciplineRefused) -> Outgoing:
    d = event.decision
    return Outgoing(
        published.DisciplineRefused(
            decision_id=d.decision_id,
            body=d.body,
            entity=d.entity,
            case_id=event.case_id,
            person_id=event.person_id,
            reason=event.refusal.code,
            message=event.refusal.message,
        ),
        subject_id=str(d.decision_id),
        entity=Entity.of(d.entity),
        confidentiality=event.confidentiality,
    )


@outgoing.register
def _(event: events.DecisionFlagged) -> Outgoing:
    d = event.decision
    return Outgoing(
        published.DecisionFlagged(
            decision_id=d.decision_id,
            kind=d.kind.value,
            body=d.body,
            entity=d.entity,
            reason=event.refusal.code,
            message=event.refusal.message,
        ),
        subject_id=str(d.decision_id),
        entity=Entity.of(d.entity),
        confidentiality=d.confidentiality,
    )


@outgoing.register
def _(event: events.ConsultationOpened) -> Outgoing:
    f = event.file
    return Outgoing(
        published.ConsultationOpened(
            consultation_id=f.consultation_id,
            subject=f.topic,
            entity=f.entity,
            invitation_sent_on=f.invitation_sent_on,
            meeting_on=f.meeting_on,
        ),
        subject_id=str(f.consultation_id),
        entity=Entity.of(f.entity),
    )


@outgoing.register
def _(event: events.ConsultationConcluded) -> Outgoing:
    return Outgoing(
        published.ConsultationConcluded(
            consultation_id=event.consultation_id,
            entity=event.entity,
            protocol_reference=event.protocol_reference,
            concluded_on=event.concluded_on,
        ),
        subject_id=str(event.consultation_id),
        entity=Entity.of(event.entity),
    )
