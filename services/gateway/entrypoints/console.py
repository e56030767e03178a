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

import asyncio
import datetime as dt
import hmac
import inspect
import json
import uuid
from collections.abc import AsyncIterator, Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.gateway.adapters.live import Change, LiveHub
from services.gateway.domain.model import Principal, Via
from services.gateway.entrypoints.api import CSRF_COOKIE, SESSION_COOKIE, ApiConfig, Forwarder, _set_session_cookies
from services.gateway.service_layer.access import Access
from shared.clock import Clock
from shared.contracts.audit import GetTrail, GetTrailReply, SearchLedger, SearchLedgerReply
from shared.contracts.base import Command, Query, QueryReply
from shared.contracts.common import CommandReply
from shared.contracts.finance import (
    GetCreditUse,
    GetCreditUseReply,
    GetVisumReport,
    GetVisumReportReply,
    GrantVisum,
    RefuseVisum,
)
from shared.contracts.hr import ListStaff, ListStaffReply
from shared.contracts.meetings import ProposeAgendaItem
from shared.contracts.notifications import ListInbox, ListInboxReply
from shared.contracts.organisation import (
    ClaimTask,
    CompleteTask,
    GetOrganogram,
    GetOrganogramReply,
    ListTasks,
    ListTasksReply,
)
from shared.contracts.sessions import (
    CloseMeeting,
    ConveneMeeting,
    GetItemHistory,
    GetItemHistoryReply,
    GetMeeting,
    GetMeetingReply,
    GetMinutes,
    GetMinutesReply,
    ListMeetings,
    ListMeetingsReply,
    ListMembers,
    ListMembersReply,
    ListPublishedDocuments,
    ListPublishedDocumentsReply,
    OpenSession,
    PublishDocuments,
    ScheduleMeeting,
    SignMinutes,
    VoteOnItem,
)
from shared.kernel import RuleViolation
from shared.messaging.errors import NoAnswer, Rejected
from shared.vocabulary import (
    BodyKind,
    Confidentiality,
    FinancialImpact,
    FollowUpAction,
    FollowUpKind,
    LegalEntity,
    VoteChoice,
)

__all__ = ["PUBLIC", "add_console"]

HERE = Path(__file__).resolve().parents[1]
TEMPLATES = Jinja2Templates(directory=str(HERE / "templates"))
#: The time zone the people of a Flemish municipality read and type times in.
LOCAL = ZoneInfo("Europe/Brussels")
#: Who asks for what a visitor may read without signing in (the public documents).
PUBLIC = Principal("public", Via.TOKEN)
R = TypeVar("R", bound=QueryReply)
#: The console's pages load their own stylesheet and script and talk only to the gateway.
CONSOLE_POLICY = "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
#: A published document (meetings' HTML+RDFa) is read, never run: no script, its own inline styles at most.
DOCUMENT_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'"
#: Rejection codes that mean "not for you" rather than "not now".
FORBIDDEN = frozenset({"forbidden", "not_permitted", "no_power", "not_a_member", "restricted", "actor_required"})

BODY_NAMES = {
    BodyKind.COLLEGE: "College van burgemeester en schepenen",
    BodyKind.VAST_BUREAU: "Vast bureau",
    BodyKind.BCSD: "Bijzonder comité voor de sociale dienst",
    BodyKind.GEMEENTERAAD: "Gemeenteraad",
    BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN: "Raad voor maatschappelijk welzijn",
}
STATUS_NAMES = {
    "open": "open",
    "in_progress": "in behandeling",
    "done": "afgerond",
    "overdue": "over tijd",
    "cancelled": "geannuleerd",
    "requested": "aangevraagd",
    "granted": "verleend",
    "refused": "geweigerd",
    "overruled": "overruled",
    "planned": "gepland",
    "convened": "bijeengeroepen",
    "in_session": "in zitting",
    "closed": "gesloten",
    "lapsed": "vervallen",
    "proposed": "voorgesteld",
    "adopted": "aangenomen",
    "rejected": "verworpen",
    "pending": "nog te behandelen",
    "draft": "ontwerp",
    "approved": "goedgekeurd",
    "signed": "ondertekend",
}
KIND_NAMES = {
    "agenda": "Agenda",
    "decision_list": "Besluitenlijst",
    "regulation": "Reglement",
    "full_text": "Volledige tekst",
    "minutes": "Notulen",
    "extract": "Uittreksel",
}


class Refused(Exception):
    """A service refused a query or a command; the page shows its code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


def _id() -> str:
    return uuid.uuid4().hex


def _local(value: dt.datetime | None) -> str:
    return value.astimezone(LOCAL).strftime("%d-%m-%Y %H:%M:%S") if value is not None else ""


def _money(value: Decimal | str | None) -> str:
    if value is None:
        return ""
    amount = Decimal(str(value))
    whole, _, cents = f"{amount:,.2f}".partition(".")
    return f"€ {whole.replace(',', '.')},{cents}"


TEMPLATES.env.filters["local"] = _local
TEMPLATES.env.filters["money"] = _money
TEMPLATES.env.globals["status_name"] = lambda s: STATUS_NAMES.get(str(s), str(s))
TEMPLATES.env.globals["body_name"] = lambda b: BODY_NAMES.get(b, str(b))
TEMPLATES.env.globals["kind_name"] = lambda k: KIND_NAMES.get(str(k), str(k))


class Console:
    """The pages, each a method; `add_console` binds them to routes."""

    def __init__(
        self, access: Access, forwarder: Forwarder, live: LiveHub | None, clock: Clock, config: ApiConfig, *, oidc: bool
    ) -> None:
        self.access = access
        self.forwarder = forwarder
        self.live = live
        self.clock = clock
        self.config = config
        self.oidc = oidc

    # -- plumbing ---------------------------------------------------------------------------

    async def who(self, request: Request) -> Principal | None:
        cookie = request.cookies.get(SESSION_COOKIE)
        return await self.access.session(cookie) if cookie else None

    def to_sign_in(self, request: Request) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/console/aanmelden?volgende={quote(target, safe='')}", status_code=303)

    async def ask(self, query: Query, reply: type[R], who: Principal) -> R:
        try:
            answer = await self.forwarder.query(query, who)
        except Rejected as exc:
            raise Refused(exc.code, exc.message) from exc
        except NoAnswer as exc:
            raise Refused("no_answer", str(exc)) from exc
        assert isinstance(answer, reply)
        return answer

    async def send(self, command: Command, who: Principal) -> CommandReply:
        try:
            return await self.forwarder.command(command, who)
        except NoAnswer as exc:
            raise Refused("no_answer", str(exc)) from exc

    async def form(self, request: Request, who: Principal) -> dict[str, Any]:
        """The posted form as lists per name, once its CSRF token matched the session's."""
        async with request.form() as form:
            fields: dict[str, Any] = {}
            for key, value in form.multi_items():
                if isinstance(value, str):
                    fields.setdefault(key, []).append(value)
        sent = (fields.get("csrf_token") or [""])[0]
        if not who.csrf_token or not hmac.compare_digest(sent.encode(), who.csrf_token.encode()):
            raise Refused("csrf_failed", "het formulier hoort niet bij deze sessie; laad de pagina opnieuw")
        return fields

    async def page(
        self, request: Request, template: str, who: Principal | None, status: int = 200, **context: Any
    ) -> Response:
        name = ""
        if who is not None:
            name = next((a.display_name for a in await self.access.accounts() if a.person_id == who.person_id), "")
        return TEMPLATES.TemplateResponse(
            request,
            template,
            {
                "who": who,
                "who_name": name or (who.person_id if who else ""),
                "csrf": who.csrf_token if who else "",
                "ok": request.query_params.get("ok", ""),
                "fout": request.query_params.get("fout", ""),
                **context,
            },
            status_code=status,
        )

    async def refused(self, request: Request, who: Principal | None, exc: Refused) -> Response:
        status = 403 if exc.code in FORBIDDEN or exc.code == "csrf_failed" else 504 if exc.code == "no_answer" else 409
        return await self.page(request, "fout.html", who, status=status, code=exc.code, message=exc.message)

    @staticmethod
    def back(path: str, reply: CommandReply | None = None, ok: str = "", fout: str = "") -> Response:
        if reply is not None and not reply.accepted:
            fout = f"{reply.code}: {reply.message}"
        query = urlencode({k: v for k, v in (("ok", ok if not fout else ""), ("fout", fout)) if v})
        joined = path + (("&" if "?" in path else "?") + query if query else "")
        return RedirectResponse(joined, status_code=303)

    # -- sign-in ----------------------------------------------------------------------------

    async def sign_in_page(self, request: Request) -> Response:
        return await self.page(
            request,
            "aanmelden.html",
            None,
            next=_safe(request.query_params.get("volgende")),
            local=self.access.local_accounts,
            oidc=self.oidc,
            error="",
        )

    async def sign_in(self, request: Request) -> Response:
        async with request.form() as form:
            username, password = str(form.get("gebruikersnaam", "")), str(form.get("wachtwoord", ""))
            target = _safe(str(form.get("volgende", "")))
        # A refusal (RuleViolation) reaches `sign_in_refused` below, the console's handler of it.
        request.state.sign_in = (username, target)
        opened = await self.access.sign_in_local(username, password)
        response = RedirectResponse(target, status_code=303)
        _set_session_cookies(response, opened, self.config)
        return response

    async def sign_in_refused(self, request: Request, code: str, message: str) -> Response:
        """The sign-in form again, with why it was refused."""
        username, target = getattr(request.state, "sign_in", ("", "/console"))
        return await self.page(
            request,
            "aanmelden.html",
            None,
            status=401 if code == "sign_in_refused" else 403,
            next=target,
            local=self.access.local_accounts,
            oidc=self.oidc,
            error="Onbekende gebruikersnaam of fout wachtwoord." if code == "sign_in_refused" else message,
            username=username,
        )

    async def sign_out(self, request: Request) -> Response:
        who = await self.who(request)
        if who is None:
            return self.to_sign_in(request)
        await self.form(request, who)
        cookie = request.cookies.get(SESSION_COOKIE)
        if cookie:
            await self.access.sign_out(cookie)
        response = RedirectResponse("/console/aanmelden", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        response.delete_cookie(CSRF_COOKIE, path="/")
        return response

    async def home(self, request: Request, who: Principal) -> Response:
        return await self.page(request, "home.html", who)

    # -- tasks and inbox --------------------------------------------------------------------

    async def _tasks(self, who: Principal) -> dict[str, Any]:
        tasks = await self.ask(ListTasks(command_id=_id(), owner_person_id=who.person_id), ListTasksReply, who)
        inbox = await self.ask(ListInbox(command_id=_id(), person_id=who.person_id), ListInboxReply, who)
        return {"tasks": [t for t in tasks.tasks if t.status != "cancelled"], "inbox": inbox.entries}

    async def tasks(self, request: Request, who: Principal) -> Response:
        return await self.page(request, "taken.html", who, **await self._tasks(who))

    async def tasks_part(self, request: Request, who: Principal) -> Response:
        return await self.page(request, "_taken.html", who, **await self._tasks(who))

    async def task_step(self, request: Request, who: Principal, task_id: str, step: str) -> Response:
        await self.form(request, who)
        task = uuid.UUID(task_id)
        command: Command
        if step == "opnemen":
            command = ClaimTask(command_id=_id(), task_id=task)
        elif step != "afronden":
            return Response("unknown step", status_code=404)
        else:
            command = CompleteTask(command_id=_id(), task_id=task)
        reply = await self.send(command, who)
        done = "Taak opgenomen." if step == "opnemen" else "Taak afgerond."
        return self.back("/console/taken", reply, ok=done)

    # -- proposing an item, and following it ------------------------------------------------

    async def propose_page(self, request: Request, who: Principal) -> Response:
        units = await self.ask(GetOrganogram(command_id=_id()), GetOrganogramReply, who)
        return await self.page(
            request,
            "voorstellen.html",
            who,
            units=units.units,
            bodies=[BodyKind.COLLEGE, BodyKind.VAST_BUREAU, BodyKind.BCSD],
            year=self.clock().astimezone(LOCAL).year,
        )

    async def propose(self, request: Request, who: Principal) -> Response:
        fields = await self.form(request, who)

        def one(name: str) -> str:
            return str((fields.get(name) or [""])[0]).strip()

        try:
            body = BodyKind(one("orgaan"))
            entity = LegalEntity.OCMW if body in {BodyKind.VAST_BUREAU, BodyKind.BCSD} else LegalEntity.GEMEENTE
            impact = None
            if one("bedrag"):
                impact = FinancialImpact(
                    entity=entity,
                    amount=Decimal(one("bedrag").replace(",", ".")),
                    economic_account=one("rekening"),
                    policy_field=one("beleidsveld"),
                    action=one("actie") or None,
                    financial_year=int(one("boekjaar")),
                    third_party=one("derde") or None,
                )
            actions: tuple[FollowUpAction, ...] = ()
            if one("opvolging"):
                actions = (
                    FollowUpAction(
                        action_id="a1",
                        kind=FollowUpKind.EXECUTE,
                        description=one("opvolging"),
                        unit_code=one("dienst") or None,
                    ),
                )
            proposal = ProposeAgendaItem(
                command_id=_id(),
                body=body,
                entity=entity,
                title=one("titel"),
                confidentiality=Confidentiality.SOCIAL if body is BodyKind.BCSD else None,
                legal_basis=one("rechtsgrond"),
                motivation=one("motivering"),
                financial_impact=impact,
                follow_up_actions=actions,
            )
        except (ValueError, InvalidOperation, ValidationError) as exc:
            return self.back("/console/voorstellen", fout=f"invalid_command: {_explain(exc)}")
        reply = await self.send(proposal, who)
        if not reply.accepted:
            return self.back("/console/voorstellen", reply)
        item_id = reply.ids["item_id"]
        return self.back(f"/console/punten/{item_id}?c={proposal.command_id}", ok="Punt voorgesteld.")

    async def _item(self, item_id: str, who: Principal) -> dict[str, Any]:
        item = uuid.UUID(item_id)
        history = await self.ask(GetItemHistory(command_id=_id(), item_id=item), GetItemHistoryReply, who)
        if history.restricted:
            raise Refused("restricted", "dit punt is besloten: alleen de leden van het orgaan zien het")
        visums: list[Any] = []
        try:
            report = await self.ask(GetVisumReport(command_id=_id()), GetVisumReportReply, who)
            visums = [v for v in report.visums if v.item_id == item]
        except Refused:
            pass  # the visum report is the financial director's: others follow the item without it
        return {"item": history, "item_id": item_id, "visums": visums}

    async def item(self, request: Request, who: Principal, item_id: str) -> Response:
        correlation = request.query_params.get("c", "")
        return await self.page(request, "punt.html", who, correlation=correlation, **await self._item(item_id, who))

    async def item_part(self, request: Request, who: Principal, item_id: str) -> Response:
        return await self.page(request, "_punt.html", who, **await self._item(item_id, who))

    # -- finance: credits and visums --------------------------------------------------------

    async def finance(self, request: Request, who: Principal) -> Response:
        credit_use = await self.ask(GetCreditUse(command_id=_id()), GetCreditUseReply, who)
        visums = await self.ask(GetVisumReport(command_id=_id()), GetVisumReportReply, who)
        year = int(request.query_params.get("jaar") or self.clock().astimezone(LOCAL).year)
        by_entity: dict[str, list[Any]] = {}
        for line in (c for c in credit_use.credits if c.financial_year == year):
            by_entity.setdefault(line.entity.value, []).append(line)
        pending = [v for v in visums.visums if v.status == "requested"]
        decided = [v for v in visums.visums if v.status != "requested"][-20:]
        return await self.page(
            request,
            "financien.html",
            who,
            credits=by_entity,
            pending=pending,
            decided=decided,
            summary=visums.summary,
            year=year,
            years=sorted({c.financial_year for c in credit_use.credits}),
        )

    async def visum(self, request: Request, who: Principal, item_id: str, step: str) -> Response:
        fields = await self.form(request, who)
        item = uuid.UUID(item_id)
        command: Command
        if step == "verlenen":
            conditions = tuple(c for c in (fields.get("voorwaarden") or [""])[0].splitlines() if c.strip())
            command = GrantVisum(command_id=_id(), item_id=item, conditions=conditions)
        else:
            reasons = tuple(c for c in (fields.get("redenen") or [""])[0].splitlines() if c.strip())
            if not reasons:
                return self.back("/console/financien", fout="invalid_command: geef minstens één reden")
            command = RefuseVisum(command_id=_id(), item_id=item, reasons=reasons)
        reply = await self.send(command, who)
        done = "Visum verleend." if step == "verlenen" else "Visum geweigerd."
        return self.back("/console/financien", reply, ok=done)

    # -- sessions for the secretariat -------------------------------------------------------

    async def meetings(self, request: Request, who: Principal) -> Response:
        listed = await self.ask(ListMeetings(command_id=_id(), limit=30), ListMeetingsReply, who)
        soon = (self.clock() + dt.timedelta(minutes=2)).astimezone(LOCAL).strftime("%Y-%m-%dT%H:%M:%S")
        return await self.page(
            request,
            "zittingen.html",
            who,
            meetings=listed.meetings,
            bodies=[BodyKind.COLLEGE, BodyKind.VAST_BUREAU, BodyKind.BCSD],
            soon=soon,
            item=request.query_params.get("punt", ""),
        )

    async def schedule(self, request: Request, who: Principal) -> Response:
        fields = await self.form(request, who)

        def one(name: str) -> str:
            return str((fields.get(name) or [""])[0]).strip()

        try:
            body = BodyKind(one("orgaan"))
            at = dt.datetime.fromisoformat(one("tijdstip")).replace(tzinfo=LOCAL)
            items = tuple(uuid.UUID(i.strip()) for i in one("punten").replace(",", " ").split() if i.strip())
            scheduling = ScheduleMeeting(command_id=_id(), body=body, scheduled_at=at, location=one("plaats"))
        except (ValueError, ValidationError) as exc:
            return self.back("/console/zittingen", fout=f"invalid_command: {_explain(exc)}")
        scheduled = await self.send(scheduling, who)
        if not scheduled.accepted:
            return self.back("/console/zittingen", scheduled)
        meeting_id = scheduled.ids["meeting_id"]
        if not items:
            return self.back(f"/console/zittingen/{meeting_id}", ok="Zitting gepland.")
        convene = ConveneMeeting(command_id=_id(), meeting_id=uuid.UUID(meeting_id), item_ids=items)
        reply = await self.send(convene, who)
        return self.back(f"/console/zittingen/{meeting_id}", reply, ok="Zitting gepland en bijeengeroepen.")

    async def meeting(self, request: Request, who: Principal, meeting_id: str) -> Response:
        found = await self.ask(
            GetMeeting(command_id=_id(), meeting_id=uuid.UUID(meeting_id)),
            GetMeetingReply,
            who,
        )
        members = await self.ask(ListMembers(command_id=_id(), body=found.meeting.body), ListMembersReply, who)
        documents = []
        if found.meeting.status == "closed":
            documents = list(
                (
                    await self.ask(
                        ListPublishedDocuments(command_id=_id(), meeting_id=found.meeting.meeting_id),
                        ListPublishedDocumentsReply,
                        who,
                    )
                ).documents
            )
        return await self.page(
            request,
            "zitting.html",
            who,
            meeting=found.meeting,
            names=found.names,
            members=members.members,
            documents=documents,
            choices=[(VoteChoice.IN_FAVOUR, "voor"), (VoteChoice.AGAINST, "tegen"), (VoteChoice.ABSTAIN, "onthouding")],
        )

    async def meeting_step(self, request: Request, who: Principal, meeting_id: str, step: str) -> Response:
        fields = await self.form(request, who)
        meeting = uuid.UUID(meeting_id)
        path = f"/console/zittingen/{meeting_id}"
        command: Command
        try:
            if step == "openen":
                present = tuple(fields.get("aanwezig") or ())
                command = OpenSession(
                    command_id=_id(),
                    meeting_id=meeting,
                    present=present,
                    chair_id=(fields.get("voorzitter") or [""])[0],
                )
                done = "Zitting geopend."
            elif step == "stemmen":
                item = uuid.UUID((fields.get("punt") or [""])[0])
                votes = {
                    key.removeprefix("stem-"): VoteChoice(values[0])
                    for key, values in fields.items()
                    if key.startswith("stem-") and values and values[0]
                }
                command = VoteOnItem(command_id=_id(), meeting_id=meeting, item_id=item, open_votes=votes)
                done = "Stemming geregistreerd."
            elif step == "bijeenroepen":
                items = tuple(uuid.UUID(i) for i in (fields.get("punten") or [""])[0].replace(",", " ").split())
                command = ConveneMeeting(command_id=_id(), meeting_id=meeting, item_ids=items)
                done = "Zitting bijeengeroepen."
            elif step == "sluiten":
                command = CloseMeeting(command_id=_id(), meeting_id=meeting)
                done = "Zitting gesloten."
            elif step == "publiceren":
                command = PublishDocuments(command_id=_id(), meeting_id=meeting)
                done = "Documenten gepubliceerd."
            elif step == "tekenen":
                command = SignMinutes(command_id=_id(), meeting_id=meeting)
                done = "Notulen ondertekend."
                path = f"/console/notulen/{meeting_id}"
            else:
                return Response("unknown step", status_code=404)
        except (ValueError, ValidationError) as exc:
            return self.back(path, fout=f"invalid_command: {_explain(exc)}")
        reply = await self.send(command, who)
        return self.back(path, reply, ok=done)

    # -- minutes to sign --------------------------------------------------------------------

    async def minutes_list(self, request: Request, who: Principal) -> Response:
        listed = await self.ask(ListMeetings(command_id=_id(), limit=100), ListMeetingsReply, who)
        waiting = [m for m in listed.meetings if m.minutes in {"draft", "approved"}]
        return await self.page(request, "notulen.html", who, meetings=waiting)

    async def minutes(self, request: Request, who: Principal, meeting_id: str) -> Response:
        found = await self.ask(
            GetMinutes(command_id=_id(), meeting_id=uuid.UUID(meeting_id)),
            GetMinutesReply,
            who,
        )
        return await self.page(request, "notulen_detail.html", who, minutes=found.minutes, state=found.state)

    # -- staff and delegations --------------------------------------------------------------

    async def staff(self, request: Request, who: Principal) -> Response:
        listed = await self.ask(ListStaff(command_id=_id()), ListStaffReply, who)
        return await self.page(
            request, "personeel.html", who, staff=listed.staff, body_delegations=listed.body_delegations
        )

    # -- the auditor's view of one decision -------------------------------------------------

    async def _trail(self, correlation: str, who: Principal) -> dict[str, Any]:
        trail = await self.ask(GetTrail(command_id=_id(), correlation_id=correlation), GetTrailReply, who)
        children: dict[str | None, list[Any]] = {}
        ids = {r.message_id for r in trail.records}
        for record in trail.records:
            parent = (
                record.causation_id if record.causation_id in ids and record.causation_id != record.message_id else None
            )
            children.setdefault(parent, []).append(record)
        return {"trail": trail, "children": children, "correlation": correlation}

    async def audit(self, request: Request, who: Principal) -> Response:
        correlation = request.query_params.get("c", "").strip()
        decision = request.query_params.get("besluit", "").strip()
        if not correlation and decision:
            found = await self.ask(
                SearchLedger(command_id=_id(), subject_filter="meetings.decision.>", body=decision, limit=5),
                SearchLedgerReply,
                who,
            )
            correlation = next((r.correlation_id for r in found.records if r.correlation_id), "")
        context = await self._trail(correlation, who) if correlation else {"trail": None, "correlation": ""}
        return await self.page(request, "audit.html", who, decision=decision, **context)

    async def audit_part(self, request: Request, who: Principal) -> Response:
        return await self.page(request, "_audit.html", who, **await self._trail(request.query_params.get("c", ""), who))

    # -- a district's feed ------------------------------------------------------------------

    async def district(self, request: Request, who: Principal, district_id: str) -> Response:
        return await self.page(request, "district.html", who, district_id=district_id)

    # -- live -------------------------------------------------------------------------------

    async def events(self, request: Request, who: Principal) -> Response:
        """Server-sent events: `change` whenever something the page shows may have changed."""
        channel = request.query_params.get("kanaal", "")
        key = request.query_params.get("id", "")
        wanted = _filter(channel, key, who)
        if wanted is None or self.live is None:
            return Response("unknown channel", status_code=404)
        live = self.live

        async def stream() -> AsyncIterator[str]:
            async with live.listen(wanted) as queue:
                yield "retry: 2000\n: listening\n\n"
                while not await request.is_disconnected():
                    try:
                        change = await asyncio.wait_for(queue.get(), timeout=15)
                    except TimeoutError:
                        yield ": still here\n\n"
                        continue
                    if change is None:
                        return  # the gateway stops: the browser reconnects to another one, or later
                    yield f"event: change\ndata: {json.dumps(_shown(channel, change))}\n\n"

        return StreamingResponse(
            stream(), media_type="text/event-stream", headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
        )

    # -- public documents -------------------------------------------------------------------

    async def published(self, request: Request, meeting_id: str) -> Response:
        try:
            found = await self.ask(
                ListPublishedDocuments(command_id=_id(), meeting_id=uuid.UUID(meeting_id)),
                ListPublishedDocumentsReply,
                PUBLIC,
            )
        except (ValueError, Refused):
            return await self.page(
                request, "fout.html", None, status=404, code="not_found", message="onbekende zitting"
            )
        return await self.page(request, "publicaties.html", None, meeting_id=meeting_id, documents=found.documents)

    async def document(self, request: Request, meeting_id: str, document_id: str) -> Response:
        try:
            found = await self.ask(
                ListPublishedDocuments(command_id=_id(), meeting_id=uuid.UUID(meeting_id)),
                ListPublishedDocumentsReply,
                PUBLIC,
            )
        except (ValueError, Refused):
            found = None
        document = next((d for d in found.documents if str(d.document_id) == document_id), None) if found else None
        if document is None or not document.html:
            return await self.page(
                request, "fout.html", None, status=404, code="not_found", message="onbekend document"
            )
        return HTMLResponse(document.html, headers={"Cache-Control": "public, max-age=300"})


class _Guarded:
    """The console's pages run only their own script and are never framed; a published document runs none.

    Plain ASGI (not `BaseHTTPMiddleware`), so the live pages' streams pass through untouched.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", "")) if scope["type"] == "http" else ""
        if path.startswith("/publicaties/"):
            extra = {"Content-Security-Policy": DOCUMENT_POLICY}
        elif path.startswith("/console"):
            extra = {
                "Content-Security-Policy": CONSOLE_POLICY,
                "X-Frame-Options": "DENY",
                "Referrer-Policy": "same-origin",
            }
        else:
            await self.app(scope, receive, send)
            return

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in extra.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, sending)


def _safe(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/console"


def _explain(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:5])
    return str(exc)


def _names(body: dict[str, Any]) -> set[str]:
    keys = ("owner_person_id", "person_id", "completed_by", "from_person_id", "to_person_id")
    return {str(body[k]) for k in keys if body.get(k)}


def _filter(channel: str, key: str, who: Principal) -> Callable[[Change], bool] | None:
    """Which events a live page wants; None for an unknown channel."""
    if channel == "taken":
        return lambda c: (
            c.subject.startswith(("organisation.task.", "notifications.inbox_entry."))
            and who.person_id in _names(c.body)
        )
    if channel == "boom" and key:
        return lambda c: c.correlation_id == key
    if channel == "district" and key:
        return lambda c: c.subject.startswith(f"district.{key}.")
    return None


def _shown(channel: str, change: Change) -> dict[str, Any]:
    """What a page is told: the subject; a district feed (redacted by notifications) also its entry."""
    if channel == "district":
        return {"subject": change.subject, "body": change.body}
    return {"subject": change.subject}


Handler = Callable[..., Any]


def add_console(
    app: FastAPI,
    access: Access,
    forwarder: Forwarder,
    config: ApiConfig,
    clock: Clock,
    *,
    live: LiveHub | None = None,
    oidc: bool = False,
) -> Console:
    """Bind the console's pages to `app` (under `/console`, the public documents under `/publicaties`)."""
    console = Console(access, forwarder, live, clock, config, oidc=oidc)
    api_rule = app.exception_handlers.get(RuleViolation)

    async def rule(request: Request, exc: Exception) -> Response:
        """On the console's sign-in page a refusal shows the form again; elsewhere the API's problem details."""
        assert isinstance(exc, RuleViolation)
        if request.url.path == "/console/aanmelden":
            return await console.sign_in_refused(request, exc.code, exc.message)
        if api_rule is None:
            raise exc
        answer = api_rule(request, exc)
        return await answer if inspect.isawaitable(answer) else answer

    app.add_exception_handler(RuleViolation, rule)
    app.mount("/console/static", StaticFiles(directory=str(HERE / "static")), name="console-static")

    app.add_middleware(_Guarded)

    def signed_in(handler: Handler) -> Handler:
        async def endpoint(request: Request) -> Response:
            who = await console.who(request)
            if who is None:
                if request.method != "GET":
                    return Response("sign in first", status_code=401)
                return console.to_sign_in(request)
            try:
                result: Response = await handler(request, who, **request.path_params)
            except Refused as exc:
                return await console.refused(request, who, exc)
            return result

        return endpoint

    def public(handler: Handler) -> Handler:
        async def endpoint(request: Request) -> Response:
            result: Response = await handler(request, **request.path_params)
            return result

        return endpoint

    get, post = ["GET"], ["POST"]
    routes: list[tuple[str, Handler, list[str]]] = [
        ("/console", signed_in(console.home), get),
        ("/console/taken", signed_in(console.tasks), get),
        ("/console/taken/lijst", signed_in(console.tasks_part), get),
        ("/console/taken/{task_id}/{step}", signed_in(console.task_step), post),
        ("/console/voorstellen", signed_in(console.propose_page), get),
        ("/console/voorstellen", signed_in(console.propose), post),
        ("/console/punten/{item_id}", signed_in(console.item), get),
        ("/console/punten/{item_id}/stand", signed_in(console.item_part), get),
        ("/console/financien", signed_in(console.finance), get),
        ("/console/financien/visum/{item_id}/{step}", signed_in(console.visum), post),
        ("/console/zittingen", signed_in(console.meetings), get),
        ("/console/zittingen", signed_in(console.schedule), post),
        ("/console/zittingen/{meeting_id}", signed_in(console.meeting), get),
        ("/console/zittingen/{meeting_id}/{step}", signed_in(console.meeting_step), post),
        ("/console/notulen", signed_in(console.minutes_list), get),
        ("/console/notulen/{meeting_id}", signed_in(console.minutes), get),
        (
            "/console/notulen/{meeting_id}/tekenen",
            signed_in(lambda r, w, meeting_id: console.meeting_step(r, w, meeting_id, "tekenen")),
            post,
        ),
        ("/console/personeel", signed_in(console.staff), get),
        ("/console/audit", signed_in(console.audit), get),
        ("/console/audit/boom", signed_in(console.audit_part), get),
        ("/console/districten/{district_id}", signed_in(console.district), get),
        ("/console/live", signed_in(console.events), get),
        ("/console/afmelden", console.sign_out, post),
        ("/console/aanmelden", console.sign_in_page, get),
        ("/console/aanmelden", console.sign_in, post),
        ("/publicaties/{meeting_id}", public(console.published), get),
        ("/publicaties/{meeting_id}/{document_id}", public(console.document), get),
    ]
    for path, handler, methods in routes:
        app.add_api_route(path, handler, methods=methods, include_in_schema=False, response_class=HTMLResponse)
    return console
