"""Payment orders (betaalopdrachten) against commitments, and their payment."""

from __future__ import annotations

from services.finance.domain import events
from services.finance.domain.commands import MarkPaid, OrderPayment
from services.finance.domain.control import PaymentStatus, order_payment
from services.finance.service_layer.ports import FinanceUnitOfWork
from shared.clock import Clock
from shared.kernel import Accepted, RuleViolation

__all__ = ["PaymentCommands"]


class PaymentCommands:
    """Order and pay; the commitment row is locked so concurrent orders never exceed it."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    async def order(self, uow: FinanceUnitOfWork, cmd: OrderPayment) -> Accepted:
        """Order a payment; never more than committed minus what is already ordered."""
        commitment = await uow.commitments.get(cmd.commitment_id, for_update=True)
        if commitment is None:
            raise RuleViolation("unknown_commitment", f"no commitment {cmd.commitment_id}")
        updated, order = order_payment(
            commitment, cmd.amount, ordered_by=cmd.ordered_by, reference=cmd.reference, now=self._clock()
        )
        await uow.commitments.update(updated)
        await uow.payments.add(order)
        uow.emit(
            events.PaymentOrdered(
                payment_order_id=order.payment_order_id,
                commitment_id=commitment.commitment_id,
                entity=commitment.entity,
                amount=order.amount,
                ordered_by=cmd.ordered_by,
                remaining_to_order=updated.orderable,
            )
        )
        return Accepted(ids={"payment_order_id": str(order.payment_order_id)})

    async def mark_paid(self, uow: FinanceUnitOfWork, cmd: MarkPaid) -> Accepted:
        """Record the payment of an order."""
        order = await uow.payments.get(cmd.payment_order_id, for_update=True)
        if order is None:
            raise RuleViolation("unknown_payment_order", f"no payment order {cmd.payment_order_id}")
        paid = order.pay(cmd.paid_on or self._clock().date())
        commitment = await uow.commitments.get(order.commitment_id, for_update=True)
        assert commitment is not None, "an order is against an existing commitment (FOREIGN KEY)"
        await uow.payments.update(paid)
        await uow.commitments.update(commitment.with_payment(order.amount))
        assert paid.paid_on is not None
        uow.emit(
            events.PaymentMade(
                payment_order_id=order.payment_order_id,
                commitment_id=order.commitment_id,
                entity=order.entity,
                amount=order.amount,
                paid_on=paid.paid_on,
            )
        )
        return Accepted(
            ids={"payment_order_id": str(order.payment_order_id)}, data={"status": PaymentStatus.PAID.value}
        )
