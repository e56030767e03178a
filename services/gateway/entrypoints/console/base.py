"""The console's core: asking, sending, reading a form, showing a page or a refusal; the words it shows."""

from __future__ import annotations

import datetime as dt
import hmac
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError

from services.gateway.adapters.live import LiveHub
from services.gateway.domain.model import Principal, Via
from services.gateway.entrypoints.api import SESSION_COOKIE, ApiConfig, Forwarder
from services.gateway.service_layer.access import Access
from shared.clock import Clock
from shared.contracts.base import Command, Query, QueryReply
from shared.contracts.common import CommandReply
from shared.messaging.errors import NoAnswer, Rejected
from shared.vocabulary import BodyKind

HERE = Path(__file__).resolve().parents[2]
TEMPLATES = Jinja2Templates(directory=str(HERE / "templates"))
#: The time zone the people of a Flemish municipality read and type times in.
LOCAL = ZoneInfo("Europe/Brussels")
#: Who asks for what a visitor may read without signing in (the public documents).
PUBLIC = Principal("public", Via.TOKEN)
R = TypeVar("R", bound=QueryReply)

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


class Base:
    """What every page does: who is signed in, asking and sending for them, showing a page or a refusal."""

    def __init__(
        self, access: Access, forwarder: Forwarder, live: LiveHub | None, clock: Clock, config: ApiConfig, *, oidc: bool
    ) -> None:
        self.access = access
        self.forwarder = forwarder
        self.live = live
        self.clock = clock
        self.config = config
        self.oidc = oidc

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


def _explain(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:5])
    return str(exc)
