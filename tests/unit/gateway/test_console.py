"""The console's pages over fakes: sign-in, what the services answer, forms with CSRF, refusals, live changes."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

import httpx

from services.gateway.adapters.live import Change, LiveHub
from services.gateway.domain.model import GatewayPolicy, Principal
from services.gateway.entrypoints.api import ApiConfig, create_app
from services.gateway.entrypoints.console import _filter, add_console
from services.gateway.service_layer.access import Access
from shared.clock import FixedClock
from shared.contracts.base import Command, Query, QueryReply
from shared.contracts.common import CommandReply, CommandStatus
from shared.contracts.finance import GetVisumReport, GetVisumReportReply, GrantVisum, VisumCounts, VisumLine
from shared.contracts.meetings import ProposeAgendaItem
from shared.contracts.notifications import InboxLine, ListInbox, ListInboxReply
from shared.contracts.organisation import ClaimTask, ListTasks, ListTasksReply, TaskLine, TaskStatus
from shared.contracts.sessions import (
    GetItemHistory,
    GetItemHistoryReply,
    ListPublishedDocuments,
    ListPublishedDocumentsReply,
    PublishedDocumentLine,
)
from shared.messaging.errors import Rejected
from shared.vocabulary import BodyKind, Confidentiality, FollowUpKind, LegalEntity
from tests.unit.gateway.fakes import FakeGatewayStore, FakeGatewayUnitOfWork, FakeHasher

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
ITEM = uuid.uuid4()
TASK = uuid.uuid4()
MEETING = uuid.uuid4()
DOCUMENT = uuid.uuid4()


@dataclass
class ServicesFake:
    """Answers each query with the reply stored for its type; accepts every command; remembers both."""

    replies: dict[type[Query], QueryReply | Rejected] = field(default_factory=dict)
    sent: list[tuple[Command, Principal]] = field(default_factory=list)

    async def command(self, command: Command, principal: Principal) -> CommandReply:
        self.sent.append((command, principal))
        ids = {"item_id": str(ITEM)} if isinstance(command, ProposeAgendaItem) else {}
        return CommandReply(command_id=command.command_id, status=CommandStatus.ACCEPTED, ids=ids)

    async def query(self, query: Query, principal: Principal) -> QueryReply:
        self.sent.append((query, principal))
        answer = self.replies.get(type(query))
        if answer is None:
            raise Rejected("unknown_thing", f"the fake has no {type(query).__name__}")
        if isinstance(answer, Rejected):
            raise answer
        return answer

    def commands(self) -> list[tuple[Command, Principal]]:
        return [(c, p) for c, p in self.sent if not isinstance(c, Query)]


@dataclass
class Console:
    access: Access
    services: ServicesFake
    client: httpx.AsyncClient


def console(live: LiveHub | None = None) -> Console:
    store = FakeGatewayStore()
    access = Access(
        lambda: FakeGatewayUnitOfWork(store), FixedClock(NOW), FakeHasher(), GatewayPolicy(), local_accounts=True
    )
    services = ServicesFake()
    config = ApiConfig(cookie_secure=True, state_secret="test-state-secret")
    app = create_app(access, services, config)
    add_console(app, access, services, config, FixedClock(NOW), live=live)
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://gateway.test")
    return Console(access, services, client)


async def _sign_in(c: Console, person: str = "p-secr") -> str:
    await c.access.keep_account(person, person, "Fien Wouters", "pw")
    answer = await c.client.post(
        "/console/aanmelden", data={"gebruikersnaam": person, "wachtwoord": "pw", "volgende": "/console/taken"}
    )
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == "/console/taken"
    return c.client.cookies["rw_csrf"]


def _task(status: TaskStatus = TaskStatus.OPEN) -> TaskLine:
    return TaskLine(
        task_id=TASK,
        decision_id=uuid.uuid4(),
        action_id="a1",
        kind=FollowUpKind.NOTIFY,
        title="Inschrijvers op de hoogte brengen",
        entity=LegalEntity.GEMEENTE,
        unit_code="SECR",
        owner_person_id="p-secr",
        owner_name="Fien Wouters",
        due_date=dt.date(2026, 12, 15),
        status=status,
        escalation_level=0,
        claimed_by=None,
        delegation_id=None,
    )


async def test_a_signed_out_visitor_is_sent_to_sign_in_and_back_afterwards() -> None:
    c = console()
    answer = await c.client.get("/console/taken")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/console/aanmelden?volgende=%2Fconsole%2Ftaken"
    page = await c.client.get(answer.headers["location"])
    assert page.status_code == 200
    assert page.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert '<label for="gebruikersnaam">Gebruikersnaam</label>' in page.text
    assert '<label for="wachtwoord">Wachtwoord</label>' in page.text
    assert 'name="volgende" value="/console/taken"' in page.text
    await _sign_in(c)


async def test_a_wrong_password_shows_the_form_again_with_the_reason() -> None:
    c = console()
    await c.access.keep_account("p-secr", "p-secr", "Fien Wouters", "pw")
    answer = await c.client.post("/console/aanmelden", data={"gebruikersnaam": "p-secr", "wachtwoord": "nee"})
    assert answer.status_code == 401
    assert "Onbekende gebruikersnaam of fout wachtwoord." in answer.text
    assert "rw_session" not in c.client.cookies


async def test_sign_in_never_sends_the_browser_to_another_site() -> None:
    c = console()
    await c.access.keep_account("p-secr", "p-secr", "Fien Wouters", "pw")
    answer = await c.client.post(
        "/console/aanmelden", data={"gebruikersnaam": "p-secr", "wachtwoord": "pw", "volgende": "//evil.example/x"}
    )
    assert answer.headers["location"] == "/console"


async def test_my_tasks_and_inbox_are_what_the_services_answer_for_me() -> None:
    c = console()
    c.services.replies[ListTasks] = ListTasksReply(command_id="q", tasks=(_task(),))
    entry = InboxLine(entry_id=uuid.uuid4(), title="Nieuwe taak", about=f"task:{TASK}", created_at=NOW, read=False)
    c.services.replies[ListInbox] = ListInboxReply(command_id="q", person_id="p-secr", entries=(entry,))
    await _sign_in(c)
    page = await c.client.get("/console/taken")
    assert page.status_code == 200, page.text
    assert "<h1>Mijn taken en inbox</h1>" in page.text
    assert "Inschrijvers op de hoogte brengen" in page.text
    assert "Nieuwe taak" in page.text
    asked = [q for q, _ in c.services.sent if isinstance(q, ListTasks | ListInbox)]
    assert {type(q): getattr(q, "owner_person_id", None) or getattr(q, "person_id", None) for q in asked} == {
        ListTasks: "p-secr",
        ListInbox: "p-secr",
    }
    part = await c.client.get("/console/taken/lijst")
    assert "<html" not in part.text
    assert "Inschrijvers op de hoogte brengen" in part.text


async def test_a_form_without_the_sessions_csrf_token_sends_nothing() -> None:
    c = console()
    csrf = await _sign_in(c)
    refused = await c.client.post(f"/console/taken/{TASK}/opnemen", data={"csrf_token": "x" + csrf})
    assert refused.status_code == 403
    assert c.services.commands() == []
    claimed = await c.client.post(f"/console/taken/{TASK}/opnemen", data={"csrf_token": csrf})
    assert claimed.status_code == 303
    assert claimed.headers["location"].startswith("/console/taken?ok=")
    ((command, principal),) = c.services.commands()
    assert isinstance(command, ClaimTask)
    assert (command.task_id, principal.person_id) == (TASK, "p-secr")


async def test_a_form_posted_without_a_session_is_refused() -> None:
    c = console()
    answer = await c.client.post(f"/console/taken/{TASK}/afronden", data={"csrf_token": "x"})
    assert answer.status_code == 401
    assert c.services.sent == []


async def test_the_financial_director_grants_a_pending_visum() -> None:
    c = console()
    line = VisumLine(
        visum_id=uuid.uuid4(),
        item_id=ITEM,
        entity=LegalEntity.GEMEENTE,
        credit_key="gemeente/2026/6140000/0119/AC-1.1.1",
        amount=Decimal("18500.00"),
        status="requested",
        conditions=(),
        reasons=(),
        decided_by=None,
        decided_at=None,
        overruled_by=None,
        overruling_decision_id=None,
    )
    from shared.contracts.finance import GetCreditUse, GetCreditUseReply

    c.services.replies[GetCreditUse] = GetCreditUseReply(command_id="q", credits=())
    c.services.replies[GetVisumReport] = GetVisumReportReply(
        command_id="q", visums=(line,), summary=VisumCounts(requested=1, granted=0, refused=0, overruled=0)
    )
    csrf = await _sign_in(c, "p-fd")
    page = await c.client.get("/console/financien")
    assert page.status_code == 200, page.text
    assert "<h2>Visa te geven</h2>" in page.text
    assert "€ 18.500,00" in page.text
    granted = await c.client.post(
        f"/console/financien/visum/{ITEM}/verlenen", data={"csrf_token": csrf, "voorwaarden": "Bestelbon per fase\n"}
    )
    assert granted.status_code == 303
    ((command, principal),) = c.services.commands()
    assert isinstance(command, GrantVisum)
    assert (command.item_id, principal.person_id, command.conditions) == (ITEM, "p-fd", ("Bestelbon per fase",))


async def test_an_item_the_service_restricts_is_not_shown() -> None:
    c = console()
    c.services.replies[GetItemHistory] = GetItemHistoryReply(
        command_id="q",
        item_id=ITEM,
        body=BodyKind.BCSD,
        confidentiality=Confidentiality.SOCIAL,
        restricted=True,
        title=None,
        item_status="proposed",
        steps=(),
    )
    await _sign_in(c, "m-13")
    page = await c.client.get(f"/console/punten/{ITEM}")
    assert page.status_code == 403
    assert "<h1>Geen toegang</h1>" in page.text
    asked_by = next(p for q, p in c.services.sent if isinstance(q, GetItemHistory))
    assert asked_by.person_id == "m-13"


async def test_a_refused_query_shows_its_rejection_code() -> None:
    c = console()
    c.services.replies[ListTasks] = Rejected("forbidden", "not yours")
    await _sign_in(c)
    page = await c.client.get("/console/taken")
    assert page.status_code == 403
    assert "<code>forbidden</code>" in page.text


async def test_the_proposal_form_sends_the_item_with_its_financial_impact() -> None:
    c = console()
    csrf = await _sign_in(c, "p-ruimte")
    form = {
        "csrf_token": csrf,
        "orgaan": "college",
        "titel": "Onderhoud speelpleinen",
        "rechtsgrond": "Decreet lokaal bestuur art. 56",
        "bedrag": "18500,00",
        "rekening": "6140000",
        "beleidsveld": "0119",
        "actie": "AC-1.1.1",
        "boekjaar": "2026",
        "opvolging": "Inschrijvers verwittigen",
        "dienst": "SECR",
    }
    answer = await c.client.post("/console/voorstellen", data=form)
    assert answer.status_code == 303, answer.text
    ((command, principal),) = c.services.commands()
    assert isinstance(command, ProposeAgendaItem)
    assert answer.headers["location"].startswith(f"/console/punten/{ITEM}?c={command.command_id}")
    assert principal.person_id == "p-ruimte"
    assert command.financial_impact is not None
    assert command.financial_impact.amount == Decimal("18500.00")
    assert [a.unit_code for a in command.follow_up_actions] == ["SECR"]
    bad = await c.client.post("/console/voorstellen", data=form | {"bedrag": "veel"})
    assert "invalid_command" in bad.headers["location"]
    assert len(c.services.commands()) == 1


async def test_a_published_document_opens_at_its_public_address_without_sign_in() -> None:
    c = console()
    doc = PublishedDocumentLine(
        seq=1,
        document_id=DOCUMENT,
        kind="decision_list",
        decision_id=None,
        title="Besluitenlijst college",
        content_hash="a" * 64,
        register_hash="b" * 64,
        published_at=NOW,
        html="<!doctype html><html lang='nl'><body><h1>Besluitenlijst</h1></body></html>",
    )
    c.services.replies[ListPublishedDocuments] = ListPublishedDocumentsReply(command_id="q", documents=(doc,))
    listing = await c.client.get(f"/publicaties/{MEETING}")
    assert listing.status_code == 200
    assert f'href="/publicaties/{MEETING}/{DOCUMENT}"' in listing.text
    page = await c.client.get(f"/publicaties/{MEETING}/{DOCUMENT}")
    assert page.status_code == 200
    assert "script-src" not in page.headers["content-security-policy"]
    assert page.headers["content-security-policy"].startswith("default-src 'none'")
    assert "<h1>Besluitenlijst</h1>" in page.text
    assert (await c.client.get(f"/publicaties/{MEETING}/{uuid.uuid4()}")).status_code == 404
    assert (await c.client.get("/publicaties/not-a-meeting")).status_code == 404


async def test_every_signed_in_page_has_one_h1_and_labelled_fields() -> None:
    c = console()
    c.services.replies[ListTasks] = ListTasksReply(command_id="q", tasks=(_task(),))
    c.services.replies[ListInbox] = ListInboxReply(command_id="q", person_id="p-secr", entries=())
    await _sign_in(c)
    for path in ("/console", "/console/taken", "/console/audit", "/console/districten/noord"):
        page = await c.client.get(path)
        assert page.status_code == 200, (path, page.text)
        assert len(re.findall(r"<h1[ >]", page.text)) == 1, path
        for field_id in re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', page.text):
            assert f'for="{field_id}"' in page.text, (path, field_id)


def test_the_task_channel_takes_only_changes_that_name_me() -> None:
    who = Principal("p-secr", __import__("services.gateway.domain.model", fromlist=["Via"]).Via.LOCAL)
    wanted = _filter("taken", "", who)
    assert wanted is not None
    assert wanted(Change("organisation.task.created", "c", {"owner_person_id": "p-secr"}))
    assert not wanted(Change("organisation.task.created", "c", {"owner_person_id": "p-fin"}))
    assert wanted(Change("notifications.inbox_entry.created", "c", {"person_id": "p-secr"}))
    assert not wanted(Change("finance.visum.granted", "c", {"person_id": "p-secr"}))
    tree = _filter("boom", "corr-1", who)
    assert tree is not None
    assert tree(Change("finance.visum.granted", "corr-1", {}))
    assert not tree(Change("finance.visum.granted", "corr-2", {}))
    assert _filter("onbekend", "", who) is None


async def test_the_hub_hands_a_change_to_each_listener_that_wants_it() -> None:
    hub = LiveHub(lambda: None, subjects=())  # type: ignore[arg-type,return-value]
    async with hub.listen(lambda c: c.subject.startswith("a.")) as first, hub.listen(lambda c: True) as second:
        hub.publish(Change("a.x", "", {}))
        hub.publish(Change("b.x", "", {}))
        assert [first.get_nowait()] == [Change("a.x", "", {})]
        assert first.empty()
        assert [second.get_nowait(), second.get_nowait()] == [Change("a.x", "", {}), Change("b.x", "", {})]
        assert hub.listeners == 2
        hub.close()
        assert (first.get_nowait(), second.get_nowait()) == (None, None)
    assert hub.listeners == 0


async def test_a_live_page_is_told_only_of_changes_to_its_own_tasks_and_ends_when_the_gateway_stops() -> None:
    hub = LiveHub(lambda: None, subjects=())  # type: ignore[arg-type,return-value]
    c = console(live=hub)
    await _sign_in(c)
    assert (await c.client.get("/console/live?kanaal=onbekend")).status_code == 404
    reading = asyncio.create_task(c.client.get("/console/live?kanaal=taken"))
    await asyncio.wait_for(hub.joined.wait(), timeout=10)
    hub.publish(Change("organisation.task.created", "c1", {"owner_person_id": "p-fin"}))
    hub.publish(Change("organisation.task.created", "c2", {"owner_person_id": "p-secr", "title": "geheim"}))
    hub.close()
    answer = await asyncio.wait_for(reading, timeout=10)
    assert answer.headers["content-type"].startswith("text/event-stream")
    events = [block for block in answer.text.split("\n\n") if block.startswith("event: change")]
    assert events == ['event: change\ndata: {"subject": "organisation.task.created"}']
    assert hub.listeners == 0


async def test_live_events_need_a_session() -> None:
    c = console(live=LiveHub(lambda: None, subjects=()))  # type: ignore[arg-type,return-value]
    answer = await c.client.get("/console/live?kanaal=taken")
    assert answer.status_code == 303
