"""The terms organisation works with: deadlines per task kind, escalation, the credit follow-up.

Each default says where it comes from. Most terms are the municipality's house rules (the decree
sets no term for carrying out a decision); a deployment overrides them field by field through
`OrganisationSettings` (`None` keeps the default written here).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from shared.vocabulary import FollowUpAction, FollowUpKind

__all__ = ["TaskPolicy"]


@dataclass(frozen=True)
class TaskPolicy:
    """Deadlines of follow-up tasks, when overdue tasks go up a level, and who resolves an exhausted credit."""

    execute_days: int = 30
    """Carrying out a decision: a month (house rule; the decree sets no term)."""
    notify_days: int = 5
    """Telling those concerned: a working week (house rule)."""
    report_days: int = 30
    """Reporting back on a decision: a month (house rule)."""
    sign_days: int = 10
    """Signing what was decided: ten days (house rule, in step with publication)."""
    publish_days: int = 10
    """Publishing a decision: within ten days (Decreet lokaal bestuur art. 287)."""
    escalate_again_after_days: int = 5
    """An overdue task goes up one more level after this many days without being done (house rule).

    The first escalation comes with the overdue mark; escalation stops at the algemeen directeur.
    """
    credit_follow_up_unit: str = "FIN"
    """The unit that resolves a decision whose credit no longer suffices: the financial service."""
    credit_follow_up_days: int = 10
    """Days to propose a budget change or an internal credit adjustment (house rule)."""
    publication_follow_up_unit: str | None = None
    """The unit (the secretariat) that gets the task when a publication term nears its end unmet; None: the
    organogram's root, the algemeen directeur's, who keeps the minutes and the register (DLB art. 287)."""

    def days(self, kind: FollowUpKind) -> int:
        """The default term of a task of `kind`."""
        return {
            FollowUpKind.EXECUTE: self.execute_days,
            FollowUpKind.NOTIFY: self.notify_days,
            FollowUpKind.REPORT: self.report_days,
            FollowUpKind.SIGN: self.sign_days,
            FollowUpKind.PUBLISH: self.publish_days,
        }[kind]

    def due(self, action: FollowUpAction, decided_on: dt.date) -> dt.date:
        """The action's own due date, else the default term from the decision date."""
        return action.due_date or decided_on + dt.timedelta(days=self.days(action.kind))

    def credit_follow_up(self, *, credit_key: str, amount: Decimal, available: Decimal, on: dt.date) -> FollowUpAction:
        """The task the financial service gets when a decision no longer fits its credit (found `on`)."""
        return FollowUpAction(
            action_id="credit-exhausted",
            kind=FollowUpKind.EXECUTE,
            description=(
                f"Krediet {credit_key} ontoereikend voor {amount} EUR (beschikbaar {available}):"
                " budgetwijziging of interne kredietaanpassing voorbereiden"
            ),
            unit_code=self.credit_follow_up_unit,
            due_date=on + dt.timedelta(days=self.credit_follow_up_days),
        )
