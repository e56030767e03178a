"""One handler per command and event; the messaging wrapper owns commit, inbox and acknowledgement."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from decimal import Decimal, InvalidOperation

from pydantic import ValidationError

from services.hr.domain.delegations import (
    Delegate,
    Delegation,
    DelegationPolicy,
    DelegationRuleError,
    Grant,
    check_delegation,
    check_grant,
    grade_rank,
)
from services.hr.domain.model import EffectStatus, HrEffect, StaffMember, Statute
from services.hr.domain.personnel import (
    AppointmentPolicy,
    ConsultationPolicy,
    DisciplinePolicy,
    Employment,
    Evaluation,
    PersonnelRuleError,
    advance_case,
    appointment_refusal,
    conclude_consultation,
    conclude_evaluation,
    employment_from,
    open_case,
    open_consultation,
)
from services.hr.service_layer.ports import HrUnitOfWork
from shared.contracts.base import Confidentiality, Entity, LegalEntity
from shared.contracts.common import CommandReply, CommandStatus
from shared.contracts.hr import (
    AdvanceDisciplinaryCase,
    AppointmentRefused,
    BudgetHolderScope,
    CheckDelegation,
    ConcludeConsultation,
    ConcludeEvaluation,
    ConsultationConcluded,
    ConsultationOpened,
    DecisionFlagged,
    DelegationGranted,
    DelegationPower,
    DelegationRevoked,
    GrantDelegation,
    ListStaff,
    OpenConsultation,
    OpenDisciplinaryCase,
    OpenEvaluation,
    RevokeDelegation,
    StaffAppointed,
    StaffDismissed,
)
from shared.contracts.meetings import DecisionAdopted, DecisionKind
from shared.logging import get_logger
from shared.messaging.envelope import Envelope
from shared.messaging.errors import CommandRejected

__all__ = [
    "advance_disciplinary_case",
    "apply_grant",
    "check_delegation_query",
    "conclude_consultation_cmd",
    "conclude_evaluation_cmd",
    "grant_delegation",
    "list_staff",
    "open_consultation_cmd",
    "open_disciplinary_case",
    "open_evaluation",
    "record_decision_effects",
    "revoke_delegation",
]

log = get_logger(__name__)

DELEGATION_POLICY = DelegationPolicy()
APPOINTMENT_POLICY = AppointmentPolicy()
CONSULTATION_POLICY = ConsultationPolicy()
DISCIPLINE_POLICY = DisciplinePolicy()
_BUDGET_KEYS = ("entity", "policy_field", "economic_account", "action", "max_amount")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _accepted(
    command_id: str, ids: dict[str, str] | None = None, data: dict[str, object] | None = None
) -> CommandReply:
    return CommandReply(command_id=command_id, status=CommandStatus.ACCEPTED, ids=ids or {}, data=data or {})


def _personal(confidentiality: Confidentiality) -> Confidentiality:
    """Events about a person are never public: closed, or social for BCSD matters."""
    return Confidentiality.SOCIAL if confidentiality is Confidentiality.SOCIAL else Confidentiality.CLOSED


# ---------------------------------------------------------------------------------------------
# Adopted decisions


async def record_decision_effects(uow: HrUnitOfWork, event: DecisionAdopted, _envelope: Envelope) -> None:
    """Apply appointments, dismissals and delegations; check staff rules against the union consultation.

    Each decision is handled once (one effect row per decision records what came of it).
    """
    handlers = {
        DecisionKind.APPOINTMENT: _appointment,
        DecisionKind.DISMISSAL: _appointment,
        DecisionKind.DELEGATION: _delegation_decision,
        DecisionKind.STAFF_RULES: _staff_rules,
    }
    handler = handlers.get(event.kind)
    if handler is None:
        return
    if await uow.effects.exists(event.decision_id):
        log.info("decision already has an HR effect", decision_id=str(event.decision_id))
        return
    status, reason, detail = await handler(uow, event)
    await uow.effects.add(
        HrEffect(
            effect_id=uuid.uuid4(),
            decision_id=event.decision_id,
            kind=event.kind,
            entity=event.entity,
            title=event.title,
            recorded_at=_now(),
            status=status,
            reason=reason,
            detail=detail,
        )
    )


Outcome = tuple[EffectStatus, str | None, str]


async def _appointment(uow: HrUnitOfWork, event: DecisionAdopted) -> Outcome:
    details = event.appointment
    employments = await uow.employments.of_person(details.person_id) if details else []
    refusal = appointment_refusal(event, employments, APPOINTMENT_POLICY)
    confidentiality = _personal(event.confidentiality)
    if refusal is not None:
        reason, message = refusal
        uow.emit(
            AppointmentRefused(
                decision_id=event.decision_id,
                kind=event.kind.value,
                body=event.body,
                entity=event.entity,
                person_id=details.person_id if details else None,
                position=details.position if details else None,
                reason=reason,
                message=message,
            ),
            subject_id=str(event.decision_id),
            entity=Entity(event.entity.value),
            confidentiality=confidentiality,
        )
        log.warning("appointment not applied", decision_id=str(event.decision_id), reason=reason)
        return EffectStatus.REFUSED, reason, message
    assert details is not None
    entity = Entity(details.entity.value)
    if event.kind is DecisionKind.APPOINTMENT:
        employment = employment_from(details, event.decision_id, uuid.uuid4())
        await uow.employments.add(employment)
        await uow.staff.save(
            StaffMember(
                person_id=details.person_id,
                name=details.person_name,
                grade=details.grade,
                entity=details.entity,
                statute=Statute.STATUTORY if details.statutory else Statute.CONTRACTUAL,
                role=details.position,
            )
        )
        uow.emit(
            StaffAppointed(
                employment_id=employment.employment_id,
                person_id=details.person_id,
                person_name=details.person_name,
                entity=details.entity,
                position=details.position,
                unit_code=details.unit_code,
                grade=details.grade,
                statutory=details.statutory,
                start_date=details.start_date,
                decision_id=event.decision_id,
            ),
            subject_id=details.person_id,
            entity=entity,
            confidentiality=confidentiality,
        )
        return EffectStatus.APPLIED, None, f"employment {employment.employment_id}"
    running = [e for e in employments if e.entity is details.entity and e.runs_on(details.start_date)]
    ended = sorted(running, key=lambda e: (e.position != details.position, e.start_date))[0]
    await uow.employments.save(dataclasses.replace(ended, end_date=details.start_date), event.decision_id)
    uow.emit(
        StaffDismissed(
            employment_id=ended.employment_id,
            person_id=details.person_id,
            entity=details.entity,
            end_date=details.start_date,
            decision_id=event.decision_id,
        ),
        subject_id=details.person_id,
        entity=entity,
        confidentiality=confidentiality,
    )
    return EffectStatus.APPLIED, None, f"employment {ended.employment_id} ends {details.start_date}"


def _flag(uow: HrUnitOfWork, event: DecisionAdopted, reason: str, message: str) -> Outcome:
    uow.emit(
        DecisionFlagged(
            decision_id=event.decision_id,
            kind=event.kind.value,
            body=event.body,
            entity=event.entity,
            reason=reason,
            message=message,
        ),
        subject_id=str(event.decision_id),
        entity=Entity(event.entity.value),
        confidentiality=event.confidentiality,
    )
    log.warning("decision flagged", decision_id=str(event.decision_id), reason=reason)
    return EffectStatus.FLAGGED, reason, message


def _split_scope(
    power: DelegationPower, scope: dict[str, str], entity: LegalEntity
) -> tuple[BudgetHolderScope | None, dict[str, str]]:
    """Budget keys of a decision's scope become the budget holder scope; the rest stays as scope."""
    rest = {k: v for k, v in scope.items() if k not in _BUDGET_KEYS}
    if power is not DelegationPower.BUDGET_HOLDER:
        return None, rest
    budget: dict[str, object] = {k: scope[k] for k in _BUDGET_KEYS if k in scope}
    budget.setdefault("entity", entity.value)
    if "max_amount" in budget:
        budget["max_amount"] = Decimal(str(budget["max_amount"]))
    return BudgetHolderScope.model_validate(budget), rest


async def _delegation_decision(uow: HrUnitOfWork, event: DecisionAdopted) -> Outcome:
    details = event.delegation
    if details is None:
        return _flag(uow, event, "missing_details", "the decision does not describe the delegation")
    try:
        power = DelegationPower(details.power)
        budget_scope, scope = _split_scope(power, dict(details.scope), event.entity)
    except (ValueError, ValidationError, InvalidOperation) as exc:
        return _flag(uow, event, "invalid_delegation", f"{type(exc).__name__}: {exc}"[:500])
    grant = Grant(
        from_body=event.body,
        from_person_id=None,
        to=details.delegate_person_id,
        power=power,
        entity=event.entity,
        valid_from=details.valid_from,
        valid_until=details.valid_until,
        budget_scope=budget_scope,
        scope=scope,
        decision_id=event.decision_id,
    )
    try:
        delegation = await apply_grant(uow, grant)
    except DelegationRuleError as exc:
        return _flag(uow, event, exc.code, exc.message)
    return EffectStatus.APPLIED, None, f"delegation {delegation.delegation_id}"


async def _staff_rules(uow: HrUnitOfWork, event: DecisionAdopted) -> Outcome:
    if event.consultation_id is None:
        return _flag(uow, event, "consultation_missing", "staff rules change without a union consultation (BOC)")
    file = await uow.consultations.get(event.consultation_id)
    if file is None:
        return _flag(uow, event, "unknown_consultation", f"no consultation {event.consultation_id}")
    if not file.concluded:
        return _flag(
            uow, event, "consultation_not_concluded", f"consultation {file.consultation_id} has no protocol yet"
        )
    return EffectStatus.APPLIED, None, f"protocol {file.protocol_reference}"


# ---------------------------------------------------------------------------------------------
# Delegations


async def _delegate(uow: HrUnitOfWork, person_id: str, on: dt.date) -> Delegate | None:
    member = await uow.staff.get(person_id)
    if member is None:
        return None
    running = [e for e in await uow.employments.of_person(person_id) if e.runs_on(on)]
    positions = {e.position.replace(" ", "_") for e in running} | {member.role.replace(" ", "_")}
    grades = sorted((e.grade for e in running), key=_grade_key) or [member.grade]
    return Delegate(
        person_id=person_id,
        grade=grades[-1],
        in_service=bool(running),
        algemeen_directeur="algemeen_directeur" in positions and bool(running),
    )


def _grade_key(grade: str) -> tuple[int, int, str]:
    try:
        return grade_rank(grade)
    except ValueError:
        return (-1, 0, "")


def _granted_event(d: Delegation) -> DelegationGranted:
    return DelegationGranted(
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
    )


async def apply_grant(uow: HrUnitOfWork, grant: Grant, new_id: uuid.UUID | None = None) -> Delegation:
    """Check a requested delegation against the rules, store it and announce it."""
    people = {p: await _delegate(uow, p, grant.valid_from) for p in {grant.to, grant.from_person_id} if p}
    parent = await uow.delegations.get(grant.parent_delegation_id) if grant.parent_delegation_id else None
    if grant.parent_delegation_id is not None and parent is None:
        raise DelegationRuleError("parent_delegation_invalid", f"no delegation {grant.parent_delegation_id}")
    delegation = check_grant(
        grant,
        delegates={k: v for k, v in people.items() if v is not None},
        parent=parent,
        policy=DELEGATION_POLICY,
        new_id=new_id or uuid.uuid4(),
        now=_now(),
    )
    await uow.delegations.add(delegation)
    uow.emit(
        _granted_event(delegation), subject_id=str(delegation.delegation_id), entity=Entity(delegation.entity.value)
    )
    return delegation


async def grant_delegation(uow: HrUnitOfWork, cmd: GrantDelegation, _envelope: Envelope) -> CommandReply:
    """Delegate a power, if the law allows that grantor, delegate, power and scope."""
    grant = Grant(
        from_body=cmd.from_body,
        from_person_id=cmd.from_person_id,
        to=cmd.to_person_id,
        power=cmd.power,
        entity=cmd.entity,
        valid_from=cmd.valid_from,
        valid_until=cmd.valid_until,
        budget_scope=cmd.budget_scope,
        scope=dict(cmd.scope),
        parent_delegation_id=cmd.parent_delegation_id,
        decision_id=cmd.decision_id,
    )
    try:
        delegation = await apply_grant(uow, grant)
    except DelegationRuleError as exc:
        raise CommandRejected(exc.code, exc.message) from exc
    return _accepted(cmd.command_id, {"delegation_id": str(delegation.delegation_id)})


async def revoke_delegation(uow: HrUnitOfWork, cmd: RevokeDelegation, _envelope: Envelope) -> CommandReply:
    """Revoke a delegation and every subdelegation resting on it."""
    if not cmd.reason.strip():
        raise CommandRejected("reason_required", "say why the delegation is revoked")
    delegation = await uow.delegations.get(cmd.delegation_id)
    if delegation is None:
        raise CommandRejected("unknown_delegation", f"no delegation {cmd.delegation_id}")
    if delegation.revoked_at is not None:
        raise CommandRejected(
            "already_revoked", f"delegation {cmd.delegation_id} was revoked on {delegation.revoked_at}"
        )
    at = cmd.revoked_at or _now()
    revoked: list[str] = []
    pending = [delegation]
    while pending:
        current = pending.pop()
        if current.revoked_at is not None:
            continue
        reason = (
            cmd.reason.strip() if current is delegation else f"rests on revoked delegation {delegation.delegation_id}"
        )
        await uow.delegations.save(dataclasses.replace(current, revoked_at=at, revoke_reason=reason))
        uow.emit(
            DelegationRevoked(
                delegation_id=current.delegation_id,
                to_person_id=current.to_person_id,
                power=current.power,
                revoked_at=at,
                reason=reason,
            ),
            subject_id=str(current.delegation_id),
            entity=Entity(current.entity.value),
        )
        revoked.append(str(current.delegation_id))
        pending += await uow.delegations.children(current.delegation_id)
    return _accepted(cmd.command_id, {"delegation_id": str(delegation.delegation_id)}, {"revoked": revoked})


async def check_delegation_query(uow: HrUnitOfWork, cmd: CheckDelegation, _envelope: Envelope) -> CommandReply:
    """A valid delegation for this use (`data.delegation_id`), or `data.reason` why there is none."""
    found, reason = check_delegation(
        await uow.delegations.all(),
        person_id=cmd.person_id,
        power=cmd.power,
        entity=cmd.entity,
        on=cmd.on,
        amount=cmd.amount,
        policy_field=cmd.policy_field,
        economic_account=cmd.economic_account,
        action=cmd.action,
    )
    return _accepted(
        cmd.command_id,
        data={
            "valid": found is not None,
            "delegation_id": str(found.delegation_id) if found else None,
            "reason": reason,
        },
    )


def delegation_view(d: Delegation, on: dt.date) -> dict[str, object]:
    """A delegation as JSON for query replies."""
    return {
        "delegation_id": str(d.delegation_id),
        "from": d.from_body.value if d.from_body else d.from_person_id,
        "to": d.to_person_id,
        "power": d.power.value,
        "entity": d.entity.value,
        "valid_from": d.valid_from.isoformat(),
        "valid_until": d.valid_until.isoformat() if d.valid_until else None,
        "state": d.state_on(on),
        "budget_scope": d.budget_scope.model_dump(mode="json", exclude_none=True) if d.budget_scope else None,
        "scope": dict(d.scope),
        "parent_delegation_id": str(d.parent_delegation_id) if d.parent_delegation_id else None,
    }


def _employment_view(e: Employment) -> dict[str, object]:
    return {
        "employment_id": str(e.employment_id),
        "entity": e.entity.value,
        "position": e.position,
        "unit_code": e.unit_code,
        "grade": e.grade,
        "statutory": e.statutory,
        "start_date": e.start_date.isoformat(),
        "end_date": e.end_date.isoformat() if e.end_date else None,
        "works_for": [w.value for w in e.works_for],
    }


async def list_staff(uow: HrUnitOfWork, cmd: ListStaff, _envelope: Envelope) -> CommandReply:
    """Staff with their employments and the delegations they hold or granted."""
    on = cmd.on or _now().date()
    members = await uow.staff.all(cmd.entity)
    if cmd.person_id is not None:
        members = [m for m in members if m.person_id == cmd.person_id]
    everything = await uow.delegations.all()
    rows = [
        {
            "person_id": m.person_id,
            "name": m.name,
            "role": m.role,
            "grade": m.grade,
            "entity": m.entity.value,
            "statute": m.statute.value,
            "employments": [_employment_view(e) for e in await uow.employments.of_person(m.person_id)],
            "delegations": [delegation_view(d, on) for d in everything if d.to_person_id == m.person_id],
            "granted": [delegation_view(d, on) for d in everything if d.from_person_id == m.person_id],
        }
        for m in members
    ]
    bodies = [delegation_view(d, on) for d in everything if d.to_body is not None]
    return _accepted(cmd.command_id, data={"staff": rows, "body_delegations": bodies, "on": on.isoformat()})


# ---------------------------------------------------------------------------------------------
# Union consultation, evaluations, discipline


def _rule(exc: PersonnelRuleError) -> CommandRejected:
    return CommandRejected(exc.code, exc.message)


async def open_consultation_cmd(uow: HrUnitOfWork, cmd: OpenConsultation, _envelope: Envelope) -> CommandReply:
    """A BOC file; the invitation must leave 10 working days before the meeting."""
    try:
        file = open_consultation(
            consultation_id=uuid.uuid4(),
            topic=cmd.topic,
            entity=cmd.entity,
            invitation_sent_on=cmd.invitation_sent_on,
            meeting_on=cmd.meeting_on,
            policy=CONSULTATION_POLICY,
        )
    except PersonnelRuleError as exc:
        raise _rule(exc) from exc
    await uow.consultations.add(file)
    uow.emit(
        ConsultationOpened(
            consultation_id=file.consultation_id,
            subject=file.topic,
            entity=file.entity,
            invitation_sent_on=file.invitation_sent_on,
            meeting_on=file.meeting_on,
        ),
        subject_id=str(file.consultation_id),
        entity=Entity(file.entity.value),
    )
    return _accepted(cmd.command_id, {"consultation_id": str(file.consultation_id)})


async def conclude_consultation_cmd(uow: HrUnitOfWork, cmd: ConcludeConsultation, _envelope: Envelope) -> CommandReply:
    """Record the protocol; the staff-rules decision can then be tabled."""
    file = await uow.consultations.get(cmd.consultation_id)
    if file is None:
        raise CommandRejected("unknown_consultation", f"no consultation {cmd.consultation_id}")
    try:
        concluded = conclude_consultation(file, cmd.protocol_reference, cmd.concluded_on)
    except PersonnelRuleError as exc:
        raise _rule(exc) from exc
    await uow.consultations.save(concluded)
    uow.emit(
        ConsultationConcluded(
            consultation_id=file.consultation_id,
            entity=file.entity,
            protocol_reference=cmd.protocol_reference.strip(),
            concluded_on=cmd.concluded_on,
        ),
        subject_id=str(file.consultation_id),
        entity=Entity(file.entity.value),
    )
    return _accepted(cmd.command_id, {"consultation_id": str(file.consultation_id)})


async def _running(uow: HrUnitOfWork, person_id: str, entity: LegalEntity) -> list[Employment]:
    today = _now().date()
    return [e for e in await uow.employments.of_person(person_id) if e.entity is entity and e.runs_on(today)]


async def open_evaluation(uow: HrUnitOfWork, cmd: OpenEvaluation, _envelope: Envelope) -> CommandReply:
    """Start an evaluation (a record; personal data, no event)."""
    if cmd.evaluator_person_id == cmd.person_id:
        raise CommandRejected("self_evaluation", "nobody evaluates themselves")
    if not await _running(uow, cmd.person_id, cmd.entity):
        raise CommandRejected(
            "not_in_service", f"{cmd.person_id} has no running employment with the {cmd.entity.value}"
        )
    evaluation = Evaluation(uuid.uuid4(), cmd.person_id, cmd.entity, cmd.evaluator_person_id, cmd.period)
    await uow.evaluations.add(evaluation)
    return _accepted(cmd.command_id, {"evaluation_id": str(evaluation.evaluation_id)})


async def conclude_evaluation_cmd(uow: HrUnitOfWork, cmd: ConcludeEvaluation, _envelope: Envelope) -> CommandReply:
    """Record the result of an evaluation."""
    evaluation = await uow.evaluations.get(cmd.evaluation_id)
    if evaluation is None:
        raise CommandRejected("unknown_evaluation", f"no evaluation {cmd.evaluation_id}")
    try:
        await uow.evaluations.save(conclude_evaluation(evaluation, cmd.result, cmd.note))
    except PersonnelRuleError as exc:
        raise _rule(exc) from exc
    return _accepted(cmd.command_id, {"evaluation_id": str(evaluation.evaluation_id)})


async def open_disciplinary_case(uow: HrUnitOfWork, cmd: OpenDisciplinaryCase, _envelope: Envelope) -> CommandReply:
    """Open a case; refused for contractual staff (`discipline_statutory_only`)."""
    try:
        case = open_case(
            case_id=uuid.uuid4(),
            person_id=cmd.person_id,
            entity=cmd.entity,
            facts=cmd.facts,
            opened_by=cmd.opened_by,
            employments=await uow.employments.of_person(cmd.person_id),
            on=_now().date(),
        )
    except PersonnelRuleError as exc:
        raise _rule(exc) from exc
    await uow.cases.add(case)
    return _accepted(cmd.command_id, {"case_id": str(case.case_id)})


async def advance_disciplinary_case(
    uow: HrUnitOfWork, cmd: AdvanceDisciplinaryCase, _envelope: Envelope
) -> CommandReply:
    """Move a case on to its next procedural state."""
    case = await uow.cases.get(cmd.case_id)
    if case is None:
        raise CommandRejected("unknown_case", f"no disciplinary case {cmd.case_id}")
    try:
        updated = advance_case(case, cmd.to_state, cmd.sanction, cmd.note, DISCIPLINE_POLICY)
    except PersonnelRuleError as exc:
        raise _rule(exc) from exc
    await uow.cases.save(updated)
    return _accepted(cmd.command_id, {"case_id": str(case.case_id)}, {"state": updated.state.value})
