"""Which BBC category, and which limitative total, an amount on an economic account counts in.

One table, `ACCOUNT_MAP`: an account prefix and a flow (expense or receipt) give the rubric of the
staat van het financieel evenwicht (schema M2) the amount belongs to, and the limitative total it
is checked against, if any. The longest matching prefix wins.

Sources (status markers as in the reference note, `/work/shared/reference/…` §3):

* **MB 26 June 2018** (ministerieel besluit tot bepaling van de modellen van de beleidsrapporten en
  de rekeningenstelsels, BBC), as amended by the MB of 8 December 2023 ("BBC 3.0"): its annex
  with the **rekeningenstelsel** (chart of accounts, class 0–7, BBC-specific) and the schemas M2
  (financieel evenwicht), M3 (kredieten) and T2 (economische aard). [S] for the instrument; the
  class details below are read from the schemas' rubrics as published in BBC-DR exports (e.g.
  "I.1.D Toegestane investeringssubsidies" = account 664 under "I.1 Investeringsuitgaven") [S3];
  account ranges not confirmed in the MB's own text are marked [K].
* **BVR BBC of 30 March 2018**: credits are limitative per entity at four totals (exploitatie-
  uitgaven, investeringsuitgaven, financieringsuitgaven voor toegestane leningen en
  betalingsuitstel, ontvangsten uit leningen en leasings) [S Lier, Maldegem]; debt repayments
  are financing expenses without a limitative credit; the balance norms are art. 16.

The table is the only place that knows account classes: the plan import, the budget check, the
commitment and the balance test all ask it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from shared.vocabulary import Flow

__all__ = [
    "ACCOUNT_MAP",
    "AccountRule",
    "Category",
    "CreditTotal",
    "classify",
    "total_of",
]


class CreditTotal(StrEnum):
    """The four limitative totals of BBC (BVR BBC; DOMAIN.md §5)."""

    OPERATING = "operating"
    INVESTMENT = "investment"
    FINANCING = "financing"
    """Financieringsuitgaven voor toegestane leningen en betalingsuitstel: nothing else of financing."""
    LOAN_RECEIPTS = "loan_receipts"
    """Ontvangsten uit leningen en leasings: a limit on borrowing, never a credit to spend."""


class Category(StrEnum):
    """The rubric of schema M2 (and the autofinancieringsmarge) an amount belongs to."""

    OPERATING = "operating"
    """Exploitatie: M2 rubric I; in the financieel draagvlak of the autofinancieringsmarge."""
    INVESTMENT = "investment"
    """Investeringen: M2 rubric II."""
    FINANCING = "financing"
    """Financiering: M2 rubric IV, other than the repayments below."""
    PERIODIC_REPAYMENT = "periodic_repayment"
    """Financiering, rubric IV: periodieke aflossingen van financiële schulden; with the repaid granted
    loans they make the netto periodieke aflossingen of the autofinancieringsmarge."""
    LOAN_REPAID = "loan_repaid"
    """Financiering, rubric IV: terugvordering van toegestane leningen (periodic, received)."""
    NOT_BUDGETARY = "not_budgetary"
    """No cash flow (depreciation, write-downs, provisions): in no rubric, and needs no credit."""


@dataclass(frozen=True)
class AccountRule:
    """One row of the table: what an amount on accounts starting with `prefix` is, in one flow."""

    prefix: str
    flow: Flow
    category: Category
    total: CreditTotal | None
    """The limitative total it is checked against; None when it needs no credit."""
    meaning: str
    source: str


_E, _R = Flow.EXPENSE, Flow.RECEIPT
_MB = "MB 26 June 2018, annex rekeningenstelsel"

#: The chart of accounts as finance reads it. Longest prefix first within a flow; `classify` sorts.
ACCOUNT_MAP: tuple[AccountRule, ...] = (
    # --- expenses -------------------------------------------------------------------------------
    AccountRule(
        "664", _E, Category.INVESTMENT, CreditTotal.INVESTMENT,
        "toegestane investeringssubsidies: an investment expense, though in class 6",
        f"{_MB}; schema M3/T2 rubric I.1.D 'Toegestane investeringssubsidies' (BBC-DR) [S3]",
    ),
    AccountRule(
        "63", _E, Category.NOT_BUDGETARY, None,
        "afschrijvingen, waardeverminderingen en voorzieningen: no cash flow, no credit",
        f"{_MB}, class 63 [K]; BVR BBC: credits cover expenses (uitgaven), which these are not [S]",
    ),
    AccountRule(
        "6", _E, Category.OPERATING, CreditTotal.OPERATING,
        "kosten: exploitatie-uitgaven (61 werkingskosten, 62 personeel, 64 andere, 65 financiële kosten)",
        f"{_MB}, class 6 [S vvsg]; BVR BBC: limitative total exploitatie-uitgaven [S Lier]",
    ),
    AccountRule(
        "29", _E, Category.FINANCING, CreditTotal.FINANCING,
        "toegestane leningen en betalingsuitstel (vorderingen op meer dan één jaar)",
        f"{_MB}, class 29 [K]; BVR BBC: limitative total financieringsuitgaven voor toegestane leningen"
        " en betalingsuitstel [S Lier]",
    ),
    AccountRule(
        "2", _E, Category.INVESTMENT, CreditTotal.INVESTMENT,
        "vaste activa (20–28): investeringsuitgaven",
        f"{_MB}, class 2 [S vvsg]; schema M3/T2 rubrics I.1.A–C [S3]; limitative total investeringsuitgaven",
    ),
    AccountRule(
        "42", _E, Category.PERIODIC_REPAYMENT, None,
        "schulden op meer dan één jaar die binnen het jaar vervallen: periodieke aflossing, no credit",
        f"{_MB}, class 42 [K]; BVR BBC: repayments are financing expenses outside the limitative totals [S]",
    ),
    AccountRule(
        "17", _E, Category.FINANCING, None,
        "schulden op meer dan één jaar: a non-periodic repayment (early, refinancing), no credit",
        f"{_MB}, class 17 [K]; BVR BBC: repayments never consume the loan-receipts total [S]",
    ),
    # --- receipts -------------------------------------------------------------------------------
    AccountRule(
        "17", _R, Category.FINANCING, CreditTotal.LOAN_RECEIPTS,
        "op te nemen leningen en leasings: a receipt within the limitative loan-receipts total",
        f"{_MB}, class 17 [K]; BVR BBC: limitative total ontvangsten uit leningen en leasings [S Lier]",
    ),
    AccountRule(
        "15", _R, Category.INVESTMENT, None,
        "investeringssubsidies en -schenkingen ontvangen: an investment receipt",
        f"{_MB}, class 15 [K]; schema M2 rubric II.B [K]",
    ),
    AccountRule(
        "29", _R, Category.LOAN_REPAID, None,
        "terugvordering van toegestane leningen en betalingsuitstel: a financing receipt",
        f"{_MB}, class 29 [K]; netto periodieke aflossingen (lokaalbestuur.vlaanderen.be begrippenlijst) [S]",
    ),
    AccountRule(
        "2", _R, Category.INVESTMENT, None,
        "verkoop van vaste activa: an investment receipt",
        f"{_MB}, class 2 [K]; schema M2 rubric II.B [K]",
    ),
    AccountRule(
        "7", _R, Category.OPERATING, None,
        "opbrengsten: exploitatie-ontvangsten (70 omzet, 73 belastingen, 74 werkingssubsidies, 75 financiële)",
        f"{_MB}, class 7 [S vvsg]; receipts are estimates, never credits to spend [S lokaalbestuur FAQ]",
    ),
)  # fmt: skip

_BY_LENGTH = sorted(ACCOUNT_MAP, key=lambda rule: -len(rule.prefix))


def classify(economic_account: str, flow: Flow) -> AccountRule | None:
    """The row an amount on this account in this flow falls under; None when the plan has no place for it
    (a balance account such as 40 or 55, an expense on class 7, a receipt on class 6)."""
    for rule in _BY_LENGTH:
        if rule.flow is flow and economic_account.startswith(rule.prefix):
            return rule
    return None


def total_of(economic_account: str, flow: Flow = Flow.EXPENSE) -> CreditTotal | None:
    """The limitative total an amount counts against, or None when it needs no credit."""
    rule = classify(economic_account, flow)
    return rule.total if rule is not None else None
