"""organisation's handlers behind their routes, from the registry `entrypoints/subscriptions.py` builds.

Tests send the contracts, so each test also runs the translation; the clock stands still.
"""

from __future__ import annotations

import datetime as dt

from services.organisation.bootstrap import handlers_of
from services.organisation.domain.policy import TaskPolicy
from services.organisation.entrypoints.subscriptions import registry
from shared.clock import FixedClock
from shared.contracts import organisation as c
from shared.contracts.external import ExternalDeadlineLapsed, ExternalDeadlineOpened
from shared.contracts.finance import CreditExhausted
from shared.contracts.hr import DelegationGranted, DelegationRevoked, StaffAppointed, StaffDismissed
from shared.contracts.meetings import DecisionAdopted
from tests.actors import proven_route

#: The moment the unit tests run at, the day after the decisions of the tests were adopted.
NOW = dt.datetime(2026, 3, 3, 9, 0, tzinfo=dt.UTC)


class Routes:
    """organisation's own registry, built with one policy and one clock, its routes by name."""

    def __init__(self, policy: TaskPolicy | None = None, clock: FixedClock | None = None) -> None:
        self.clock = clock or FixedClock(NOW)
        handlers = handlers_of(policy or TaskPolicy(), self.clock)
        self.registry = reg = registry(handlers)
        self.views = handlers.views

        self.claim_task = proven_route(reg.commands[c.ClaimTask])
        self.complete_task = proven_route(reg.commands[c.CompleteTask])
        self.reassign_task = proven_route(reg.commands[c.ReassignTask])
        self.comment_task = proven_route(reg.commands[c.CommentTask])
        self.cancel_task = proven_route(reg.commands[c.CancelTask])
        self.scan_overdue = reg.commands[c.ScanOverdue]
        self.start_mandate = reg.commands[c.StartMandate]
        self.end_mandate = reg.commands[c.EndMandate]
        self.change_mandate_status = reg.commands[c.ChangeMandateStatus]
        self.draft_organogram = reg.commands[c.DraftOrganogram]
        self.apply_organogram = reg.commands[c.ApplyOrganogram]

        self.decision_adopted = reg.consumers["organisation_decisions"][DecisionAdopted]
        self.credit_exhausted = reg.consumers["organisation_credit"][CreditExhausted]
        self.external_deadline_opened = reg.consumers["organisation_external"][ExternalDeadlineOpened]
        self.external_deadline_lapsed = reg.consumers["organisation_external"][ExternalDeadlineLapsed]
        delegations = reg.consumers["organisation_delegations"]
        self.delegation_granted = delegations[DelegationGranted]
        self.delegation_revoked = delegations[DelegationRevoked]
        self.staff_appointed = delegations[StaffAppointed]
        self.staff_dismissed = delegations[StaffDismissed]
