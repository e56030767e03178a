"""The web console: server-rendered Dutch pages over the same commands and queries as the API.

Every page asks the services what to show, for the signed-in person, and every form sends a
command through the gateway's forwarder: the console shows what the services answer and refuses
what they refuse (a refusal is shown with its rejection code), so it re-implements no rule. The
live pages (tasks and inbox, an item's or a decision's tree, a district feed) listen to server-sent
events fed from NATS (`adapters/live.py`): told that something changed, they fetch their part again.

Forms post back with the session's CSRF token in a hidden field; after a command the browser is
sent back to the page with what happened (post, redirect, get).
"""

from __future__ import annotations

from services.gateway.entrypoints.console.base import PUBLIC
from services.gateway.entrypoints.console.live import _filter as _filter
from services.gateway.entrypoints.console.routes import add_console

__all__ = ["PUBLIC", "add_console"]
