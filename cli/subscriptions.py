"""`rw subscriptions …`: who hears of what outside the back office; failed deliveries and resends."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from cli.acting import acting
from cli.connection import NotRunningError, connect, load_run_info
from cli.tasks import send
from shared.contracts.base import Confidentiality, LegalEntity
from shared.contracts.common import BodyKind
from shared.contracts.notifications import (
    AddSubscription,
    Channel,
    DeliveryStatus,
    ListDeliveries,
    ListDeliveriesReply,
    ListSubscriptions,
    ListSubscriptionsReply,
    RemoveSubscription,
    ResendDeliveries,
    TestSubscription,
)
from shared.messaging.commands import send_query
from shared.messaging.errors import Rejected

__all__ = ["app"]

app = typer.Typer(help="Subscriptions: inboxes, mailboxes, webhooks, districts.", no_args_is_help=True)
console = Console()


def _ask_subscriptions(channel: Channel | None) -> ListSubscriptionsReply:
    async def main() -> ListSubscriptionsReply:
        nc = await connect(load_run_info())
        try:
            query = ListSubscriptions(command_id=uuid.uuid4().hex, channel=channel)
            return await send_query(nc, query, ListSubscriptionsReply, actor=acting(), source="/raderwerk/cli")
        finally:
            await nc.close()

    try:
        return asyncio.run(main())
    except (NotRunningError, Rejected) as exc:
        console.print(f"[red]{escape(str(exc))}[/]")
        raise typer.Exit(1) from exc


@app.command("list")
def list_subscriptions(channel: Annotated[Channel | None, typer.Option(help="Only this channel.")] = None) -> None:
    """The active subscriptions with their filters (never their secrets)."""
    reply = _ask_subscriptions(channel)
    table = Table(title="Subscriptions")
    for column in ("id", "channel", "target", "filter", "clearance", "thin"):
        table.add_column(column)
    for s in reply.subscriptions:
        parts = [*s.event_types]
        parts += [
            f"{k}={v}"
            for k, v in (
                ("entity", s.entity),
                ("body", s.body),
                ("beleidsveld", s.policy_field),
                ("district", s.district),
            )
            if v
        ]
        table.add_row(
            str(s.subscription_id),
            s.channel.value,
            escape(s.target),
            escape(", ".join(str(p) for p in parts) or "everything"),
            ", ".join(c.value for c in s.clearance),
            "yes" if s.thin else "",
        )
    console.print(table)


@app.command("add")
def add(  # noqa: PLR0917 - one option per part of the filter
    channel: Annotated[Channel, typer.Argument(help="inbox, email, webhook or district.")],
    target: Annotated[str, typer.Argument(help="Person id, e-mail address, URL or district id.")],
    event: Annotated[
        list[str] | None, typer.Option("--event", help="Subject pattern, e.g. meetings.decision.>")
    ] = None,
    entity: Annotated[LegalEntity | None, typer.Option(help="Only this entity.")] = None,
    body: Annotated[BodyKind | None, typer.Option(help="Only this body.")] = None,
    policy_field: Annotated[str | None, typer.Option("--beleidsveld", help="Only this policy field.")] = None,
    district: Annotated[str | None, typer.Option(help="Only what concerns this district.")] = None,
    clearance: Annotated[list[Confidentiality] | None, typer.Option(help="closed and/or social, if entitled.")] = None,
    thin: Annotated[bool, typer.Option(help="Type, id and link only.")] = False,
    owner_email: Annotated[str | None, typer.Option(help="Told when a webhook delivery finally fails.")] = None,
) -> None:
    """Add a subscription; a webhook's signing secret is shown once."""
    reply = send(
        lambda cid: AddSubscription(
            command_id=cid,
            channel=channel,
            target=target,
            event_types=tuple(event or ()),
            entity=entity,
            body=body,
            policy_field=policy_field,
            district=district,
            clearance=(Confidentiality.PUBLIC, *(clearance or ())),
            thin=thin,
            owner_email=owner_email,
        )
    )
    console.print(f"subscription {reply.ids['subscription_id']}")
    if reply.data.get("secret"):
        console.print(f"signing secret (shown once): [bold]{reply.data['secret']}[/]")


@app.command("remove")
def remove(subscription_id: Annotated[uuid.UUID, typer.Argument()]) -> None:
    """End a subscription."""
    send(lambda cid: RemoveSubscription(command_id=cid, subscription_id=subscription_id))
    console.print(f"removed {subscription_id}")


@app.command("test")
def test(subscription_id: Annotated[uuid.UUID, typer.Argument()]) -> None:
    """Send a test message through a subscription now."""
    reply = send(lambda cid: TestSubscription(command_id=cid, subscription_id=subscription_id))
    console.print(f"test message queued: {reply.ids.get('delivery_id', '-')}")


@app.command("failed")
def failed(subscription_id: Annotated[uuid.UUID | None, typer.Option(help="Only this subscription.")] = None) -> None:
    """The dead-letter list: deliveries whose every try failed, with the last reason."""

    async def main() -> ListDeliveriesReply:
        nc = await connect(load_run_info())
        try:
            query = ListDeliveries(
                command_id=uuid.uuid4().hex, status=DeliveryStatus.DEAD, subscription_id=subscription_id
            )
            return await send_query(nc, query, ListDeliveriesReply, actor=acting(), source="/raderwerk/cli")
        finally:
            await nc.close()

    try:
        reply = asyncio.run(main())
    except (NotRunningError, Rejected) as exc:
        console.print(f"[red]{escape(str(exc))}[/]")
        raise typer.Exit(1) from exc
    table = Table(title="Failed deliveries")
    for column in ("delivery", "channel", "target", "event", "tries", "reason", "since"):
        table.add_column(column)
    for d in reply.deliveries:
        table.add_row(
            str(d.delivery_id),
            d.channel.value,
            escape(d.target),
            d.event_id,
            str(d.attempts),
            escape(d.last_error or ""),
            d.created_at.isoformat(),
        )
    console.print(table)


@app.command("resend")
def resend(
    delivery_id: Annotated[uuid.UUID | None, typer.Argument(help="One failed delivery.")] = None,
    since: Annotated[dt.datetime | None, typer.Option(help="Every failed delivery since this time.")] = None,
    subscription_id: Annotated[uuid.UUID | None, typer.Option(help="With --since: only this subscription's.")] = None,
) -> None:
    """Send failed deliveries again, with a full schedule of tries."""
    if since is not None and since.tzinfo is None:
        since = since.replace(tzinfo=dt.UTC)
    reply = send(
        lambda cid: ResendDeliveries(
            command_id=cid, delivery_id=delivery_id, since=since, subscription_id=subscription_id
        )
    )
    console.print(f"resent {reply.data.get('resent', 0)}")
