"""The council's visum rules: the law's defaults, which a deployment may override in settings."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from services.finance.domain.accounts import Category, classify
from shared.vocabulary import Flow

__all__ = ["FinancePolicy"]


@dataclass(frozen=True)
class FinancePolicy:
    """Who gives the visum and which commitments need one (DOMAIN.md §5; [K] facts are policy).

    `financial_director` is deployment data and has no default; the exemptions default to what
    the decree leaves when the council decided nothing more, and `bootstrap.py` overrides them
    from settings field by field.
    """

    financial_director: str
    """Person id of the financial director: the only one who grants or refuses a visum (DOMAIN.md §5)."""
    visum_exempt_below: Decimal = Decimal("15000.00")
    """Commitments strictly below this amount (excl. VAT) need no visum. The council exempts
    categories, e.g. below an amount (DOMAIN.md §5); 15 000.00 holds until it sets its own."""
    visum_exempt_accounts: tuple[str, ...] = ()
    """Economic account prefixes the council exempted from the visum (e.g. `62` personnel costs)."""
    visum_exempt_kinds: tuple[str, ...] = ()
    """Decision kinds the council exempted from the visum (e.g. `appointment`); a budget holder's
    commitment is of kind `budget_holder`."""
    balance_per_entity: bool = False
    """Test the financial balance for each entity on its own instead of the integrated plan of both.
    The councils adopt one integrated plan and the gemeente bears the OCMW's consequences, so the
    integrated test is the default [K]."""

    def visum_required(self, *, amount: Decimal, economic_account: str, kind: str, flow: Flow = Flow.EXPENSE) -> bool:
        """A visum is needed for a commitment with a net outgoing cash flow unless the council exempted it."""
        rule = classify(economic_account, flow)
        if flow is Flow.RECEIPT or rule is None or rule.category is Category.NOT_BUDGETARY:
            return False  # a receipt, or no cash flow at all
        if amount < self.visum_exempt_below:
            return False
        if any(economic_account.startswith(p) for p in self.visum_exempt_accounts):
            return False
        return kind not in self.visum_exempt_kinds
