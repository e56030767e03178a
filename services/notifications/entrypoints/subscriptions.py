"""The registry of notifications: every subject it serves or consumes, bound to its handler."""

from __future__ import annotations

from services.notifications.adapters import translation
from services.notifications.service_layer import views
from services.notifications.service_layer.commands.subscriptions import SubscriptionCommands
from services.notifications.service_layer.reactions import NotificationReactions
from shared.contracts.finance import VisumOverruled
from shared.contracts.meetings import DecisionAdopted
from shared.contracts.notifications import (
    AddSubscription,
    ListDeliveries,
    ListInbox,
    ListSubscriptions,
    RemoveSubscription,
    ResendDeliveries,
    TestSubscription,
)
from shared.contracts.organisation import MandateEnded, MandateStarted, MandateStatusChanged, TaskCreated
from shared.contracts.sessions import DocumentPublished
from shared.messaging.routes import Registry, command, reaction

__all__ = ["registry"]


def registry(reactions: NotificationReactions, subscriptions: SubscriptionCommands) -> Registry:
    """Every command, query and consumer of notifications."""
    return Registry(
        commands={
            AddSubscription: command(translation.add_subscription, subscriptions.add),
            RemoveSubscription: command(translation.remove_subscription, subscriptions.remove),
            TestSubscription: command(translation.test_subscription, subscriptions.test),
            ResendDeliveries: command(translation.resend_deliveries, subscriptions.resend),
        },
        queries={
            ListInbox: views.list_inbox,
            ListSubscriptions: views.list_subscriptions,
            ListDeliveries: views.list_deliveries,
        },
        consumers={
            "notifications_tasks": {
                TaskCreated: reaction(translation.notify_task_owner, reactions.notify_task_owner_and_announce)
            },
            "notifications_decisions": {
                DecisionAdopted: reaction(translation.announce_decision, reactions.announce),
                DocumentPublished: reaction(translation.announce_document, reactions.announce),
            },
            "notifications_mandates": {
                MandateStarted: reaction(translation.keep_seat, reactions.keep_seat),
                MandateStatusChanged: reaction(translation.change_seat_status, reactions.change_seat_status),
                MandateEnded: reaction(translation.end_seat, reactions.end_seat),
            },
            "notifications_overrulings": {
                VisumOverruled: reaction(translation.inform_council, reactions.inform_council)
            },
        },
    )
