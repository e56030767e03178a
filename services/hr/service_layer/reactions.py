"""What hr does with adopted decisions; the messaging wrapper owns commit, inbox and acknowledgement.

Each decision that asks something of hr is recorded once as an `HrEffect` saying what came of it:
applied, refused (`hr.appointment.refused`, `hr.discipline.refused`) or flagged (`hr.decision.flagged`).
A refusal here is a fact others must learn, so it is a `Refusal` value from the domain, emitted as an
event.
"""

from __future__ import annotations

import uuid

from services.hr.domain import events
from services.hr.domain.commands import (
    AdoptedDecision,
    AdoptStaffRules,
    AppointOrDismiss,
    DecisionEffect,
    DelegateByDecision,
    DisciplineByDecision,
)
from services.hr.domain.discipline import Sanctioning
from services.hr.domain.grants import grant_from_decision
from services.hr.domain.model import EffectStatus, HrEffect, member_from
from services.hr.domain.personnel import (
    AppointmentPolicy,
    appointment_refusal,
    employment_from,
    employment_to_end,
    personal,
    service_after,
    staff_rules_basis,
)
from services.hr.service_layer.commands.delegations import DelegationCommands
from services.hr.service_layer.commands.discipline import DisciplineCommands
from services.hr.service_layer.ports import HrUnitOfWork
from shared.clock import Clock
from shared.kernel import Refusal
from shared.logging import get_logger
from shared.vocabulary import DecisionKind

__all__ = ["HrReactions"]

log = get_logger(__name__)

#: What came of a decision: its status, the refusal code (if any) and a detail for people.
Outcome = tuple[EffectStatus, str | None, str]


class HrReactions:
    """Appointments, dismissals, discipline, a body's delegations and staff rules, from adopted decisions."""

    def __init__(
        self,
        policy: AppointmentPolicy,
        clock: Clock,
        delegations: DelegationCommands,
        discipline: DisciplineCommands,
    ) -> None:
        self._policy = policy
        self._clock = clock
        self._delegations = delegations
        self._discipline = discipline

    async def record_decision(self, uow: HrUnitOfWork, cmd: DecisionEffect) -> None:
        """Apply appointments, dismissals, sanctions and delegations; check staff rules against the BOC.

        Each decision is handled once (one effect row per decision records what came of it).
        """
        decision = cmd.decision
        if await uow.effects.exists(decision.decision_id):
            log.info("decision already has an HR effect", decision_id=str(decision.decision_id))
            return
        match cmd:
            case AppointOrDismiss():
                status, reason, detail = await self.appoint_or_dismiss(uow, cmd)
            case DelegateByDecision():
                status, reason, detail = await self.delegate(uow, cmd)
            case DisciplineByDecision():
                status, reason, detail = await self.discipline(uow, cmd)
            case AdoptStaffRules():
                status, reason, detail = await self.adopt_staff_rules(uow, cmd)
            case _:
                raise TypeError(f"hr has no reaction to {type(cmd).__name__}")
        await uow.effects.add(
            HrEffect(
                effect_id=uuid.uuid4(),
                decision_id=decision.decision_id,
                kind=decision.kind,
                entity=decision.entity,
                title=decision.title,
                recorded_at=self._clock(),
                status=status,
                reason=reason,
                detail=detail,
            )
        )

    async def appoint_or_dismiss(self, uow: HrUnitOfWork, cmd: AppointOrDismiss) -> Outcome:
        """Record the employment, or end it; refused when the body was not competent (and the like)."""
        decision, details = cmd.decision, cmd.details
        employments = await uow.employments.of_person(details.person_id) if details else []
        refusal = appointment_refusal(cmd, employments, self._policy)
        confidentiality = personal(decision.confidentiality)
        if refusal is not None:
            uow.emit(
                events.AppointmentRefused(
                    decision=decision,
                    person_id=details.person_id if details else None,
                    position=details.position if details else None,
                    refusal=refusal,
                    confidentiality=confidentiality,
                )
            )
            log.warning("appointment not applied", decision_id=str(decision.decision_id), reason=refusal.code)
            return EffectStatus.REFUSED, refusal.code, refusal.message
        assert details is not None, "appointment_refusal refuses a decision without details"
        if decision.kind is DecisionKind.APPOINTMENT:
            employment = employment_from(details, decision.decision_id, uuid.uuid4())
            await uow.employments.add(employment)
            await uow.staff.save(member_from(details))
            uow.emit(events.StaffAppointed(employment, decision.decision_id, confidentiality))
            return EffectStatus.APPLIED, None, f"employment {employment.employment_id}"
        ended = employment_to_end(details, employments)
        await uow.employments.save(ended, decision.decision_id)
        remains, until = service_after(ended if e.employment_id == ended.employment_id else e for e in employments)
        uow.emit(
            events.StaffDismissed(
                employment_id=ended.employment_id,
                person_id=details.person_id,
                entity=details.entity,
                end_date=details.start_date,
                decision_id=decision.decision_id,
                confidentiality=confidentiality,
                remains_employed=remains,
                in_service_until=until,
            )
        )
        return EffectStatus.APPLIED, None, f"employment {ended.employment_id} ends {details.start_date}"

    async def discipline(self, uow: HrUnitOfWork, cmd: DisciplineByDecision) -> Outcome:
        """Impose the sanction a body decided in session; refused (and announced) when the rules say no."""
        decision, details, discipline = cmd.decision, cmd.details, cmd.discipline
        confidentiality = personal(decision.confidentiality)
        if details is None or discipline is None:
            missing = Refusal("missing_details", "the decision does not name the person, the case and the sanction")
            return self._refuse_sanction(uow, cmd, missing)
        sanctioning = Sanctioning(
            case_id=discipline.case_id,
            sanction=discipline.sanction,
            reasons=decision.motivation,
            authority=decision.body.value,
            decided_on=decision.adopted_at.date(),
            takes_effect_on=details.start_date,
            decision_id=decision.decision_id,
            person_id=details.person_id,
            entity=details.entity,
            secret_ballot=decision.secret_ballot,
        )
        refusal = await self._discipline.refusal(uow, sanctioning)
        if refusal is not None:
            return self._refuse_sanction(uow, cmd, refusal)
        case = await self._discipline.apply(uow, sanctioning, confidentiality)
        return EffectStatus.APPLIED, None, f"case {case.case_id}: {case.sanction}"

    @staticmethod
    def _refuse_sanction(uow: HrUnitOfWork, cmd: DisciplineByDecision, refusal: Refusal) -> Outcome:
        uow.emit(
            events.DisciplineRefused(
                decision=cmd.decision,
                case_id=cmd.discipline.case_id if cmd.discipline else None,
                person_id=cmd.details.person_id if cmd.details else None,
                refusal=refusal,
                confidentiality=personal(cmd.decision.confidentiality),
            )
        )
        log.warning("sanction not applied", decision_id=str(cmd.decision.decision_id), reason=refusal.code)
        return EffectStatus.REFUSED, refusal.code, refusal.message

    async def delegate(self, uow: HrUnitOfWork, cmd: DelegateByDecision) -> Outcome:
        """Grant the delegation a body decided, under the rules of a grant; flagged when they refuse it."""
        grant = grant_from_decision(cmd)
        if isinstance(grant, Refusal):
            return self._flag(uow, cmd.decision, grant)
        refusal = await self._delegations.refusal(uow, grant)
        if refusal is not None:
            return self._flag(uow, cmd.decision, refusal)
        granted = await self._delegations.grant_decided(uow, grant)
        return EffectStatus.APPLIED, None, f"delegation {granted.ids['delegation_id']}"

    async def adopt_staff_rules(self, uow: HrUnitOfWork, cmd: AdoptStaffRules) -> Outcome:
        """Staff rules stand on a concluded union consultation; flagged when they do not."""
        file = await uow.consultations.get(cmd.consultation_id) if cmd.consultation_id is not None else None
        basis = staff_rules_basis(cmd.consultation_id, file)
        if isinstance(basis, Refusal):
            return self._flag(uow, cmd.decision, basis)
        return EffectStatus.APPLIED, None, f"protocol {basis.protocol_reference}"

    @staticmethod
    def _flag(uow: HrUnitOfWork, decision: AdoptedDecision, refusal: Refusal) -> Outcome:
        uow.emit(events.DecisionFlagged(decision, refusal))
        log.warning("decision flagged", decision_id=str(decision.decision_id), reason=refusal.code)
        return EffectStatus.FLAGGED, refusal.code, refusal.message
