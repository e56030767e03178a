"""The routes: `add_console` binds the pages to the app, behind `_Guarded`'s security headers."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.gateway.adapters.live import LiveHub
from services.gateway.entrypoints.api import ApiConfig, Forwarder
from services.gateway.entrypoints.console.base import HERE, Refused
from services.gateway.entrypoints.console.finance import Finance
from services.gateway.entrypoints.console.live import Live
from services.gateway.entrypoints.console.oversight import Oversight
from services.gateway.entrypoints.console.proposals import Proposals
from services.gateway.entrypoints.console.public import Public
from services.gateway.entrypoints.console.sessions import Sessions
from services.gateway.entrypoints.console.sign_in import SignIn
from services.gateway.entrypoints.console.tasks import Tasks
from services.gateway.service_layer.access import Access
from shared.clock import Clock
from shared.kernel import RuleViolation

#: The console's pages load their own stylesheet and script and talk only to the gateway.
CONSOLE_POLICY = "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
#: A published document (meetings' HTML+RDFa) is read, never run: no script, its own inline styles at most.
DOCUMENT_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'"


class Console(SignIn, Tasks, Proposals, Finance, Sessions, Oversight, Live, Public):
    """The pages, each a method; `add_console` binds them to routes."""


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
