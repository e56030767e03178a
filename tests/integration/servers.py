"""The real servers the integration tier runs against, as the tests see them."""

from __future__ import annotations

from dataclasses import dataclass

import nats
from nats.aio.client import Client

from deploy.embedded import NatsProcess
from deploy.provision import ProvisionReport
from shared.topology import inbox_prefix

__all__ = ["TestNats"]


@dataclass
class TestNats:
    """The test server: URL, generated passwords, and a way to connect as any declared user."""

    __test__ = False  # not a test class, despite the name

    process: NatsProcess
    first_provision: ProvisionReport

    @property
    def url(self) -> str:
        return self.process.url

    @property
    def passwords(self) -> dict[str, str]:
        return self.process.passwords

    async def connect(self, user: str) -> Client:
        """A connection authenticated as `user`, with that user's private reply inbox."""
        return await nats.connect(
            self.url,
            user=user,
            password=self.passwords[user],
            inbox_prefix=inbox_prefix(user),
            connect_timeout=5,
            max_reconnect_attempts=0,
            allow_reconnect=False,
        )
