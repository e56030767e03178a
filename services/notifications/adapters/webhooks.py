"""Webhook calls after the Standard Webhooks convention (https://www.standardwebhooks.com/).

Headers `webhook-id` (the same on every try, so a receiver drops duplicates), `webhook-timestamp`
(Unix seconds) and `webhook-signature`: `v1,` and the base64 of HMAC-SHA256 over
`<id>.<timestamp>.<body>` with the subscription's secret (`whsec_` + base64 of the key).
Written here from the specification; the tests verify it with the `standardwebhooks` package.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

import httpx

from services.notifications.service_layer.ports import SendFailed
from shared.clock import Clock

__all__ = ["HttpWebhookSender", "sign"]

_PREFIX = "whsec_"


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` value for one call."""
    key = base64.b64decode(secret.removeprefix(_PREFIX))
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


class HttpWebhookSender:
    """POSTs signed JSON; anything but a 2xx answer (or no answer within the timeout) is a failure."""

    def __init__(self, clock: Clock, timeout_s: float = 10.0) -> None:
        self._clock = clock
        self._timeout = timeout_s

    async def send(self, url: str, secret: str, message_id: str, body: bytes) -> None:
        timestamp = int(self._clock().timestamp())
        headers = {
            "content-type": "application/json",
            "webhook-id": message_id,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": sign(secret, message_id, timestamp, body),
            "user-agent": "Raderwerk-Webhooks/1",
        }
        try:
            async with httpx.AsyncClient(timeout=self._timeout, follow_redirects=False) as client:
                response = await client.post(url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            raise SendFailed(f"{type(exc).__name__}: {exc}") from exc
        if not 200 <= response.status_code < 300:
            raise SendFailed(f"HTTP {response.status_code}: {response.text[:200]}")
