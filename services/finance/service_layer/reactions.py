"""What finance does when other services tell it something; the messaging wrapper commits.

A refusal others must learn (a credit exhausted, a budget change refused, a commitment blocked)
is asked of the domain as a `Refusal` and published as an event; nothing here catches an error.
"""

from __future__ import annotations

import uuid

from services.finance.domain import events
from services.finance.domain.budget import Budget, BudgetChange, applied_changes, unknown_budget_change
from services.finance.domain.commands import (
    ApplyBudgetChange,
    CheckBudget,
    CommitDecision,
    DecisionCommand,
    KeepBudgetHolderDelegation,
    OverruleVisum,
    RevokeBudgetHolderDelegation,
)
from services.finance.domain.control import BudgetHolderDelegation, Visum
from services.finance.domain.model import commitment_on, credit_key, key_of
from services.finance.domain.policy import FinancePolicy
from services.finance.service_layer.locks import locked_for_change, locked_for_commitment, save
from services.finance.service_layer.ports import FinanceUnitOfWork
from shared.clock import Clock
from shared.kernel import Refusal
from shared.vocabulary import Confidentiality, FinancialImpact, LegalEntity

__all__ = ["FinanceReactions"]


class FinanceReactions:
    """Budget checks of proposed items, adopted decisions, and budget-holder delegations from hr."""

    def __init__(self, policy: FinancePolicy, clock: Clock) -> None:
        self._policy = policy
        self._clock = clock

    # --- proposed items -------------------------------------------------------------------------

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
        refusal = budget.commitment_refusal(key, impact.amount)
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
            amount=impact.amount, economic_account=impact.economic_account, kind=cmd.kind.value
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
        """Commit the credit of an adopted decision, or report that it no longer fits.

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
        await self._commit(uow, cmd.decision_id, cmd.item_id, cmd.impact, cmd.confidentiality)

    async def apply_budget_change(self, uow: FinanceUnitOfWork, cmd: ApplyBudgetChange) -> None:
        """Apply the council's budget change, or publish why it cannot be applied (nothing changes)."""
        change = await uow.budget_changes.get(cmd.budget_change_id, for_update=True)
        if change is None:
            self._refuse_change(uow, cmd, cmd.entity, unknown_budget_change())
            return
        if change.decided:
            return  # applied (or refused) before: a redelivery changes nothing
        not_council = change.adoption_refusal(cmd.body, cmd.entity)
        if not_council is not None:
            await self._refused(uow, change, cmd, not_council)
            return
        budget = await locked_for_change(uow, change.lines)
        refusal = budget.budget_change_refusal(change.lines)
        if refusal is not None:
            await self._refused(uow, change, cmd, refusal)
            return
        changed = budget.apply_budget_change(change.lines)
        await save(uow, budget)
        await uow.budget_changes.update(change.applied(cmd.decision_id, self._clock()))
        uow.emit(
            events.BudgetChangeApplied(
                budget_change_id=change.budget_change_id,
                decision_id=cmd.decision_id,
                entity=change.entity,
                changes=applied_changes(changed, change.lines),
                totals=budget.changed_totals_sorted(),
            )
        )

    async def overrule_visum(self, uow: FinanceUnitOfWork, cmd: OverruleVisum) -> None:
        """Record the college's or vast bureau's overruling; commit a decision the refusal blocked.

        An overruling of an item without a visum, of a visum that is not refused, or by another
        body than the entity's executive has no effect here.
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
            await self._commit(
                uow, overruled.blocked_decision_id, overruled.item_id, overruled.blocked_impact, cmd.confidentiality
            )

    async def _commit(
        self,
        uow: FinanceUnitOfWork,
        decision_id: uuid.UUID,
        item_id: uuid.UUID,
        impact: FinancialImpact,
        confidentiality: Confidentiality,
    ) -> None:
        budget = await locked_for_commitment(uow, impact)
        if await uow.commitments.for_decision(decision_id) is not None:
            return  # already committed (a redelivery under another message id): nothing to do
        key = key_of(impact)
        exhausted = budget.commitment_refusal(key, impact.amount)
        if exhausted is not None:
            uow.emit(
                events.CreditExhausted(
                    decision_id=decision_id,
                    entity=impact.entity,
                    amount=impact.amount,
                    available=budget.available(key),
                    credit_key=credit_key(*key),
                    reason=exhausted.code,
                    confidentiality=confidentiality,
                )
            )
            return
        credit = budget.commit(key, impact.amount)
        commitment = commitment_on(
            credit,
            impact,
            commitment_id=uuid.uuid4(),
            created_at=self._clock(),
            third_party=impact.third_party,
            decision_id=decision_id,
            item_id=item_id,
        )
        await save(uow, budget)
        await uow.commitments.add(commitment)
        uow.emit(
            events.CommitmentRecorded(
                commitment_id=commitment.commitment_id,
                decision_id=decision_id,
                entity=commitment.entity,
                economic_account=commitment.economic_account,
                policy_field=commitment.policy_field,
                action=commitment.action,
                financial_year=commitment.financial_year,
                amount=commitment.amount,
                third_party=commitment.third_party,
                credit_key=credit.credit_key,
                remaining=budget.available(key),
                confidentiality=confidentiality,
            )
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
