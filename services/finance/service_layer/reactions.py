"""What finance does when other services tell it something; the messaging wrapper commits.

A refusal others must learn (a credit exhausted, a budget change refused, a commitment blocked,
an item that may not put a plan before a body) is asked of the domain as a `Refusal` and
published as an event; nothing here catches an error.
"""

from __future__ import annotations

import uuid

from services.finance.domain import events
from services.finance.domain.accounts import total_of
from services.finance.domain.budget import Budget, applied_changes
from services.finance.domain.changes import BudgetChange, ChangeKind, Step, unknown_budget_change
from services.finance.domain.commands import (
    ApplyBudgetChange,
    CheckBudget,
    CheckPlanChange,
    CommitDecision,
    DecisionCommand,
    ItemCheck,
    KeepBudgetHolderDelegation,
    OverruleVisum,
    RevokeBudgetHolderDelegation,
)
from services.finance.domain.control import BudgetHolderDelegation, Visum
from services.finance.domain.model import ZERO, credit_key, key_of
from services.finance.domain.policy import FinancePolicy
from services.finance.service_layer.planning import balance_refusal, balance_with, put_in_force
from services.finance.service_layer.ports import FinanceUnitOfWork
from services.finance.service_layer.recording import record_impact
from shared.clock import Clock
from shared.kernel import Refusal
from shared.vocabulary import LegalEntity

__all__ = ["FinanceReactions"]


class FinanceReactions:
    """Budget checks of proposed items, adopted decisions, and budget-holder delegations from hr."""

    def __init__(self, policy: FinancePolicy, clock: Clock) -> None:
        self._policy = policy
        self._clock = clock

    # --- proposed items -------------------------------------------------------------------------

    async def check_item(self, uow: FinanceUnitOfWork, cmd: ItemCheck) -> None:
        """A proposed item, as the translation read it: a budget check, or a staged plan's check."""
        match cmd:
            case CheckBudget():
                await self.check_budget(uow, cmd)
            case CheckPlanChange():
                await self.check_plan_change(uow, cmd)
            case _:
                raise TypeError(f"no check of {type(cmd).__name__}")

    async def check_budget(self, uow: FinanceUnitOfWork, cmd: CheckBudget) -> None:
        """Answer a proposed item with a financial impact: is its credit (and its total) sufficient?

        A passed check says whether the financial director's visum is required (the council's
        exemptions in the policy); a required visum is recorded as requested.
        """
        impact = cmd.impact
        key = key_of(impact)
        credit = await uow.credits.get(key)
        total = await uow.totals.get(credit.total_key) if credit is not None else None
        # Read without locks: the check advises, the commitment decides under lock.
        budget = Budget([credit] if credit else [], [total] if total else [])
        needs_credit = total_of(impact.economic_account, impact.flow) is not None
        refusal = budget.commitment_refusal(key, impact.amount) if needs_credit else None
        available = budget.available(key)
        if refusal is not None:
            uow.emit(
                events.BudgetCheckFailed(
                    item_id=cmd.item_id,
                    entity=impact.entity,
                    amount=impact.amount,
                    available=available,
                    credit_key=credit_key(*key),
                    reason=refusal.code,
                    confidentiality=cmd.confidentiality,
                )
            )
            return
        required = self._policy.visum_required(
            amount=impact.amount, economic_account=impact.economic_account, kind=cmd.kind.value, flow=impact.flow
        )
        if required:
            await uow.visums.add(
                Visum(
                    visum_id=uuid.uuid4(),
                    item_id=cmd.item_id,
                    entity=impact.entity,
                    amount=impact.amount,
                    credit_key=credit_key(*key),
                    requested_at=self._clock(),
                )
            )
        uow.emit(
            events.BudgetCheckPassed(
                item_id=cmd.item_id,
                entity=impact.entity,
                amount=impact.amount,
                available=available,
                credit_key=credit_key(*key),
                visum_required=required,
                confidentiality=cmd.confidentiality,
            )
        )

    async def check_plan_change(self, uow: FinanceUnitOfWork, cmd: CheckPlanChange) -> None:
        """An item puts a staged plan, plan change or carry-over before a body: answer it like a budget
        check, so meetings keeps an unbalanced plan (or one whose turn it is not) off every agenda."""
        change = await uow.budget_changes.get(cmd.budget_change_id)
        refusal = (
            change.decision_refusal(cmd.kind, cmd.body, cmd.entity, self._clock().date())
            if change is not None
            else unknown_budget_change()
        )
        if refusal is None and change is not None and change.needs_balance:
            refusal = balance_refusal(await balance_with(uow, self._policy, change))
        entity = change.entity if change is not None else cmd.entity
        # A carry-over's amount is what it moves; a plan or change has no single amount.
        carried = change is not None and change.kind is ChangeKind.CARRY_OVER
        moved = sum((line.change for line in change.lines if line.change > 0), ZERO) if carried and change else ZERO
        subject = f"budget_change/{cmd.budget_change_id}"
        if refusal is not None:
            uow.emit(
                events.BudgetCheckFailed(
                    item_id=cmd.item_id,
                    entity=entity,
                    amount=moved,
                    available=ZERO,
                    credit_key=subject,
                    reason=refusal.code,
                    confidentiality=cmd.confidentiality,
                )
            )
            return
        uow.emit(
            events.BudgetCheckPassed(
                item_id=cmd.item_id,
                entity=entity,
                amount=moved,
                available=moved,
                credit_key=subject,
                visum_required=False,
                confidentiality=cmd.confidentiality,
            )
        )

    # --- adopted decisions ----------------------------------------------------------------------

    async def carry_out(self, uow: FinanceUnitOfWork, cmd: DecisionCommand) -> None:
        """An adopted decision, as the translation read its kind: commit, apply a change, or overrule."""
        match cmd:
            case CommitDecision():
                await self.commit_decision(uow, cmd)
            case ApplyBudgetChange():
                await self.apply_budget_change(uow, cmd)
            case OverruleVisum():
                await self.overrule_visum(uow, cmd)
            case _:
                raise TypeError(f"no reaction to {type(cmd).__name__}")

    async def commit_decision(self, uow: FinanceUnitOfWork, cmd: CommitDecision) -> None:
        """Commit the credit of an adopted decision (or record its receipt), or report that it no longer fits.

        The total and then the credit are locked first, so concurrent commitments are serialised
        and never overspend either; the check for an earlier commitment of the same decision
        happens under those locks (and `decision_id` is UNIQUE as a last line of defence). A
        decision whose visum was refused and not overruled is not committed.
        """
        visum = await uow.visums.for_item(cmd.item_id, for_update=True)
        blocked = visum.commitment_refusal() if visum is not None else None
        if visum is not None and blocked is not None:
            await uow.visums.update(visum.blocking(cmd.decision_id, cmd.impact))
            uow.emit(
                events.CommitmentBlocked(
                    decision_id=cmd.decision_id,
                    item_id=cmd.item_id,
                    entity=cmd.impact.entity,
                    amount=cmd.impact.amount,
                    reason=blocked.code,
                    confidentiality=cmd.confidentiality,
                )
            )
            return
        await record_impact(
            uow,
            self._clock,
            decision_id=cmd.decision_id,
            item_id=cmd.item_id,
            impact=cmd.impact,
            confidentiality=cmd.confidentiality,
        )

    async def apply_budget_change(self, uow: FinanceUnitOfWork, cmd: ApplyBudgetChange) -> None:
        """Take a staged plan, plan change or carry-over a step further by its body's decision.

        The RMW's adoption of an OCMW part waits for the gemeenteraad's approval; the gemeenteraad's
        adoption (or approval), and the college's (vast bureau's) carry-over, put it in force. A plan
        out of balance, a decision of the wrong body or kind, or a change that would lower a credit
        below its commitments is refused and changes nothing.
        """
        change = await uow.budget_changes.get(cmd.budget_change_id, for_update=True)
        if change is None:
            self._refuse_change(uow, cmd, cmd.entity, unknown_budget_change())
            return
        if change.decided or (change.adopted_by == cmd.decision_id):
            return  # decided (or adopted by this decision) before: a redelivery changes nothing
        refusal = change.decision_refusal(cmd.kind, cmd.body, cmd.entity, self._clock().date())
        if refusal is None and change.needs_balance:
            refusal = balance_refusal(await balance_with(uow, self._policy, change))
        if refusal is not None:
            await self._refused(uow, change, cmd, refusal)
            return
        if change.step(cmd.kind, cmd.body, cmd.entity, self._clock().date()) is Step.ADOPT:
            await uow.budget_changes.update(change.adopted(cmd.decision_id))
            uow.emit(
                events.BudgetChangeAdopted(
                    budget_change_id=change.budget_change_id, decision_id=cmd.decision_id, entity=change.entity
                )
            )
            return
        in_force = await put_in_force(uow, change)
        if isinstance(in_force, Refusal):
            await self._refused(uow, change, cmd, in_force)
            return
        await uow.budget_changes.update(change.applied(cmd.decision_id, self._clock()))
        changes = applied_changes(in_force.credits, change.credit_lines)
        if change.kind is ChangeKind.CARRY_OVER:
            from_year = min(line.financial_year for line in change.lines)
            uow.emit(
                events.InvestmentCreditsCarriedOver(
                    entity=change.entity,
                    from_year=from_year,
                    to_year=from_year + 1,
                    changes=changes,
                    decision_id=cmd.decision_id,
                    budget_change_id=change.budget_change_id,
                )
            )
            return
        uow.emit(
            events.BudgetChangeApplied(
                budget_change_id=change.budget_change_id,
                decision_id=cmd.decision_id,
                entity=change.entity,
                changes=changes,
                totals=in_force.budget.changed_totals_sorted(),
                estimates=in_force.estimates,
                kind=change.kind.value,
            )
        )

    async def overrule_visum(self, uow: FinanceUnitOfWork, cmd: OverruleVisum) -> None:
        """Record the college's or vast bureau's overruling; commit a decision the refusal blocked.

        An overruling of an item without a visum, of a visum that is not refused, or by another
        body than the entity's executive has no effect here. A budget holder's intended commitment
        whose visum is overruled may then be recorded by the budget holder.
        """
        visum = await uow.visums.for_item(cmd.item_id, for_update=True)
        if visum is None or visum.overruling_refusal(cmd.body, cmd.entity) is not None:
            return
        overruled = visum.overrule(cmd.decision_id, cmd.body, cmd.entity, self._clock())
        overruling_id = uuid.uuid4()
        await uow.visums.update(overruled)
        await uow.visums.add_overruling(overruling_id, overruled)
        assert overruled.overruled_at is not None
        uow.emit(
            events.VisumOverruled(
                overruling_id=overruling_id,
                visum_id=overruled.visum_id,
                item_id=overruled.item_id,
                decision_id=cmd.decision_id,
                body=cmd.body,
                entity=overruled.entity,
                amount=overruled.amount,
                refusal_reasons=overruled.reasons,
                overruled_at=overruled.overruled_at,
                confidentiality=cmd.confidentiality,
            )
        )
        if overruled.blocked_decision_id is not None and overruled.blocked_impact is not None:
            await record_impact(
                uow,
                self._clock,
                decision_id=overruled.blocked_decision_id,
                item_id=overruled.item_id,
                impact=overruled.blocked_impact,
                confidentiality=cmd.confidentiality,
            )

    async def _refused(
        self, uow: FinanceUnitOfWork, change: BudgetChange, cmd: ApplyBudgetChange, refusal: Refusal
    ) -> None:
        await uow.budget_changes.update(change.refused(cmd.decision_id, refusal))
        self._refuse_change(uow, cmd, change.entity, refusal)

    @staticmethod
    def _refuse_change(uow: FinanceUnitOfWork, cmd: ApplyBudgetChange, entity: LegalEntity, refusal: Refusal) -> None:
        uow.emit(
            events.BudgetChangeRefused(
                budget_change_id=cmd.budget_change_id,
                decision_id=cmd.decision_id,
                entity=entity,
                reason=refusal.code,
                message=refusal.message,
            )
        )

    # --- budget holders -------------------------------------------------------------------------

    async def keep_delegation(self, uow: FinanceUnitOfWork, cmd: KeepBudgetHolderDelegation) -> None:
        """Keep a budget-holder delegation (a revocation that arrived first still counts)."""
        await uow.delegations.grant(
            BudgetHolderDelegation(
                delegation_id=cmd.delegation_id,
                to_person_id=cmd.to_person_id,
                entity=cmd.entity,
                valid_from=cmd.valid_from,
                valid_until=cmd.valid_until,
                policy_field=cmd.policy_field,
                economic_account=cmd.economic_account,
                action=cmd.action,
                max_amount=cmd.max_amount,
            )
        )

    async def revoke_delegation(self, uow: FinanceUnitOfWork, cmd: RevokeBudgetHolderDelegation) -> None:
        """A revoked budget-holder delegation can no longer be used from `revoked_at` on."""
        await uow.delegations.revoke(cmd.delegation_id, cmd.to_person_id, cmd.revoked_at)
