"""Signing in and out, and the home page."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from services.gateway.domain.model import Principal
from services.gateway.entrypoints.api import CSRF_COOKIE, SESSION_COOKIE, _set_session_cookies
from services.gateway.entrypoints.console.base import Base


class SignIn(Base):
    """Signing in with a local account, the refusal shown on the form, signing out."""

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


def _safe(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/console"
