"""Visum, budget-holder delegations and payment orders: who may commit and pay, and how much."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum

from services.finance.domain.model import Commitment, CreditRuleError, CreditTotal, total_of_account
from shared.contracts.base import LegalEntity
from shared.contracts.common import BodyKind

__all__ = [
    "BudgetHolderDelegation",
    "FinancePolicy",
    "PaymentOrder",
    "PaymentStatus",
    "Visum",
    "VisumStatus",
    "find_delegation",
    "order_payment",
]


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class FinancePolicy:
    """The council's configurable rules (DOMAIN.md: [K] facts are policy, with defaults)."""

    financial_director: str = "p-fd"
    """Person id of the financial director: the only one who grants or refuses a visum."""
    visum_exempt_below: Decimal = Decimal("15000.00")
    """Commitments strictly below this amount (excl. VAT) need no visum."""
    visum_exempt_accounts: tuple[str, ...] = ()
    """Economic account prefixes exempt from the visum (e.g. `62` personnel costs)."""
    visum_exempt_kinds: tuple[str, ...] = ()
    """Decision kinds exempt from the visum (e.g. `appointment`)."""
    clock: Callable[[], dt.datetime] = field(default=_utcnow)
    """Now, in UTC; injected by tests."""

    def now(self) -> dt.datetime:
        return self.clock()

    def today(self) -> dt.date:
        return self.clock().date()

    def visum_required(self, *, amount: Decimal, economic_account: str, kind: str) -> bool:
        """A visum is needed for an outgoing commitment unless the council exempted it."""
        if total_of_account(economic_account) is CreditTotal.LOAN_RECEIPTS:
            return False  # a receipt, not a net outgoing cash flow
        if amount < self.visum_exempt_below:
            return False
        if any(economic_account.startswith(p) for p in self.visum_exempt_accounts):
            return False
        return kind not in self.visum_exempt_kinds


class VisumStatus(StrEnum):
    REQUESTED = "requested"
    GRANTED = "granted"
    REFUSED = "refused"
    OVERRULED = "overruled"


@dataclass(frozen=True)
class Visum:
    """The financial director's check of one proposed item."""

    visum_id: uuid.UUID
    item_id: uuid.UUID
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
    blocked_impact: str | None = None
    """That decision's financial impact (contract JSON)."""

    def _decide(self, person_id: str, policy: FinancePolicy) -> None:
        if person_id != policy.financial_director:
            raise CreditRuleError(
                "not_financial_director", f"only the financial director gives a visum, not {person_id}"
            )
        if self.status is not VisumStatus.REQUESTED:
            raise CreditRuleError("visum_already_given", f"the visum on item {self.item_id} is {self.status.value}")

    def grant(self, person_id: str, conditions: tuple[str, ...], policy: FinancePolicy) -> Visum:
        self._decide(person_id, policy)
        return replace(
            self, status=VisumStatus.GRANTED, conditions=conditions, decided_by=person_id, decided_at=policy.now()
        )

    def refuse(self, person_id: str, reasons: tuple[str, ...], policy: FinancePolicy) -> Visum:
        self._decide(person_id, policy)
        if not any(r.strip() for r in reasons):
            raise CreditRuleError("reasons_required", "a refused visum must give its reasons")
        return replace(self, status=VisumStatus.REFUSED, reasons=reasons, decided_by=person_id, decided_at=policy.now())

    def overrule(self, decision_id: uuid.UUID, body: BodyKind, entity: LegalEntity, now: dt.datetime) -> Visum:
        """Only the college (gemeente) or vast bureau (ocmw) overrules, and only a refusal."""
        expected = BodyKind.COLLEGE if self.entity is LegalEntity.GEMEENTE else BodyKind.VAST_BUREAU
        if body is not expected or entity is not self.entity:
            raise CreditRuleError(
                "overruling_not_executive", f"only the {expected.value} overrules a {self.entity.value} visum"
            )
        if self.status is not VisumStatus.REFUSED:
            raise CreditRuleError("visum_not_refused", f"the visum on item {self.item_id} is {self.status.value}")
        return replace(
            self,
            status=VisumStatus.OVERRULED,
            overruling_decision_id=decision_id,
            overruled_by_body=body,
            overruled_at=now,
        )

    @property
    def blocks_commitment(self) -> bool:
        return self.status is VisumStatus.REFUSED


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
    entity: LegalEntity,
    policy_field: str,
    economic_account: str,
    action: str | None,
    amount: Decimal,
    now: dt.datetime,
) -> BudgetHolderDelegation:
    """The first delegation (by id) that covers the commitment; raises `no_valid_delegation`."""
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
    raise CreditRuleError("no_valid_delegation", f"no valid budget-holder delegation for this commitment: {detail}")


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
            raise CreditRuleError("already_paid", f"payment order {self.payment_order_id} was paid on {self.paid_on}")
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
        raise CreditRuleError("invalid_amount", f"a payment must be positive, not {amount}")
    if amount > commitment.orderable:
        raise CreditRuleError(
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
    return replace(commitment, ordered=commitment.ordered + amount), order
