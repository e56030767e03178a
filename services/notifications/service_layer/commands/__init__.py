"""Command handlers of notifications: subscriptions (`subscriptions.py`).

Inbox entries, district feeds, mail and webhooks come from other services' events
(`reactions.py`); the delivery of mail and webhooks runs in `deliveries.py`.
"""
