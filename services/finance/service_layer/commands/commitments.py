"""A budget holder's commitment (vastlegging under a delegation, without a decision of a body).

Above the council's visum threshold the budget holder first asks the financial director's visum
on the intended commitment (`request_visum`); the commitment names it and is refused without a
granted visum, or with a refused one that the college or vast bureau did not overrule.
"""

from __future__ import annotations

import uuid

from services.finance.domain import events
from services.finance.domain.accounts import total_of
from services.finance.domain.budget import Budget
from services.finance.domain.commands import RecordCommitment, RequestVisum
from services.finance.domain.control import BudgetHolderDelegation, IntendedCommitment, Visum, find_delegation
from services.finance.domain.model import commitment_on, credit_key, key_of
from services.finance.domain.policy import FinancePolicy
from services.finance.service_layer.locks import locked_for_commitment, save
from services.finance.service_layer.ports import FinanceUnitOfWork
from shared.clock import Clock
from shared.kernel import Accepted, RuleViolation, refuse
from shared.vocabulary import FinancialImpact, Flow

__all__ = ["BUDGET_HOLDER_KIND", "CommitmentCommands"]

#: The kind a budget holder's commitment has for the council's visum exemptions.
BUDGET_HOLDER_KIND = "budget_holder"


def _credit_only(impact: FinancialImpact) -> None:
    """A budget holder commits expenses on credits; receipts and expenses without credit are not theirs."""
    if impact.flow is Flow.RECEIPT or total_of(impact.economic_account, impact.flow) is None:
        raise RuleViolation(
            "not_a_credit",
            f"an {impact.flow.value} on {impact.economic_account} is on no credit: a budget holder commits credits",
        )


class CommitmentCommands:
    """Commitments people make themselves; those of adopted decisions are reactions."""

    def __init__(self, policy: FinancePolicy, clock: Clock) -> None:
        self._policy = policy
        self._clock = clock

    async def _delegation(
        self, uow: FinanceUnitOfWork, person_id: str, impact: FinancialImpact
    ) -> BudgetHolderDelegation:
        return find_delegation(
            await uow.delegations.of_person(person_id),
            person_id=person_id,
            entity=impact.entity,
            policy_field=impact.policy_field,
            economic_account=impact.economic_account,
            action=impact.action,
            amount=impact.amount,
            now=self._clock(),
        )

    def _visum_required(self, impact: FinancialImpact) -> bool:
        return self._policy.visum_required(
            amount=impact.amount, economic_account=impact.economic_account, kind=BUDGET_HOLDER_KIND, flow=impact.flow
        )

    async def request_visum(self, uow: FinanceUnitOfWork, cmd: RequestVisum) -> Accepted:
        """Ask the financial director's visum on an intended commitment: it must need one, fall under a
        valid delegation of the person and fit its credit now."""
        impact = cmd.impact
        _credit_only(impact)
        if not self._visum_required(impact):
            raise RuleViolation(
                "visum_not_required",
                f"{impact.amount} is below the council's visum threshold ({self._policy.visum_exempt_below})"
                " or exempted: record the commitment directly",
            )
        delegation = await self._delegation(uow, cmd.person_id, impact)
        key = key_of(impact)
        credit = await uow.credits.get(key)
        total = await uow.totals.get(credit.total_key) if credit is not None else None
        # Read without locks: the visum advises, the commitment decides under lock.
        refuse(Budget([credit] if credit else [], [total] if total else []).commitment_refusal(key, impact.amount))
        request_id = uuid.uuid4()
        visum = Visum(
            visum_id=uuid.uuid4(),
            item_id=request_id,
            entity=impact.entity,
            amount=impact.amount,
            credit_key=credit_key(*key),
            requested_at=self._clock(),
            intended=IntendedCommitment(
                person_id=cmd.person_id,
                impact=impact,
                third_party=cmd.third_party,
                reason=cmd.reason,
                delegation_id=delegation.delegation_id,
            ),
        )
        await uow.visums.add(visum)
        uow.emit(
            events.VisumRequested(
                visum_id=visum.visum_id,
                request_id=request_id,
                person_id=cmd.person_id,
                entity=impact.entity,
                amount=impact.amount,
                credit_key=visum.credit_key,
                third_party=cmd.third_party,
            )
        )
        return Accepted(ids={"request_id": str(request_id), "visum_id": str(visum.visum_id)})

    async def _visum_for(self, uow: FinanceUnitOfWork, cmd: RecordCommitment) -> Visum | None:
        """The visum the commitment is made under, where the council's rules require one."""
        if not self._visum_required(cmd.impact):
            return None
        if cmd.visum_request_id is None:
            raise RuleViolation(
                "visum_missing",
                f"a commitment of {cmd.impact.amount} needs the financial director's visum first:"
                " ask it with request_visum and name it in visum_request_id",
            )
        visum = await uow.visums.for_item(cmd.visum_request_id, for_update=True)
        if visum is None:
            raise RuleViolation("visum_missing", f"no visum was asked under request {cmd.visum_request_id}")
        refuse(visum.use_refusal(cmd.person_id, cmd.impact, cmd.third_party))
        return visum

    async def record(self, uow: FinanceUnitOfWork, cmd: RecordCommitment) -> Accepted:
        """A budget holder commits a credit: a valid delegation must cover it, the financial director's
        visum (above the threshold) must allow it, and the credit must suffice."""
        impact = cmd.impact
        _credit_only(impact)
        delegation = await self._delegation(uow, cmd.person_id, impact)
        visum = await self._visum_for(uow, cmd)
        budget = await locked_for_commitment(uow, impact)
        key = key_of(impact)
        credit = budget.commit(key, impact.amount)
        commitment = commitment_on(
            credit,
            impact,
            commitment_id=uuid.uuid4(),
            created_at=self._clock(),
            third_party=cmd.third_party,
            delegation_id=delegation.delegation_id,
            recorded_by=cmd.person_id,
            reason=cmd.reason,
        )
        await save(uow, budget)
        await uow.commitments.add(commitment)
        if visum is not None:
            await uow.visums.update(visum.used_for(commitment.commitment_id))
        remaining = budget.available(key)
        uow.emit(
            events.CommitmentRecordedUnderDelegation(
                commitment_id=commitment.commitment_id,
                delegation_id=delegation.delegation_id,
                person_id=cmd.person_id,
                entity=impact.entity,
                economic_account=impact.economic_account,
                policy_field=impact.policy_field,
                action=impact.action,
                financial_year=impact.financial_year,
                amount=impact.amount,
                third_party=cmd.third_party,
                credit_key=credit.credit_key,
                remaining=remaining,
                reason=cmd.reason,
            )
        )
        ids = {"commitment_id": str(commitment.commitment_id), "delegation_id": str(delegation.delegation_id)}
        if visum is not None:
            ids["visum_id"] = str(visum.visum_id)
        return Accepted(ids=ids, data={"remaining": f"{remaining:.2f}"})
