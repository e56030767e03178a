"""Command handlers of notifications: none yet.

Every inbox entry comes from another service's event (`reactions.py`); people only read their
inbox (`views.py`). Subscriptions, mail and webhooks will be commanded here.
"""
