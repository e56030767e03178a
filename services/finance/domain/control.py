"""Visum, budget-holder delegations and payment orders: who may commit and pay, and how much."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum

from services.finance.domain.model import Commitment
from services.finance.domain.policy import FinancePolicy
from shared.kernel import Refusal, RuleViolation, refuse
from shared.vocabulary import BodyKind, FinancialImpact, LegalEntity

__all__ = [
    "BudgetHolderDelegation",
    "IntendedCommitment",
    "PaymentOrder",
    "PaymentStatus",
    "Visum",
    "VisumStatus",
    "find_delegation",
    "order_payment",
]


class VisumStatus(StrEnum):
    REQUESTED = "requested"
    GRANTED = "granted"
    REFUSED = "refused"
    OVERRULED = "overruled"


@dataclass(frozen=True)
class IntendedCommitment:
    """What a budget holder intends to commit, for which the financial director's visum is asked."""

    person_id: str
    impact: FinancialImpact
    third_party: str
    reason: str
    delegation_id: uuid.UUID

    def mismatch(self, person_id: str, impact: FinancialImpact, third_party: str) -> str | None:
        """Why a commitment is not the one the visum was given for, or None."""
        if person_id != self.person_id:
            return f"the visum was asked by {self.person_id}, not {person_id}"
        if impact != self.impact:
            return "the amount or coding differs from the intended commitment"
        if third_party != self.third_party:
            return f"the visum is for {self.third_party}, not {third_party}"
        return None


@dataclass(frozen=True)
class Visum:
    """The financial director's check of one proposed item, or of a budget holder's intended commitment."""

    visum_id: uuid.UUID
    item_id: uuid.UUID
    """The agenda item, or for a budget holder the request id of the intended commitment."""
    entity: LegalEntity
    amount: Decimal
    credit_key: str
    requested_at: dt.datetime
    status: VisumStatus = VisumStatus.REQUESTED
    conditions: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    decided_by: str | None = None
    decided_at: dt.datetime | None = None
    overruling_decision_id: uuid.UUID | None = None
    overruled_by_body: BodyKind | None = None
    overruled_at: dt.datetime | None = None
    blocked_decision_id: uuid.UUID | None = None
    """A decision adopted while the visum was refused: committed once the refusal is overruled."""
    blocked_impact: FinancialImpact | None = None
    """That decision's financial impact."""
    intended: IntendedCommitment | None = None
    """For a budget holder's commitment: what the visum is asked for."""
    commitment_id: uuid.UUID | None = None
    """For a budget holder's commitment: the commitment made under this visum (one per visum)."""

    def decision_refusal(self, person_id: str, policy: FinancePolicy) -> Refusal | None:
        """Only the financial director gives the visum, and only once."""
        if person_id != policy.financial_director:
            return Refusal("not_financial_director", f"only the financial director gives a visum, not {person_id}")
        if self.status is not VisumStatus.REQUESTED:
            return Refusal("visum_already_given", f"the visum on item {self.item_id} is {self.status.value}")
        return None

    def grant(self, person_id: str, conditions: tuple[str, ...], policy: FinancePolicy, at: dt.datetime) -> Visum:
        refuse(self.decision_refusal(person_id, policy))
        return replace(self, status=VisumStatus.GRANTED, conditions=conditions, decided_by=person_id, decided_at=at)

    def refuse(self, person_id: str, reasons: tuple[str, ...], policy: FinancePolicy, at: dt.datetime) -> Visum:
        refuse(self.decision_refusal(person_id, policy))
        if not any(r.strip() for r in reasons):
            raise RuleViolation("reasons_required", "a refused visum must give its reasons")
        return replace(self, status=VisumStatus.REFUSED, reasons=reasons, decided_by=person_id, decided_at=at)

    def overruling_refusal(self, body: BodyKind, entity: LegalEntity) -> Refusal | None:
        """Only the college (gemeente) or vast bureau (ocmw) overrules, and only a refusal."""
        expected = BodyKind.COLLEGE if self.entity is LegalEntity.GEMEENTE else BodyKind.VAST_BUREAU
        if body is not expected or entity is not self.entity:
            return Refusal(
                "overruling_not_executive", f"only the {expected.value} overrules a {self.entity.value} visum"
            )
        if self.status is not VisumStatus.REFUSED:
            return Refusal("visum_not_refused", f"the visum on item {self.item_id} is {self.status.value}")
        return None

    def overrule(self, decision_id: uuid.UUID, body: BodyKind, entity: LegalEntity, at: dt.datetime) -> Visum:
        refuse(self.overruling_refusal(body, entity))
        return replace(
            self,
            status=VisumStatus.OVERRULED,
            overruling_decision_id=decision_id,
            overruled_by_body=body,
            overruled_at=at,
        )

    def commitment_refusal(self) -> Refusal | None:
        """A refused visum blocks the commitment until the college or vast bureau overrules it."""
        if self.status is VisumStatus.REFUSED:
            return Refusal("visum_refused", f"the visum on item {self.item_id} was refused and is not overruled")
        return None

    def use_refusal(self, person_id: str, impact: FinancialImpact, third_party: str) -> Refusal | None:
        """Whether a budget holder may commit under this visum: granted (or overruled), unused, the same commitment."""
        if self.intended is None:
            return Refusal("visum_mismatch", f"the visum on {self.item_id} is an agenda item's, not a commitment's")
        if self.status is VisumStatus.REQUESTED:
            return Refusal("visum_missing", f"the financial director has not decided on the visum {self.item_id} yet")
        refused = self.commitment_refusal()
        if refused is not None:
            return refused
        if self.commitment_id is not None:
            return Refusal("visum_used", f"the visum {self.item_id} was used for commitment {self.commitment_id}")
        why = self.intended.mismatch(person_id, impact, third_party)
        if why is not None:
            return Refusal("visum_mismatch", why)
        return None

    def used_for(self, commitment_id: uuid.UUID) -> Visum:
        return replace(self, commitment_id=commitment_id)

    def blocking(self, decision_id: uuid.UUID, impact: FinancialImpact) -> Visum:
        """Remember the first decision the refusal blocked, to commit it once overruled."""
        if self.blocked_decision_id is not None:
            return self
        return replace(self, blocked_decision_id=decision_id, blocked_impact=impact)


@dataclass(frozen=True)
class BudgetHolderDelegation:
    """A `budget_holder` delegation as received from hr (a revocation may arrive first)."""

    delegation_id: uuid.UUID
    to_person_id: str
    entity: LegalEntity | None
    """None while only the revocation is known."""
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    policy_field: str | None = None
    economic_account: str | None = None
    action: str | None = None
    max_amount: Decimal | None = None
    revoked_at: dt.datetime | None = None

    def refusal(  # noqa: PLR0911 - one early answer per rule, each with its own reason
        self,
        *,
        entity: LegalEntity,
        policy_field: str,
        economic_account: str,
        action: str | None,
        amount: Decimal,
        now: dt.datetime,
    ) -> str | None:
        """Why this delegation does not cover the commitment, or None when it does."""
        today = now.date()
        if self.entity is None or self.valid_from is None:
            return "is not granted"
        if self.revoked_at is not None and self.revoked_at <= now:
            return f"was revoked on {self.revoked_at:%Y-%m-%d}"
        if today < self.valid_from:
            return f"is valid only from {self.valid_from}"
        if self.valid_until is not None and today > self.valid_until:
            return f"expired on {self.valid_until}"
        if self.entity is not entity:
            return f"is for the {self.entity.value}, not the {entity.value}"
        if self.policy_field is not None and self.policy_field != policy_field:
            return f"covers policy field {self.policy_field}, not {policy_field}"
        if self.economic_account is not None and self.economic_account != economic_account:
            return f"covers account {self.economic_account}, not {economic_account}"
        if self.action is not None and self.action != (action or None):
            return f"covers action {self.action}, not {action or '-'}"
        if self.max_amount is not None and amount > self.max_amount:
            return f"allows at most {self.max_amount} per commitment, not {amount}"
        return None


def find_delegation(
    delegations: Iterable[BudgetHolderDelegation],
    *,
    person_id: str,
    entity: LegalEntity,
    policy_field: str,
    economic_account: str,
    action: str | None,
    amount: Decimal,
    now: dt.datetime,
) -> BudgetHolderDelegation:
    """The first delegation (by id) of `person_id` that covers the commitment; raises `no_valid_delegation`."""
    reasons: list[str] = []
    for delegation in sorted(delegations, key=lambda d: str(d.delegation_id)):
        why = delegation.refusal(
            entity=entity,
            policy_field=policy_field,
            economic_account=economic_account,
            action=action,
            amount=amount,
            now=now,
        )
        if why is None:
            return delegation
        reasons.append(f"delegation {delegation.delegation_id} {why}")
    detail = "; ".join(reasons) if reasons else "the person holds no budget-holder delegation"
    raise RuleViolation(
        "no_valid_delegation", f"{person_id}: no valid budget-holder delegation for this commitment: {detail}"
    )


class PaymentStatus(StrEnum):
    ORDERED = "ordered"
    PAID = "paid"


@dataclass(frozen=True)
class PaymentOrder:
    """A betaalopdracht against one commitment."""

    payment_order_id: uuid.UUID
    commitment_id: uuid.UUID
    entity: LegalEntity
    amount: Decimal
    ordered_by: str
    reference: str
    ordered_at: dt.datetime
    status: PaymentStatus = PaymentStatus.ORDERED
    paid_on: dt.date | None = None

    def pay(self, paid_on: dt.date) -> PaymentOrder:
        if self.status is PaymentStatus.PAID:
            raise RuleViolation("already_paid", f"payment order {self.payment_order_id} was paid on {self.paid_on}")
        return replace(self, status=PaymentStatus.PAID, paid_on=paid_on)


def order_payment(
    commitment: Commitment,
    amount: Decimal,
    *,
    ordered_by: str,
    reference: str,
    now: dt.datetime,
    payment_order_id: uuid.UUID | None = None,
) -> tuple[Commitment, PaymentOrder]:
    """Never more than committed minus what is already ordered."""
    if amount <= 0:
        raise RuleViolation("invalid_amount", f"a payment must be positive, not {amount}")
    if amount > commitment.orderable:
        raise RuleViolation(
            "payment_exceeds_commitment",
            f"{amount} exceeds the {commitment.orderable} still orderable on commitment {commitment.commitment_id}"
            f" ({commitment.amount} committed, {commitment.ordered} ordered)",
        )
    order = PaymentOrder(
        payment_order_id=payment_order_id or uuid.uuid4(),
        commitment_id=commitment.commitment_id,
        entity=commitment.entity,
        amount=amount,
        ordered_by=ordered_by,
        reference=reference,
        ordered_at=now,
    )
    return commitment.with_order(amount), order
