"""The gateway's NATS registry is empty: it serves no command or query and binds no consumer.

It only sends: the HTTP routes in `api.py` forward each request to the service that owns it.
"""

from __future__ import annotations

from shared.messaging.routes import Registry

__all__ = ["registry"]


def registry() -> Registry:
    """Nothing to serve on NATS."""
    return Registry()
