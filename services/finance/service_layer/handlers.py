"""One handler per command and event; the messaging wrapper owns commit and rollback.

Every handler that changes credits locks the limitative totals first and the credits second
(each in key order), so concurrent commitments, budget changes, adjustments and carry-overs
are serialised on the rows they share and never overspend a credit or a total.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterable, Sequence
from decimal import Decimal

from services.finance.domain.budget import (
    COUNCIL_OF,
    Budget,
    BudgetChange,
    ChangeLine,
    carry_over_deadline,
    change_line_json,
)
from services.finance.domain.control import (
    BudgetHolderDelegation,
    FinancePolicy,
    PaymentStatus,
    Visum,
    VisumStatus,
    find_delegation,
)
from services.finance.domain.control import (
    order_payment as order_payment_on,
)
from services.finance.domain.model import (
    ZERO,
    BudgetVerdict,
    Commitment,
    Credit,
    CreditKey,
    CreditRuleError,
    CreditTotal,
    LimitativeTotal,
    Verdict,
    check_budget,
    credit_key,
    total_of_account,
)
from services.finance.domain.plan import PlanError, parse_plan_csv, plan_tree
from services.finance.service_layer.ports import FinanceUnitOfWork
from shared.contracts.base import Confidentiality, Entity, LegalEntity
from shared.contracts.common import CommandReply, CommandStatus, FinancialImpact
from shared.contracts.finance import (
    AdjustCredits,
    AppliedChange,
    BudgetChangeApplied,
    BudgetChangeProposed,
    BudgetChangeRefused,
    BudgetCheckFailed,
    BudgetCheckPassed,
    CarryOverInvestmentCredits,
    CommitmentBlocked,
    CommitmentRecorded,
    CommitmentRecordedUnderDelegation,
    CreditChange,
    CreditExhausted,
    CreditsAdjusted,
    ExportReport,
    GetCommitments,
    GetCreditUse,
    GetPolicyFieldUse,
    GetTotals,
    GetVisumReport,
    GrantVisum,
    ImportPlan,
    InvestmentCreditsCarriedOver,
    MarkPaid,
    OrderPayment,
    PaymentMade,
    PaymentOrdered,
    PlanImported,
    ProposeBudgetChange,
    RecordCommitment,
    RefuseVisum,
    TotalFigure,
    VisumGranted,
    VisumOverruled,
    VisumRefused,
)
from shared.contracts.hr import DelegationGranted, DelegationPower, DelegationRevoked
from shared.contracts.meetings import AgendaItemProposed, DecisionAdopted, DecisionKind
from shared.messaging.envelope import Envelope
from shared.messaging.errors import CommandRejected

__all__ = [
    "DEFAULT_POLICY",
    "adjust_credits",
    "carry_over_investment_credits",
    "check_budget_of_item",
    "delegation_granted",
    "delegation_revoked",
    "export_report",
    "get_commitments",
    "get_credit_use",
    "get_policy_field_use",
    "get_totals",
    "get_visum_report",
    "grant_visum",
    "import_plan",
    "mark_paid",
    "on_decision_adopted",
    "order_payment",
    "propose_budget_change",
    "record_commitment",
    "refuse_visum",
]

DEFAULT_POLICY = FinancePolicy()


def _money(amount: Decimal) -> str:
    return f"{amount:.2f}"


def _ok(command_id: str, ids: dict[str, str] | None = None, data: dict[str, object] | None = None) -> CommandReply:
    return CommandReply(command_id=command_id, status=CommandStatus.ACCEPTED, ids=ids or {}, data=data or {})


def _key_of(impact: FinancialImpact) -> CreditKey:
    return (impact.entity, impact.financial_year, impact.economic_account, impact.policy_field, impact.action or "")


def _line(change: CreditChange) -> ChangeLine:
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
    )


def _applied(after: Iterable[Credit], lines: Sequence[ChangeLine]) -> tuple[AppliedChange, ...]:
    by_key = {c.key: c for c in after}
    return tuple(
        AppliedChange(
            credit_key=line.credit_key,
            total=line.total.value,
            change=line.change,
            amount=by_key[line.key].amount,
        )
        for line in lines
    )


def _figures(totals: Iterable[LimitativeTotal]) -> tuple[TotalFigure, ...]:
    return tuple(
        TotalFigure(
            entity=t.entity,
            financial_year=t.financial_year,
            total=t.total.value,
            amount=t.amount,
            committed=t.committed,
        )
        for t in sorted(totals, key=lambda t: (t.entity.value, t.financial_year, t.total.value))
    )


async def _locked_budget(uow: FinanceUnitOfWork, lines: Sequence[ChangeLine]) -> Budget:
    """Lock the totals, then the credits, the lines touch: always in that order."""
    totals = await uow.totals.lock([line.total_key for line in lines])
    locked = await uow.credits.lock([line.key for line in lines])
    return Budget(locked, totals)


async def _save(uow: FinanceUnitOfWork, budget: Budget) -> None:
    for key in sorted(budget.changed_totals, key=lambda k: (k[0].value, k[1], k[2].value)):
        await uow.totals.update(budget.totals[key])
    for ckey in sorted(budget.changed_credits, key=lambda k: (k[0].value, *k[1:])):
        credit = budget.credits[ckey]
        if ckey in budget.new_credits:
            await uow.credits.add(credit)
        else:
            await uow.credits.update(credit)


async def _lock_for_commitment(uow: FinanceUnitOfWork, impact: FinancialImpact) -> Budget:
    total = total_of_account(impact.economic_account)
    if total is None:
        return Budget([], [])
    totals = await uow.totals.lock([(impact.entity, impact.financial_year, total)], create=False)
    locked = await uow.credits.lock([_key_of(impact)])
    return Budget(locked, totals)


# --- budget check and visum -----------------------------------------------------------------


async def check_budget_of_item(
    uow: FinanceUnitOfWork, event: AgendaItemProposed, _envelope: Envelope, *, policy: FinancePolicy = DEFAULT_POLICY
) -> None:
    """Answer a proposed item with a financial impact: is its credit (and its total) sufficient?

    A passed check says whether the financial director's visum is required (the council's
    exemptions in `policy`); a required visum is recorded as requested.
    """
    impact = event.financial_impact
    if impact is None:
        return
    action = impact.action or ""
    credit = await uow.credits.get(
        impact.entity, impact.financial_year, impact.economic_account, impact.policy_field, action
    )
    verdict = check_budget(credit, impact.amount)
    available = verdict.available
    if credit is not None:
        # The limitative total may be tighter than the credit (never after a consistent plan).
        total = await uow.totals.get(credit.total_key)
        available = Budget([credit], [total]).available(credit.key) if total else ZERO
        if impact.amount > available:
            verdict = BudgetVerdict(False, available, Verdict.INSUFFICIENT_CREDIT)
    key = credit_key(impact.entity, impact.financial_year, impact.economic_account, impact.policy_field, action)
    result: BudgetCheckPassed | BudgetCheckFailed
    if verdict.passed:
        required = policy.visum_required(
            amount=impact.amount, economic_account=impact.economic_account, kind=event.kind.value
        )
        if required:
            await uow.visums.add(
                Visum(
                    visum_id=uuid.uuid4(),
                    item_id=event.item_id,
                    entity=impact.entity,
                    amount=impact.amount,
                    credit_key=key,
                    requested_at=policy.now(),
                )
            )
        result = BudgetCheckPassed(
            item_id=event.item_id,
            entity=impact.entity,
            amount=impact.amount,
            available=available,
            credit_key=key,
            visum_required=required,
        )
    else:
        result = BudgetCheckFailed(
            item_id=event.item_id,
            entity=impact.entity,
            amount=impact.amount,
            available=available,
            credit_key=key,
            reason=verdict.reason.value,
        )
    uow.emit(
        result,
        subject_id=str(event.item_id),
        entity=Entity(impact.entity.value),
        confidentiality=event.confidentiality,
    )


async def _visum_for(uow: FinanceUnitOfWork, item_id: uuid.UUID) -> Visum:
    visum = await uow.visums.for_item(item_id, for_update=True)
    if visum is None:
        raise CommandRejected(
            "no_visum_requested", f"item {item_id} has no visum request (no budget check needing one)"
        )
    return visum


async def grant_visum(
    uow: FinanceUnitOfWork, cmd: GrantVisum, _envelope: Envelope, *, policy: FinancePolicy = DEFAULT_POLICY
) -> CommandReply:
    """The financial director grants the visum, possibly with conditions."""
    visum = await _visum_for(uow, cmd.item_id)
    try:
        granted = visum.grant(cmd.person_id, cmd.conditions, policy)
    except CreditRuleError as exc:
        raise CommandRejected(exc.reason, str(exc)) from exc
    await uow.visums.update(granted)
    assert granted.decided_at is not None
    uow.emit(
        VisumGranted(
            visum_id=granted.visum_id,
            item_id=granted.item_id,
            entity=granted.entity,
            amount=granted.amount,
            conditions=granted.conditions,
            granted_by=cmd.person_id,
            granted_at=granted.decided_at,
        ),
        subject_id=str(granted.item_id),
        entity=Entity(granted.entity.value),
    )
    return _ok(cmd.command_id, {"visum_id": str(granted.visum_id)})


async def refuse_visum(
    uow: FinanceUnitOfWork, cmd: RefuseVisum, _envelope: Envelope, *, policy: FinancePolicy = DEFAULT_POLICY
) -> CommandReply:
    """The financial director refuses the visum, with reasons."""
    visum = await _visum_for(uow, cmd.item_id)
    try:
        refused = visum.refuse(cmd.person_id, cmd.reasons, policy)
    except CreditRuleError as exc:
        raise CommandRejected(exc.reason, str(exc)) from exc
    await uow.visums.update(refused)
    assert refused.decided_at is not None
    uow.emit(
        VisumRefused(
            visum_id=refused.visum_id,
            item_id=refused.item_id,
            entity=refused.entity,
            amount=refused.amount,
            reasons=refused.reasons,
            refused_by=cmd.person_id,
            refused_at=refused.decided_at,
        ),
        subject_id=str(refused.item_id),
        entity=Entity(refused.entity.value),
    )
    return _ok(cmd.command_id, {"visum_id": str(refused.visum_id)})


# --- adopted decisions ----------------------------------------------------------------------


async def on_decision_adopted(
    uow: FinanceUnitOfWork, event: DecisionAdopted, envelope: Envelope, *, policy: FinancePolicy = DEFAULT_POLICY
) -> None:
    """Apply a budget change, record a visum overruling, or commit the decision's credit."""
    if event.kind is DecisionKind.BUDGET_CHANGE:
        await _apply_budget_change(uow, event, policy)
    elif event.kind is DecisionKind.VISUM_OVERRULING:
        await _overrule_visum(uow, event, policy)
    else:
        await commit_decision(uow, event, envelope, policy=policy)


async def commit_decision(
    uow: FinanceUnitOfWork, event: DecisionAdopted, _envelope: Envelope, *, policy: FinancePolicy = DEFAULT_POLICY
) -> None:
    """Commit the credit of an adopted decision, or report that it no longer fits.

    The total and then the credit are locked first, so concurrent commitments are serialised
    and never overspend either; the check for an earlier commitment of the same decision
    happens under those locks (and `decision_id` is UNIQUE as a last line of defence). A
    decision whose visum was refused and not overruled is not committed.
    """
    impact = event.financial_impact
    if impact is None:
        return
    visum = await uow.visums.for_item(event.item_id, for_update=True)
    if visum is not None and visum.blocks_commitment:
        if visum.blocked_decision_id is None:
            await uow.visums.update(
                Visum(
                    **{
                        **visum.__dict__,
                        "blocked_decision_id": event.decision_id,
                        "blocked_impact": impact.model_dump_json(),
                    }
                )
            )
        uow.emit(
            CommitmentBlocked(
                decision_id=event.decision_id,
                item_id=event.item_id,
                entity=impact.entity,
                amount=impact.amount,
                reason="visum_refused",
            ),
            subject_id=str(event.decision_id),
            entity=Entity(impact.entity.value),
            confidentiality=event.confidentiality,
        )
        return
    await _commit_impact(uow, event.decision_id, event.item_id, impact, event.confidentiality, policy)


async def _commit_impact(  # noqa: PLR0917 - the coordinates of one commitment
    uow: FinanceUnitOfWork,
    decision_id: uuid.UUID,
    item_id: uuid.UUID,
    impact: FinancialImpact,
    confidentiality: Confidentiality,
    policy: FinancePolicy,
) -> None:
    budget = await _lock_for_commitment(uow, impact)
    if await uow.commitments.for_decision(decision_id) is not None:
        return  # already committed (a redelivery under another message id): nothing to do
    key = _key_of(impact)
    try:
        credit = budget.commit(key, impact.amount)
    except CreditRuleError as exc:
        uow.emit(
            CreditExhausted(
                decision_id=decision_id,
                entity=impact.entity,
                amount=impact.amount,
                available=budget.available(key),
                credit_key=credit_key(*key),
                reason=exc.reason,
            ),
            subject_id=str(decision_id),
            entity=Entity(impact.entity.value),
            confidentiality=confidentiality,
        )
        return
    commitment = Commitment(
        commitment_id=uuid.uuid4(),
        decision_id=decision_id,
        entity=impact.entity,
        economic_account=impact.economic_account,
        policy_field=impact.policy_field,
        action=impact.action,
        financial_year=impact.financial_year,
        amount=impact.amount,
        third_party=impact.third_party,
        credit_key=credit.credit_key,
        investment_project=impact.investment_project or credit.investment_project,
        created_at=policy.now(),
        item_id=item_id,
    )
    await _save(uow, budget)
    await uow.commitments.add(commitment)
    uow.emit(
        CommitmentRecorded(
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
        ),
        subject_id=str(decision_id),
        entity=Entity(impact.entity.value),
        confidentiality=confidentiality,
    )


async def _overrule_visum(uow: FinanceUnitOfWork, event: DecisionAdopted, policy: FinancePolicy) -> None:
    """Record the college's or vast bureau's overruling; commit a decision the refusal blocked."""
    if event.overrules_item_id is None:
        return
    visum = await uow.visums.for_item(event.overrules_item_id, for_update=True)
    if visum is None:
        return  # no visum was ever requested for that item: nothing to overrule
    try:
        overruled = visum.overrule(event.decision_id, event.body, event.entity, policy.now())
    except CreditRuleError:
        return  # not a refused visum, or not the competent body: the overruling has no effect here
    overruling_id = uuid.uuid4()
    await uow.visums.update(overruled)
    await uow.visums.add_overruling(overruling_id, overruled)
    assert overruled.overruled_at is not None
    uow.emit(
        VisumOverruled(
            overruling_id=overruling_id,
            visum_id=overruled.visum_id,
            item_id=overruled.item_id,
            decision_id=event.decision_id,
            body=event.body,
            entity=overruled.entity,
            amount=overruled.amount,
            refusal_reasons=overruled.reasons,
            overruled_at=overruled.overruled_at,
        ),
        subject_id=str(overruled.item_id),
        entity=Entity(overruled.entity.value),
        confidentiality=event.confidentiality,
    )
    if overruled.blocked_decision_id is not None and overruled.blocked_impact is not None:
        impact = FinancialImpact.model_validate_json(overruled.blocked_impact)
        await _commit_impact(
            uow, overruled.blocked_decision_id, overruled.item_id, impact, event.confidentiality, policy
        )


# --- budget changes, adjustments, carry-over ------------------------------------------------


def _checked_lines(entity: LegalEntity, changes: Sequence[CreditChange]) -> list[ChangeLine]:
    lines = [_line(c) for c in changes]
    for line in lines:
        if line.entity is not entity:
            raise CommandRejected("entity_mismatch", f"{line.credit_key} is not a credit of the {entity.value}")
        if total_of_account(line.economic_account) is None:
            raise CommandRejected(
                "account_not_limitative", f"economic account {line.economic_account} belongs to no limitative total"
            )
    if len({line.key for line in lines}) != len(lines):
        raise CommandRejected("duplicate_credit", "each credit may appear only once in a change")
    return lines


async def propose_budget_change(
    uow: FinanceUnitOfWork, cmd: ProposeBudgetChange, _envelope: Envelope, *, policy: FinancePolicy = DEFAULT_POLICY
) -> CommandReply:
    """Prepare a budget change; it is applied when the council (or RMW) adopts it."""
    lines = _checked_lines(cmd.entity, cmd.changes)
    change = BudgetChange(
        budget_change_id=uuid.uuid4(),
        entity=cmd.entity,
        title=cmd.title,
        lines=tuple(lines),
        proposed_by=cmd.proposed_by,
        proposed_at=policy.now(),
    )
    await uow.budget_changes.add(change)
    uow.emit(
        BudgetChangeProposed(
            budget_change_id=change.budget_change_id,
            entity=cmd.entity,
            title=cmd.title,
            changes=cmd.changes,
            proposed_by=cmd.proposed_by,
        ),
        subject_id=str(change.budget_change_id),
        entity=Entity(cmd.entity.value),
    )
    return _ok(cmd.command_id, {"budget_change_id": str(change.budget_change_id)}, {"status": change.status})


async def _apply_budget_change(uow: FinanceUnitOfWork, event: DecisionAdopted, policy: FinancePolicy) -> None:
    if event.budget_change_id is None:
        return
    change = await uow.budget_changes.get(event.budget_change_id, for_update=True)
    if change is None:
        _refuse_change(uow, event, event.entity, "unknown_budget_change", "finance knows no such budget change")
        return
    if change.status != "proposed":
        return  # applied (or refused) before: a redelivery changes nothing
    council = COUNCIL_OF[change.entity]
    if event.body is not council or event.entity is not change.entity:
        await _refused(uow, change, event, "not_the_council", f"only the {council.value} adopts this budget change")
        return
    budget = await _locked_budget(uow, change.lines)
    try:
        changed = budget.apply_budget_change(change.lines)
    except CreditRuleError as exc:
        await _refused(uow, change, event, exc.reason, str(exc))
        return
    await _save(uow, budget)
    await uow.budget_changes.update(
        BudgetChange(
            **{**change.__dict__, "status": "applied", "decision_id": event.decision_id, "decided_at": policy.now()}
        )
    )
    uow.emit(
        BudgetChangeApplied(
            budget_change_id=change.budget_change_id,
            decision_id=event.decision_id,
            entity=change.entity,
            changes=_applied(changed, change.lines),
            totals=_figures(budget.totals[k] for k in budget.changed_totals),
        ),
        subject_id=str(change.budget_change_id),
        entity=Entity(change.entity.value),
    )


async def _refused(uow: FinanceUnitOfWork, change: BudgetChange, event: DecisionAdopted, reason: str, msg: str) -> None:
    await uow.budget_changes.update(
        BudgetChange(**{**change.__dict__, "status": "refused", "decision_id": event.decision_id, "refusal": msg})
    )
    _refuse_change(uow, event, change.entity, reason, msg)


def _refuse_change(uow: FinanceUnitOfWork, event: DecisionAdopted, entity: LegalEntity, reason: str, msg: str) -> None:
    assert event.budget_change_id is not None
    uow.emit(
        BudgetChangeRefused(
            budget_change_id=event.budget_change_id,
            decision_id=event.decision_id,
            entity=entity,
            reason=reason,
            message=msg,
        ),
        subject_id=str(event.budget_change_id),
        entity=Entity(entity.value),
    )


async def adjust_credits(
    uow: FinanceUnitOfWork, cmd: AdjustCredits, _envelope: Envelope, *, policy: FinancePolicy = DEFAULT_POLICY
) -> CommandReply:
    """Move estimates between credits of one limitative total of one entity; the total never changes."""
    lines = _checked_lines(cmd.entity, cmd.changes)
    budget = await _locked_budget(uow, lines)
    try:
        changed = budget.adjust(lines)
    except CreditRuleError as exc:
        raise CommandRejected(exc.reason, str(exc)) from exc
    await _save(uow, budget)
    adjustment_id = uuid.uuid4()
    await uow.budget_changes.add_adjustment(
        adjustment_id,
        cmd.entity,
        [change_line_json(line) for line in lines],
        decided_by=cmd.decided_by,
        reason=cmd.reason,
        at=policy.now(),
    )
    uow.emit(
        CreditsAdjusted(
            adjustment_id=adjustment_id,
            entity=cmd.entity,
            changes=_applied(changed, lines),
            decided_by=cmd.decided_by,
            reason=cmd.reason,
        ),
        subject_id=str(adjustment_id),
        entity=Entity(cmd.entity.value),
    )
    return _ok(cmd.command_id, {"adjustment_id": str(adjustment_id)})


async def carry_over_investment_credits(
    uow: FinanceUnitOfWork,
    cmd: CarryOverInvestmentCredits,
    _envelope: Envelope,
    *,
    policy: FinancePolicy = DEFAULT_POLICY,
) -> CommandReply:
    """Move unused investment credits of `from_year` to the next year, before 1 March."""
    deadline = carry_over_deadline(cmd.from_year)
    if policy.today() >= deadline:
        raise CommandRejected(
            "carry_over_too_late", f"credits of {cmd.from_year} can only be carried over before {deadline}"
        )
    sources = [
        c
        for c in await uow.credits.of_entity(cmd.entity)
        if c.financial_year == cmd.from_year and c.total is CreditTotal.INVESTMENT
    ]
    keys_next = [(c.entity, cmd.from_year + 1, c.economic_account, c.policy_field, c.action) for c in sources]
    totals = await uow.totals.lock(
        [
            (cmd.entity, cmd.from_year, CreditTotal.INVESTMENT),
            (cmd.entity, cmd.from_year + 1, CreditTotal.INVESTMENT),
        ]
    )
    locked = await uow.credits.lock([c.key for c in sources] + keys_next)
    budget = Budget(locked, totals)
    moved = budget.carry_over(cmd.entity, cmd.from_year)
    await _save(uow, budget)
    lines = [
        line
        for old, new, amount in moved
        for line in (
            ChangeLine(old.entity, old.financial_year, old.economic_account, old.policy_field, old.action, -amount),
            ChangeLine(new.entity, new.financial_year, new.economic_account, new.policy_field, new.action, amount),
        )
    ]
    credits_after = [c for pair in moved for c in pair[:2]]
    uow.emit(
        InvestmentCreditsCarriedOver(
            entity=cmd.entity,
            from_year=cmd.from_year,
            to_year=cmd.from_year + 1,
            changes=_applied(credits_after, lines),
            decision_id=cmd.decision_id,
        ),
        subject_id=f"{cmd.entity.value}/{cmd.from_year}",
        entity=Entity(cmd.entity.value),
    )
    return _ok(
        cmd.command_id,
        data={"moved": [{"credit_key": old.credit_key, "amount": _money(amount)} for old, _new, amount in moved]},
    )


async def import_plan(
    uow: FinanceUnitOfWork, cmd: ImportPlan, _envelope: Envelope, *, policy: FinancePolicy = DEFAULT_POLICY
) -> CommandReply:
    """Load the multi-year plan: new credits are added, equal ones kept; a different estimate
    for an existing credit is refused (that is a budget change for the council)."""
    del policy
    try:
        lines = parse_plan_csv(cmd.csv)
    except PlanError as exc:
        raise CommandRejected("invalid_plan", str(exc)) from exc
    tree = plan_tree(lines)
    budget = await _locked_budget(
        uow,
        [ChangeLine(p.entity, p.financial_year, p.economic_account, p.policy_field, p.action, p.amount) for p in lines],
    )
    new: list[ChangeLine] = []
    unchanged = 0
    for number, p in enumerate(lines, start=2):
        existing = budget.credit((p.entity, p.financial_year, p.economic_account, p.policy_field, p.action))
        if existing is None:
            new.append(
                ChangeLine(
                    p.entity,
                    p.financial_year,
                    p.economic_account,
                    p.policy_field,
                    p.action,
                    p.amount,
                    p.investment_project,
                    p.description,
                )
            )
        elif existing.amount == p.amount:
            unchanged += 1
        else:
            raise CommandRejected(
                "plan_conflicts",
                f"line {number}: {p.credit_key} is {existing.amount} in the plan, not {p.amount};"
                " change an adopted credit with a budget change",
            )
    if new:
        budget.apply_budget_change(new)
    await uow.plan.save_tree(tree)
    await _save(uow, budget)
    uow.emit(PlanImported(credits_added=len(new), credits_unchanged=unchanged))
    return _ok(cmd.command_id, data={"credits_added": len(new), "credits_unchanged": unchanged})


# --- budget holders -------------------------------------------------------------------------


async def delegation_granted(uow: FinanceUnitOfWork, event: DelegationGranted, _envelope: Envelope) -> None:
    """Keep budget-holder delegations; other powers are not finance's business."""
    if event.power is not DelegationPower.BUDGET_HOLDER:
        return
    scope = event.budget_scope
    await uow.delegations.grant(
        BudgetHolderDelegation(
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
    )


async def delegation_revoked(uow: FinanceUnitOfWork, event: DelegationRevoked, _envelope: Envelope) -> None:
    """A revoked budget-holder delegation can no longer be used from `revoked_at` on."""
    if event.power is not DelegationPower.BUDGET_HOLDER:
        return
    await uow.delegations.revoke(event.delegation_id, event.to_person_id, event.revoked_at)


async def record_commitment(
    uow: FinanceUnitOfWork, cmd: RecordCommitment, _envelope: Envelope, *, policy: FinancePolicy = DEFAULT_POLICY
) -> CommandReply:
    """A budget holder commits a credit: a valid delegation must cover it, and the credit must suffice."""
    impact = cmd.impact
    now = policy.now()
    try:
        delegation = find_delegation(
            await uow.delegations.of_person(cmd.person_id),
            entity=impact.entity,
            policy_field=impact.policy_field,
            economic_account=impact.economic_account,
            action=impact.action,
            amount=impact.amount,
            now=now,
        )
    except CreditRuleError as exc:
        raise CommandRejected(exc.reason, f"{cmd.person_id}: {exc}") from exc
    budget = await _lock_for_commitment(uow, impact)
    key = _key_of(impact)
    try:
        credit = budget.commit(key, impact.amount)
    except CreditRuleError as exc:
        raise CommandRejected(
            exc.reason, f"{exc} (available on {credit_key(*key)}: {_money(budget.available(key))})"
        ) from exc
    commitment = Commitment(
        commitment_id=uuid.uuid4(),
        decision_id=None,
        entity=impact.entity,
        economic_account=impact.economic_account,
        policy_field=impact.policy_field,
        action=impact.action,
        financial_year=impact.financial_year,
        amount=impact.amount,
        third_party=cmd.third_party,
        credit_key=credit.credit_key,
        investment_project=impact.investment_project or credit.investment_project,
        created_at=now,
        delegation_id=delegation.delegation_id,
        recorded_by=cmd.person_id,
        reason=cmd.reason,
    )
    await _save(uow, budget)
    await uow.commitments.add(commitment)
    remaining = budget.available(key)
    uow.emit(
        CommitmentRecordedUnderDelegation(
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
        ),
        subject_id=str(commitment.commitment_id),
        entity=Entity(impact.entity.value),
    )
    return _ok(
        cmd.command_id,
        {"commitment_id": str(commitment.commitment_id), "delegation_id": str(delegation.delegation_id)},
        {"remaining": _money(remaining)},
    )


# --- payments -------------------------------------------------------------------------------


async def order_payment(
    uow: FinanceUnitOfWork, cmd: OrderPayment, _envelope: Envelope, *, policy: FinancePolicy = DEFAULT_POLICY
) -> CommandReply:
    """Order a payment; the commitment row is locked so concurrent orders never exceed it."""
    commitment = await uow.commitments.get(cmd.commitment_id, for_update=True)
    if commitment is None:
        raise CommandRejected("unknown_commitment", f"no commitment {cmd.commitment_id}")
    try:
        updated, order = order_payment_on(
            commitment, cmd.amount, ordered_by=cmd.ordered_by, reference=cmd.reference, now=policy.now()
        )
    except CreditRuleError as exc:
        raise CommandRejected(exc.reason, str(exc)) from exc
    await uow.commitments.update(updated)
    await uow.payments.add(order)
    uow.emit(
        PaymentOrdered(
            payment_order_id=order.payment_order_id,
            commitment_id=commitment.commitment_id,
            entity=commitment.entity,
            amount=order.amount,
            ordered_by=cmd.ordered_by,
            remaining_to_order=updated.orderable,
        ),
        subject_id=str(commitment.commitment_id),
        entity=Entity(commitment.entity.value),
    )
    return _ok(cmd.command_id, {"payment_order_id": str(order.payment_order_id)})


async def mark_paid(
    uow: FinanceUnitOfWork, cmd: MarkPaid, _envelope: Envelope, *, policy: FinancePolicy = DEFAULT_POLICY
) -> CommandReply:
    """Record the payment of an order."""
    order = await uow.payments.get(cmd.payment_order_id, for_update=True)
    if order is None:
        raise CommandRejected("unknown_payment_order", f"no payment order {cmd.payment_order_id}")
    try:
        paid = order.pay(cmd.paid_on or policy.today())
    except CreditRuleError as exc:
        raise CommandRejected(exc.reason, str(exc)) from exc
    commitment = await uow.commitments.get(order.commitment_id, for_update=True)
    assert commitment is not None
    await uow.payments.update(paid)
    await uow.commitments.update(Commitment(**{**commitment.__dict__, "paid": commitment.paid + order.amount}))
    assert paid.paid_on is not None
    uow.emit(
        PaymentMade(
            payment_order_id=order.payment_order_id,
            commitment_id=order.commitment_id,
            entity=order.entity,
            amount=order.amount,
            paid_on=paid.paid_on,
        ),
        subject_id=str(order.commitment_id),
        entity=Entity(order.entity.value),
    )
    return _ok(cmd.command_id, {"payment_order_id": str(order.payment_order_id)}, {"status": PaymentStatus.PAID.value})


# --- reports --------------------------------------------------------------------------------


async def _credit_rows(uow: FinanceUnitOfWork, entity: LegalEntity | None) -> list[dict[str, object]]:
    found = sorted(await uow.credits.of_entity(entity), key=lambda c: c.credit_key)
    return [
        {
            "credit_key": c.credit_key,
            "entity": c.entity.value,
            "total": c.total.value,
            "financial_year": c.financial_year,
            "amount": _money(c.amount),
            "committed": _money(c.committed),
            "available": _money(c.available),
            "description": c.description,
        }
        for c in found
    ]


async def _total_rows(uow: FinanceUnitOfWork, entity: LegalEntity | None, year: int | None) -> list[dict[str, object]]:
    found = [t for t in await uow.totals.all(entity) if year is None or t.financial_year == year]
    return [
        {
            "entity": t.entity.value,
            "financial_year": t.financial_year,
            "total": t.total.value,
            "amount": _money(t.amount),
            "committed": _money(t.committed),
            "available": _money(t.available),
        }
        for t in sorted(found, key=lambda t: (t.entity.value, t.financial_year, t.total.value))
    ]


async def _policy_field_rows(uow: FinanceUnitOfWork, entity: LegalEntity | None) -> list[dict[str, object]]:
    sums: dict[tuple[str, int, str], tuple[Decimal, Decimal]] = {}
    for c in await uow.credits.of_entity(entity):
        key = (c.entity.value, c.financial_year, c.policy_field)
        amount, committed = sums.get(key, (ZERO, ZERO))
        sums[key] = (amount + c.amount, committed + c.committed)
    return [
        {
            "entity": e,
            "financial_year": y,
            "policy_field": p,
            "amount": _money(a),
            "committed": _money(c),
            "available": _money(a - c),
        }
        for (e, y, p), (a, c) in sorted(sums.items())
    ]


async def _visum_rows(uow: FinanceUnitOfWork, entity: LegalEntity | None) -> list[dict[str, object]]:
    found = sorted(await uow.visums.all(entity), key=lambda v: v.requested_at)
    return [
        {
            "visum_id": str(v.visum_id),
            "item_id": str(v.item_id),
            "entity": v.entity.value,
            "credit_key": v.credit_key,
            "amount": _money(v.amount),
            "status": v.status.value,
            "conditions": " | ".join(v.conditions),
            "reasons": " | ".join(v.reasons),
            "decided_by": v.decided_by or "",
            "decided_at": v.decided_at.isoformat() if v.decided_at else "",
            "overruled_by": v.overruled_by_body.value if v.overruled_by_body else "",
            "overruling_decision_id": str(v.overruling_decision_id) if v.overruling_decision_id else "",
        }
        for v in found
    ]


async def _commitment_rows(uow: FinanceUnitOfWork, entity: LegalEntity | None) -> list[dict[str, object]]:
    return [
        {
            "commitment_id": str(c.commitment_id),
            "entity": c.entity.value,
            "credit_key": c.credit_key,
            "financial_year": c.financial_year,
            "amount": _money(c.amount),
            "ordered": _money(c.ordered),
            "paid": _money(c.paid),
            "third_party": c.third_party or "",
            "investment_project": c.investment_project or "",
            "decision_id": str(c.decision_id) if c.decision_id else "",
            "delegation_id": str(c.delegation_id) if c.delegation_id else "",
            "recorded_by": c.recorded_by or "",
        }
        for c in await uow.commitments.all(entity)
    ]


async def get_credit_use(uow: FinanceUnitOfWork, cmd: GetCreditUse, _envelope: Envelope) -> CommandReply:
    """Credits with amount, committed and available (amounts as strings), by credit key."""
    return _ok(cmd.command_id, data={"credits": await _credit_rows(uow, cmd.entity)})


async def get_totals(uow: FinanceUnitOfWork, cmd: GetTotals, _envelope: Envelope) -> CommandReply:
    """The limitative totals per entity and year."""
    return _ok(cmd.command_id, data={"totals": await _total_rows(uow, cmd.entity, cmd.financial_year)})


async def get_policy_field_use(uow: FinanceUnitOfWork, cmd: GetPolicyFieldUse, _envelope: Envelope) -> CommandReply:
    """Credit use per entity, year and policy field."""
    return _ok(cmd.command_id, data={"policy_fields": await _policy_field_rows(uow, cmd.entity)})


async def get_visum_report(uow: FinanceUnitOfWork, cmd: GetVisumReport, _envelope: Envelope) -> CommandReply:
    """Every visum with its outcome and any overruling: the financial director's report."""
    rows = await _visum_rows(uow, cmd.entity)
    summary = {s.value: sum(1 for r in rows if r["status"] == s.value) for s in VisumStatus}
    return _ok(cmd.command_id, data={"visums": rows, "summary": summary})


async def get_commitments(uow: FinanceUnitOfWork, cmd: GetCommitments, _envelope: Envelope) -> CommandReply:
    """Commitments with what is ordered and paid."""
    return _ok(cmd.command_id, data={"commitments": await _commitment_rows(uow, cmd.entity)})


async def export_report(uow: FinanceUnitOfWork, cmd: ExportReport, _envelope: Envelope) -> CommandReply:
    """One report as CSV (amounts with a decimal point and two decimals, never floats)."""
    rows: list[dict[str, object]]
    if cmd.report == "credits":
        rows = await _credit_rows(uow, cmd.entity)
    elif cmd.report == "totals":
        rows = await _total_rows(uow, cmd.entity, None)
    elif cmd.report == "policy_fields":
        rows = await _policy_field_rows(uow, cmd.entity)
    elif cmd.report == "visums":
        rows = await _visum_rows(uow, cmd.entity)
    else:
        rows = await _commitment_rows(uow, cmd.entity)
    out = io.StringIO()
    if rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return _ok(cmd.command_id, data={"csv": out.getvalue(), "rows": len(rows)})
