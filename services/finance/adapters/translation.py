"""The one place where finance meets the message contracts.

Incoming commands and events become finance's own commands (an adopted decision becomes one of
three by its kind; a proposed item a budget check or, when it puts a staged plan before a body, a
plan check); its domain events become the contracts it publishes, with the envelope attributes
they travel with.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from decimal import Decimal

from services.finance.domain import commands as own
from services.finance.domain import events
from services.finance.domain.balance import BalanceYear
from services.finance.domain.budget import AppliedChange, ChangeLine
from services.finance.domain.changes import PLAN_DECISIONS
from services.finance.domain.model import CreditKey, LimitativeTotal, estimate_key
from shared.contracts import finance as published
from shared.contracts.hr import DelegationGranted, DelegationRevoked
from shared.contracts.meetings import AgendaItemProposed, DecisionAdopted
from shared.kernel import DomainEvent
from shared.messaging.context import acting_person
from shared.messaging.envelope import Envelope
from shared.messaging.outgoing import Outgoing
from shared.vocabulary import DecisionKind, DelegationPower, Entity

__all__ = [
    "adjust_credits",
    "check_item",
    "decision_adopted",
    "grant_visum",
    "import_plan",
    "keep_delegation",
    "mark_paid",
    "order_payment",
    "outgoing",
    "propose_budget_change",
    "propose_carry_over",
    "record_commitment",
    "refuse_visum",
    "request_visum",
    "revoke_delegation",
]


# --- commands -------------------------------------------------------------------------------
# The person acting (financial director, budget holder, who proposes or orders) is the proven actor
# the broker verified (`acting_person()`), never a field of the contract.


def _line(change: published.CreditChange) -> ChangeLine:
    c = change.credit
    return ChangeLine(
        entity=c.entity,
        financial_year=c.financial_year,
        economic_account=c.economic_account,
        policy_field=c.policy_field,
        action=c.action or "",
        change=change.change,
        investment_project=change.investment_project,
        description=change.description,
        flow=change.flow,
    )


def grant_visum(c: published.GrantVisum) -> own.GrantVisum:
    return own.GrantVisum(item_id=c.item_id, person_id=acting_person(), conditions=c.conditions)


def refuse_visum(c: published.RefuseVisum) -> own.RefuseVisum:
    return own.RefuseVisum(item_id=c.item_id, person_id=acting_person(), reasons=c.reasons)


def propose_budget_change(c: published.ProposeBudgetChange) -> own.ProposeBudgetChange:
    return own.ProposeBudgetChange(
        entity=c.entity, title=c.title, lines=tuple(_line(x) for x in c.changes), proposed_by=acting_person()
    )


def adjust_credits(c: published.AdjustCredits) -> own.AdjustCredits:
    return own.AdjustCredits(
        entity=c.entity, lines=tuple(_line(x) for x in c.changes), decided_by=acting_person(), reason=c.reason
    )


def _key(c: published.CreditCoding) -> CreditKey:
    return (c.entity, c.financial_year, c.economic_account, c.policy_field, c.action or "")


def propose_carry_over(c: published.ProposeCarryOver) -> own.ProposeCarryOver:
    return own.ProposeCarryOver(
        entity=c.entity,
        from_year=c.from_year,
        credits=tuple((_key(x.credit), x.amount) for x in c.credits),
        proposed_by=acting_person(),
    )


def import_plan(c: published.ImportPlan) -> own.ImportPlan:
    return own.ImportPlan(csv=c.csv, proposed_by=acting_person())


def request_visum(c: published.RequestVisum) -> own.RequestVisum:
    return own.RequestVisum(person_id=acting_person(), impact=c.impact, third_party=c.third_party, reason=c.reason)


def record_commitment(c: published.RecordCommitment) -> own.RecordCommitment:
    return own.RecordCommitment(
        person_id=acting_person(),
        impact=c.impact,
        third_party=c.third_party,
        reason=c.reason,
        visum_request_id=c.visum_request_id,
    )


def order_payment(c: published.OrderPayment) -> own.OrderPayment:
    return own.OrderPayment(
        commitment_id=c.commitment_id, amount=c.amount, ordered_by=acting_person(), reference=c.reference
    )


def mark_paid(c: published.MarkPaid) -> own.MarkPaid:
    return own.MarkPaid(payment_order_id=c.payment_order_id, paid_on=c.paid_on)


# --- consumed events ------------------------------------------------------------------------


def check_item(event: AgendaItemProposed, envelope: Envelope) -> own.ItemCheck | None:
    """A proposed item that puts a staged plan, change or carry-over before a body, or one with a
    financial impact; any other item has nothing for finance to check."""
    del envelope  # the item's own confidentiality travels in its body
    if event.kind in PLAN_DECISIONS and event.budget_change_id is not None:
        return own.CheckPlanChange(
            item_id=event.item_id,
            budget_change_id=event.budget_change_id,
            kind=event.kind,
            body=event.body,
            entity=event.entity,
            confidentiality=event.confidentiality,
        )
    if event.financial_impact is None:
        return None
    return own.CheckBudget(
        item_id=event.item_id,
        kind=event.kind,
        impact=event.financial_impact,
        confidentiality=event.confidentiality,
    )


def decision_adopted(event: DecisionAdopted, envelope: Envelope) -> own.DecisionCommand | None:
    """By its kind: take a staged plan, change or carry-over further (adopt, approve, carry over), record
    a visum overruling, or commit the decision's credit.

    A plan decision or overruling that names nothing, and a decision without a financial impact,
    are not finance's business.
    """
    del envelope
    if event.kind in PLAN_DECISIONS:
        if event.budget_change_id is None:
            return None
        return own.ApplyBudgetChange(
            budget_change_id=event.budget_change_id,
            decision_id=event.decision_id,
            body=event.body,
            entity=event.entity,
            kind=event.kind,
        )
    if event.kind is DecisionKind.VISUM_OVERRULING:
        if event.overrules_item_id is None:
            return None
        return own.OverruleVisum(
            decision_id=event.decision_id,
            item_id=event.overrules_item_id,
            body=event.body,
            entity=event.entity,
            confidentiality=event.confidentiality,
        )
    if event.financial_impact is None:
        return None
    return own.CommitDecision(
        decision_id=event.decision_id,
        item_id=event.item_id,
        impact=event.financial_impact,
        confidentiality=event.confidentiality,
    )


def keep_delegation(event: DelegationGranted, envelope: Envelope) -> own.KeepBudgetHolderDelegation | None:
    """A budget-holder delegation; other powers are not finance's business."""
    del envelope
    if event.power is not DelegationPower.BUDGET_HOLDER:
        return None
    scope = event.budget_scope
    return own.KeepBudgetHolderDelegation(
        delegation_id=event.delegation_id,
        to_person_id=event.to_person_id,
        entity=scope.entity if scope else event.entity,
        valid_from=event.valid_from,
        valid_until=event.valid_until,
        policy_field=scope.policy_field if scope else None,
        economic_account=scope.economic_account if scope else None,
        action=scope.action if scope else None,
        max_amount=scope.max_amount if scope else None,
    )


def revoke_delegation(event: DelegationRevoked, envelope: Envelope) -> own.RevokeBudgetHolderDelegation | None:
    """A revoked budget-holder delegation; other powers are not finance's business."""
    del envelope
    if event.power is not DelegationPower.BUDGET_HOLDER:
        return None
    return own.RevokeBudgetHolderDelegation(
        delegation_id=event.delegation_id, to_person_id=event.to_person_id, revoked_at=event.revoked_at
    )


# --- published events -----------------------------------------------------------------------


def _applied(changes: Iterable[AppliedChange]) -> tuple[published.AppliedChange, ...]:
    return tuple(
        published.AppliedChange(credit_key=c.credit_key, total=c.total.value, change=c.change, amount=c.amount)
        for c in changes
    )


def _figures(totals: Iterable[LimitativeTotal]) -> tuple[published.TotalFigure, ...]:
    return tuple(
        published.TotalFigure(
            entity=t.entity,
            financial_year=t.financial_year,
            total=t.total.value,
            amount=t.amount,
            committed=t.committed,
        )
        for t in totals
    )


def _credit_change(line: ChangeLine) -> published.CreditChange:
    return published.CreditChange(
        credit=published.CreditCoding(
            entity=line.entity,
            financial_year=line.financial_year,
            economic_account=line.economic_account,
            policy_field=line.policy_field,
            action=line.action or None,
        ),
        change=line.change,
        investment_project=line.investment_project,
        description=line.description,
        flow=line.flow,
    )


def _balance(years: Iterable[BalanceYear]) -> tuple[published.BalanceYearLine, ...]:
    cent = Decimal("0.01")
    return tuple(
        published.BalanceYearLine(
            financial_year=y.financial_year,
            operating_balance=y.operating_balance.quantize(cent),
            investment_balance=y.investment_balance.quantize(cent),
            financing_balance=y.financing_balance.quantize(cent),
            budget_result=y.budget_result.quantize(cent),
            available_result=y.available_result.quantize(cent),
            self_financing_margin=y.self_financing_margin.quantize(cent),
        )
        for y in years
    )


@functools.singledispatch
def outgoing(event: DomainEvent) -> Outgoing:
    """The contract a domain event is published as."""
    raise TypeError(f"finance publishes no {type(event).__name__}")


@outgoing.register
def _(event: events.BudgetCheckPassed) -> Outgoing:
    return Outgoing(
        published.BudgetCheckPassed(
            item_id=event.item_id,
            entity=event.entity,
            amount=event.amount,
            available=event.available,
            credit_key=event.credit_key,
            visum_required=event.visum_required,
        ),
        subject_id=str(event.item_id),
        entity=Entity.of(event.entity),
        confidentiality=event.confidentiality,
    )


@outgoing.register
def _(event: events.BudgetCheckFailed) -> Outgoing:
    return Outgoing(
        published.BudgetCheckFailed(
            item_id=event.item_id,
            entity=event.entity,
            amount=event.amount,
            available=event.available,
            credit_key=event.credit_key,
            reason=event.reason,
        ),
        subject_id=str(event.item_id),
        entity=Entity.of(event.entity),
        confidentiality=event.confidentiality,
    )


@outgoing.register
def _(event: events.VisumGranted) -> Outgoing:
    return Outgoing(
        published.VisumGranted(
            visum_id=event.visum_id,
            item_id=event.item_id,
            entity=event.entity,
            amount=event.amount,
            conditions=event.conditions,
            granted_by=event.granted_by,
            granted_at=event.granted_at,
        ),
        subject_id=str(event.item_id),
        entity=Entity.of(event.entity),
    )


@outgoing.register
def _(event: events.VisumRefused) -> Outgoing:
    return Outgoing(
        published.VisumRefused(
            visum_id=event.visum_id,
            item_id=event.item_id,
            entity=event.entity,
            amount=event.amount,
            reasons=event.reasons,
            refused_by=event.refused_by,
            refused_at=event.refused_at,
        ),
        subject_id=str(event.item_id),
        entity=Entity.of(event.entity),
    )


@outgoing.register
def _(event: events.VisumOverruled) -> Outgoing:
    return Outgoing(
        published.VisumOverruled(
            overruling_id=event.overruling_id,
            visum_id=event.visum_id,
            item_id=event.item_id,
            decision_id=event.decision_id,
            body=event.body,
            entity=event.entity,
            amount=event.amount,
            refusal_reasons=event.refusal_reasons,
            overruled_at=event.overruled_at,
        ),
        subject_id=str(event.item_id),
        entity=Entity.of(event.entity),
        confidentiality=event.confidentiality,
    )


@outgoing.register
def _(event: events.CommitmentRecorded) -> Outgoing:
    return Outgoing(
        published.CommitmentRecorded(
            commitment_id=event.commitment_id,
            decision_id=event.decision_id,
            entity=event.entity,
            economic_account=event.economic_account,
            policy_field=event.policy_field,
            action=event.action,
            financial_year=event.financial_year,
            amount=event.amount,
            third_party=event.third_party,
            credit_key=event.credit_key,
            remaining=event.remaining,
            credit_required=event.credit_required,
        ),
        subject_id=str(event.decision_id),
        entity=Entity.of(event.entity),
        confidentiality=event.confidentiality,
    )


@outgoing.register
def _(event: events.ReceiptRecorded) -> Outgoing:
    return Outgoing(
        published.ReceiptRecorded(
            receipt_id=event.receipt_id,
            decision_id=event.decision_id,
            entity=event.entity,
            economic_account=event.economic_account,
            policy_field=event.policy_field,
            action=event.action,
            financial_year=event.financial_year,
            amount=event.amount,
            third_party=event.third_party,
            credit_key=event.credit_key,
            remaining=event.remaining,
        ),
        subject_id=str(event.decision_id),
        entity=Entity.of(event.entity),
        confidentiality=event.confidentiality,
    )


@outgoing.register
def _(event: events.VisumRequested) -> Outgoing:
    return Outgoing(
        published.VisumRequested(
            visum_id=event.visum_id,
            request_id=event.request_id,
            person_id=event.person_id,
            entity=event.entity,
            amount=event.amount,
            credit_key=event.credit_key,
            third_party=event.third_party,
        ),
        subject_id=str(event.request_id),
        entity=Entity.of(event.entity),
    )


@outgoing.register
def _(event: events.CreditExhausted) -> Outgoing:
    return Outgoing(
        published.CreditExhausted(
            decision_id=event.decision_id,
            entity=event.entity,
            amount=event.amount,
            available=event.available,
            credit_key=event.credit_key,
            reason=event.reason,
        ),
        subject_id=str(event.decision_id),
        entity=Entity.of(event.entity),
        confidentiality=event.confidentiality,
    )


@outgoing.register
def _(event: events.CommitmentBlocked) -> Outgoing:
    return Outgoing(
        published.CommitmentBlocked(
            decision_id=event.decision_id,
            item_id=event.item_id,
            entity=event.entity,
            amount=event.amount,
            reason=event.reason,
        ),
        subject_id=str(event.decision_id),
        entity=Entity.of(event.entity),
        confidentiality=event.confidentiality,
    )


@outgoing.register
def _(event: events.CommitmentRecordedUnderDelegation) -> Outgoing:
    return Outgoing(
        published.CommitmentRecordedUnderDelegation(
            commitment_id=event.commitment_id,
            delegation_id=event.delegation_id,
            person_id=event.person_id,
            entity=event.entity,
            economic_account=event.economic_account,
            policy_field=event.policy_field,
            action=event.action,
            financial_year=event.financial_year,
            amount=event.amount,
            third_party=event.third_party,
            credit_key=event.credit_key,
            remaining=event.remaining,
            reason=event.reason,
        ),
        subject_id=str(event.commitment_id),
        entity=Entity.of(event.entity),
    )


@outgoing.register
def _(event: events.BudgetChangeProposed) -> Outgoing:
    return Outgoing(
        published.BudgetChangeProposed(
            budget_change_id=event.budget_change_id,
            entity=event.entity,
            title=event.title,
            changes=tuple(_credit_change(line) for line in event.lines),
            proposed_by=event.proposed_by,
            kind=event.kind,
            balanced=event.balanced,
            balance=_balance(event.balance),
            refusal=event.refusal,
            opening_result=event.opening.amount if event.opening is not None else None,
        ),
        subject_id=str(event.budget_change_id),
        entity=Entity.of(event.entity),
    )


@outgoing.register
def _(event: events.BudgetChangeAdopted) -> Outgoing:
    return Outgoing(
        published.BudgetChangeAdopted(
            budget_change_id=event.budget_change_id, decision_id=event.decision_id, entity=event.entity
        ),
        subject_id=str(event.budget_change_id),
        entity=Entity.of(event.entity),
    )


@outgoing.register
def _(event: events.BudgetChangeApplied) -> Outgoing:
    return Outgoing(
        published.BudgetChangeApplied(
            budget_change_id=event.budget_change_id,
            decision_id=event.decision_id,
            entity=event.entity,
            changes=_applied(event.changes),
            totals=_figures(event.totals),
            estimates=tuple(
                published.AppliedEstimate(key=estimate_key(e.key), amount=e.amount) for e in event.estimates
            ),
            kind=event.kind,
        ),
        subject_id=str(event.budget_change_id),
        entity=Entity.of(event.entity),
    )


@outgoing.register
def _(event: events.BudgetChangeRefused) -> Outgoing:
    return Outgoing(
        published.BudgetChangeRefused(
            budget_change_id=event.budget_change_id,
            decision_id=event.decision_id,
            entity=event.entity,
            reason=event.reason,
            message=event.message,
        ),
        subject_id=str(event.budget_change_id),
        entity=Entity.of(event.entity),
    )


@outgoing.register
def _(event: events.CreditsAdjusted) -> Outgoing:
    return Outgoing(
        published.CreditsAdjusted(
            adjustment_id=event.adjustment_id,
            entity=event.entity,
            changes=_applied(event.changes),
            decided_by=event.decided_by,
            reason=event.reason,
        ),
        subject_id=str(event.adjustment_id),
        entity=Entity.of(event.entity),
    )


@outgoing.register
def _(event: events.InvestmentCreditsCarriedOver) -> Outgoing:
    return Outgoing(
        published.InvestmentCreditsCarriedOver(
            entity=event.entity,
            from_year=event.from_year,
            to_year=event.to_year,
            changes=_applied(event.changes),
            decision_id=event.decision_id,
            budget_change_id=event.budget_change_id,
        ),
        subject_id=f"{event.entity.value}/{event.from_year}",
        entity=Entity.of(event.entity),
    )


@outgoing.register
def _(event: events.PlanImported) -> Outgoing:
    return Outgoing(
        published.PlanImported(
            credits_added=event.credits_added,
            credits_unchanged=event.credits_unchanged,
            budget_change_ids=event.budget_change_ids,
        ),
        subject_id=None,
    )


@outgoing.register
def _(event: events.PaymentOrdered) -> Outgoing:
    return Outgoing(
        published.PaymentOrdered(
            payment_order_id=event.payment_order_id,
            commitment_id=event.commitment_id,
            entity=event.entity,
            amount=event.amount,
            ordered_by=event.ordered_by,
            remaining_to_order=event.remaining_to_order,
        ),
        subject_id=str(event.commitment_id),
        entity=Entity.of(event.entity),
    )


@outgoing.register
def _(event: events.PaymentMade) -> Outgoing:
    return Outgoing(
        published.PaymentMade(
            payment_order_id=event.payment_order_id,
            commitment_id=event.commitment_id,
            entity=event.entity,
            amount=event.amount,
            paid_on=event.paid_on,
        ),
        subject_id=str(event.commitment_id),
        entity=Entity.of(event.entity),
    )
