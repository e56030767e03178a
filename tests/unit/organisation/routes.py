"""organisation's handlers behind their routes, as `entrypoints/subscriptions.py` binds them.

Tests send the contracts, so each test also runs the translation; the clock stands still.
"""

from __future__ import annotations

import datetime as dt

from services.organisation.adapters import translation
from services.organisation.domain.policy import TaskPolicy
from services.organisation.service_layer.commands.mandates import MandateCommands
from services.organisation.service_layer.commands.organogram import OrganogramCommands
from services.organisation.service_layer.commands.tasks import TaskCommands
from services.organisation.service_layer.reactions import OrganisationReactions
from services.organisation.service_layer.views import OrganisationViews
from shared.clock import FixedClock
from shared.messaging.routes import command, reaction

#: The moment the unit tests run at, the day after the decisions of the tests were adopted.
NOW = dt.datetime(2026, 3, 3, 9, 0, tzinfo=dt.UTC)


class Routes:
    """Every command, reaction and view of organisation, built with one policy and one clock."""

    def __init__(self, policy: TaskPolicy | None = None, clock: FixedClock | None = None) -> None:
        self.clock = clock or FixedClock(NOW)
        policy = policy or TaskPolicy()
        tasks = TaskCommands(policy, self.clock)
        mandates = MandateCommands()
        organogram = OrganogramCommands()
        reactions = OrganisationReactions(policy, self.clock)
        self.views = OrganisationViews(self.clock)

        self.claim_task = command(translation.claim_task, tasks.claim)
        self.complete_task = command(translation.complete_task, tasks.complete)
        self.reassign_task = command(translation.reassign_task, tasks.reassign)
        self.comment_task = command(translation.comment_task, tasks.comment)
        self.cancel_task = command(translation.cancel_task, tasks.cancel)
        self.scan_overdue = command(translation.scan_overdue, tasks.scan_overdue)
        self.start_mandate = command(translation.start_mandate, mandates.start)
        self.end_mandate = command(translation.end_mandate, mandates.end)
        self.change_mandate_status = command(translation.change_mandate_status, mandates.change_status)
        self.draft_organogram = command(translation.draft_organogram, organogram.draft)
        self.apply_organogram = command(translation.apply_organogram, organogram.apply)

        self.decision_adopted = reaction(translation.follow_up_decision, reactions.follow_up_decision)
        self.credit_exhausted = reaction(translation.follow_up_exhausted_credit, reactions.follow_up_exhausted_credit)
        self.delegation_granted = reaction(translation.record_delegation_granted, reactions.record_delegation_granted)
        self.delegation_revoked = reaction(translation.record_delegation_revoked, reactions.record_delegation_revoked)
        self.staff_appointed = reaction(translation.record_staff_appointed, reactions.record_staff_appointed)
        self.staff_dismissed = reaction(translation.record_staff_dismissed, reactions.record_staff_dismissed)
