"""The HTTP JSON API: every command and query of the contracts registry, and sign-in.

Routes are generated from the registered contracts: `POST /api/v1/commands/<service>/<name>` and
`POST /api/v1/queries/<service>/<name>`, the body the contract itself (JSON, with the caller's
`command_id`). Queries are POST too: their bodies are structured like commands', and a GET with a
body is not something HTTP caches and proxies agree on. The OpenAPI 3.1 document (`/openapi.json`,
browsable at `/docs`) carries each contract's JSON schema and docstring.

Every API route acts for a person: an API token (`Authorization: Bearer rwt_…`) or a session
cookie from sign-in, which for any request that is not a read also needs the session's CSRF token
in the `X-CSRF-Token` header (double submit: the page reads it from the `rw_csrf` cookie or the
sign-in answer). Errors are problem details (`entrypoints/problems.py`).
"""

# No `from __future__ import annotations`: FastAPI reads the dependencies of the closures below
# from their annotations, which must be objects, not strings naming local variables.

import functools
import hmac
import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any, Protocol

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, ValidationError
from pydantic.json_schema import models_json_schema
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

import shared.contracts  # noqa: F401 - registers every contract, so every route exists
from services.gateway.domain.model import Principal, Via
from services.gateway.entrypoints.body_limit import DEFAULT_MAX_BODY_BYTES, BodyLimit
from services.gateway.entrypoints.problems import PROBLEM_JSON, ApiProblem, problem_response
from services.gateway.service_layer.access import Access, NewSession
from shared.contracts.base import Command, Query, QueryReply, command_types
from shared.contracts.common import CommandReply
from shared.kernel import RuleViolation
from shared.messaging.errors import NoAnswer, Rejected, TooLarge
from shared.messaging.payload import UnreadableBody, describe_invalid, read_json

__all__ = ["CSRF_COOKIE", "CSRF_HEADER", "SESSION_COOKIE", "ApiConfig", "Forwarder", "OidcPort", "create_app"]

SESSION_COOKIE = "rw_session"
CSRF_COOKIE = "rw_csrf"
CSRF_HEADER = "X-CSRF-Token"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_REFS = "#/components/schemas/{model}"


class Forwarder(Protocol):
    """Sends a command or a query to its service for a person (`adapters/forwarding.py`)."""

    async def command(self, command: Command, principal: Principal) -> CommandReply: ...

    async def query(self, query: Query, principal: Principal) -> QueryReply: ...


class OidcPort(Protocol):
    """Sign-in with the identity provider (`adapters/oidc.py`)."""

    issuer: str

    async def redirect(self, request: Request, redirect_uri: str) -> Response: ...

    async def person_id(self, request: Request) -> str: ...


@dataclass(frozen=True)
class ApiConfig:
    """What the app needs besides its collaborators."""

    #: Cookies only over HTTPS (off only for a plain-HTTP development run).
    cookie_secure: bool
    #: Signs the short-lived cookie that carries an OIDC sign-in's state, nonce and PKCE verifier.
    state_secret: str
    #: Where browsers reach the gateway (for the OIDC redirect URI); None = as the request came in.
    public_url: str | None = None
    session_max_age_s: int = 8 * 3600
    #: The largest request body taken (`entrypoints/body_limit.py`); a larger one is 413 `too_large`.
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES


class Problem(BaseModel):
    """Problem details (RFC 9457) with the rejection code."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    code: str
    """The rejection code: `docs/rejection-codes.md` and `docs/api.md`."""


class SignIn(BaseModel):
    """A local account's credentials (development only)."""

    username: str
    password: str


def _contracts() -> list[type[Command]]:
    return sorted(command_types().values(), key=lambda c: c.subject())


def _route_of(model: type[Command]) -> str:
    kind = "queries" if issubclass(model, Query) else "commands"
    return f"/api/v1/{kind}/{model.SERVICE}/{model.NAME}"


Refs = dict[tuple[Any, Any], dict[str, Any]]


@functools.cache
def _schemas() -> tuple[Refs, dict[str, Any]]:
    """Each contract's request and reply schema as `$ref`s, and the components they point to."""
    models: list[tuple[type[BaseModel], Any]] = [(Problem, "serialization"), (CommandReply, "serialization")]
    for model in _contracts():
        models.append((model, "validation"))
        if issubclass(model, Query):
            models.append((model.Reply, "serialization"))
    refs, top = models_json_schema(models, ref_template=_REFS)
    return dict(refs), dict(top.get("$defs", {}))


def _problem(description: str, refs: Refs) -> dict[str, Any]:
    return {"description": description, "content": {PROBLEM_JSON: {"schema": refs[(Problem, "serialization")]}}}


def _principal_of(access: Access) -> Callable[[Request], Awaitable[Principal]]:
    async def principal(request: Request) -> Principal:
        """The person a request acts for: an API token, or a session cookie with its CSRF token."""
        authorization = request.headers.get("authorization")
        if authorization is not None:
            scheme, _, token = authorization.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                raise ApiProblem("unauthenticated", "send `Authorization: Bearer <API token>`")
            holder = await access.token_holder(token.strip())
            if holder is None:
                raise ApiProblem("invalid_token", "this API token is unknown or revoked")
            return holder
        cookie = request.cookies.get(SESSION_COOKIE)
        if cookie is None:
            raise ApiProblem("unauthenticated", "sign in first (/auth/oidc/sign-in), or send an API token")
        session = await access.session(cookie)
        if session is None:
            raise ApiProblem("session_expired", "the session has ended: sign in again")
        if request.method not in _SAFE_METHODS:
            sent = request.headers.get(CSRF_HEADER, "")
            if not session.csrf_token or not hmac.compare_digest(sent.encode(), session.csrf_token.encode()):
                raise ApiProblem("csrf_failed", f"send the session's CSRF token in the {CSRF_HEADER} header")
        return session

    return principal


def _parse(model: type[Command], raw: bytes) -> Command:
    try:
        body = read_json(raw)
    except UnreadableBody as exc:
        raise ApiProblem("invalid_command", str(exc)) from exc
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        errors = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in exc.errors()[:10]]
        raise ApiProblem("invalid_command", describe_invalid(exc), errors=errors) from exc


def _forward(
    model: type[Command], forwarder: Forwarder, principal_of: Callable[[Request], Awaitable[Principal]]
) -> Callable[..., Awaitable[Response]]:
    """The endpoint of one contract: authenticate, validate the body, forward, answer."""

    async def forward(request: Request, principal: Annotated[Principal, Depends(principal_of)]) -> Response:
        contract = _parse(model, await request.body())
        if isinstance(contract, Query):
            try:
                answer = await forwarder.query(contract, principal)
            except Rejected as exc:
                raise ApiProblem(exc.code, exc.message, command_id=contract.command_id) from exc
            return JSONResponse(answer.model_dump(mode="json"))
        reply = await forwarder.command(contract, principal)
        if not reply.accepted:
            raise ApiProblem(reply.code, reply.message, command_id=reply.command_id)
        return JSONResponse(reply.model_dump(mode="json"))

    return forward


def _set_session_cookies(response: Response, opened: NewSession, config: ApiConfig) -> None:
    common: dict[str, Any] = {"secure": config.cookie_secure, "path": "/", "max_age": config.session_max_age_s}
    response.set_cookie(SESSION_COOKIE, opened.cookie, httponly=True, samesite="lax", **common)
    # Readable by the page (double submit): it sends the value back in the header.
    response.set_cookie(CSRF_COOKIE, opened.csrf_token, httponly=False, samesite="strict", **common)


def _safe_next(target: str | None) -> str:
    """A local path to go to after sign-in; anything else (another site) becomes `/`."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def create_app(access: Access, forwarder: Forwarder, config: ApiConfig, oidc: OidcPort | None = None) -> FastAPI:
    """The gateway's ASGI app."""
    app = FastAPI(
        title="Raderwerk API",
        version="1",
        description="Every command and query of Raderwerk's services over HTTP, on behalf of a signed-in person. "
        "See docs/api.md.",
        docs_url="/docs",
        redoc_url=None,
    )
    app.add_middleware(
        SessionMiddleware,
        secret_key=config.state_secret,
        session_cookie="rw_oidc",
        max_age=600,
        same_site="lax",
        https_only=config.cookie_secure,
    )
    app.add_middleware(BodyLimit, max_bytes=config.max_body_bytes)
    refs, components = _schemas()
    principal = _principal_of(access)
    _install_error_handlers(app)
    _add_sign_in(app, access, config, oidc, principal)

    errors: dict[int | str, dict[str, Any]] = {
        401: _problem("No valid session or API token.", refs),
        403: _problem("A CSRF check failed, or the service refused the person this power.", refs),
        422: _problem("The body does not match the contract.", refs),
        409: _problem("The service's rules refused it (the rejection code says which).", refs),
        504: _problem("No service answered.", refs),
    }
    for model in _contracts():
        reply = model.Reply if issubclass(model, Query) else CommandReply
        app.add_api_route(
            _route_of(model),
            _forward(model, forwarder, principal),
            methods=["POST"],
            name=model.subject(),
            operation_id=model.subject().replace(".", "_"),
            summary=f"{model.__name__} ({'query' if issubclass(model, Query) else 'command'} of {model.SERVICE})",
            description=inspect.cleandoc(model.__doc__ or ""),
            tags=[model.SERVICE],
            response_class=JSONResponse,
            responses={
                200: {
                    "description": "Accepted (a query's typed reply).",
                    "content": {"application/json": {"schema": refs[(reply, "serialization")]}},
                },
                **errors,
            },
            openapi_extra={
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": refs[(model, "validation")]}},
                },
                "security": [{"apiToken": []}, {"session": [], "csrf": []}],
            },
        )

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
            found = schema.setdefault("components", {})
            found.setdefault("schemas", {}).update(components)
            found["securitySchemes"] = {
                "apiToken": {"type": "http", "scheme": "bearer", "description": "An API token (`rw tokens create`)."},
                "session": {"type": "apiKey", "in": "cookie", "name": SESSION_COOKIE},
                "csrf": {"type": "apiKey", "in": "header", "name": CSRF_HEADER},
            }
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def _add_sign_in(
    app: FastAPI,
    access: Access,
    config: ApiConfig,
    oidc: OidcPort | None,
    principal: Callable[[Request], Awaitable[Principal]],
) -> None:
    @app.get("/", tags=["sign-in"], summary="Where things are")
    async def index() -> dict[str, Any]:
        return {
            "name": "Raderwerk API",
            "openapi": "/openapi.json",
            "docs": "/docs",
            "sign_in": {
                "oidc": "/auth/oidc/sign-in" if oidc is not None else None,
                "local": "/auth/local/sign-in" if access.local_accounts else None,
            },
        }

    @app.get("/api/v1/me", tags=["sign-in"], summary="Who the request acts for")
    async def me(who: Annotated[Principal, Depends(principal)]) -> dict[str, str]:
        return {"person_id": who.person_id, "via": who.via.actor_via}

    @app.post(
        "/auth/local/sign-in",
        tags=["sign-in"],
        summary="Sign in with a local account (development only)",
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": SignIn.model_json_schema()},
                    "application/x-www-form-urlencoded": {"schema": SignIn.model_json_schema()},
                },
            }
        },
    )
    async def sign_in_local(request: Request) -> Response:
        credentials = await _credentials(request)
        opened = await access.sign_in_local(credentials.username, credentials.password)
        answer = {"person_id": opened.person_id, "via": opened.via.actor_via, "csrf_token": opened.csrf_token}
        response = JSONResponse(answer)
        _set_session_cookies(response, opened, config)
        return response

    @app.get("/auth/oidc/sign-in", tags=["sign-in"], summary="Sign in with the identity provider")
    async def sign_in_oidc(request: Request, next: str | None = None) -> Response:  # noqa: A002 - the usual name
        if oidc is None:
            raise ApiProblem("oidc_not_configured", "no identity provider is configured (RW_GATEWAY_OIDC_ISSUER)")
        request.session["next"] = _safe_next(next)
        base = config.public_url.rstrip("/") if config.public_url else str(request.base_url).rstrip("/")
        return await oidc.redirect(request, f"{base}/auth/oidc/callback")

    @app.get("/auth/oidc/callback", tags=["sign-in"], summary="Where the identity provider sends the browser back")
    async def oidc_callback(request: Request) -> Response:
        if oidc is None:
            raise ApiProblem("oidc_not_configured", "no identity provider is configured (RW_GATEWAY_OIDC_ISSUER)")
        person_id = await oidc.person_id(request)
        opened = await access.open_session(person_id, Via.OIDC)
        response = RedirectResponse(_safe_next(request.session.pop("next", None)), status_code=303)
        _set_session_cookies(response, opened, config)
        return response

    @app.post("/auth/sign-out", tags=["sign-in"], summary="End the session")
    async def sign_out(request: Request, who: Annotated[Principal, Depends(principal)]) -> Response:
        del who  # a signed-in session with its CSRF token: nobody signs someone else out
        cookie = request.cookies.get(SESSION_COOKIE)
        if cookie is not None:
            await access.sign_out(cookie)
        response = Response(status_code=204)
        response.delete_cookie(SESSION_COOKIE, path="/")
        response.delete_cookie(CSRF_COOKIE, path="/")
        return response


async def _credentials(request: Request) -> SignIn:
    try:
        if request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            async with request.form() as form:
                return SignIn.model_validate({k: v for k, v in form.items() if isinstance(v, str)})
        return SignIn.model_validate(read_json(await request.body()))
    except (ValidationError, UnreadableBody) as exc:
        raise ApiProblem("invalid_request", "send a username and a password (JSON or a form)") from exc


def _install_error_handlers(app: FastAPI) -> None:
    async def api_problem(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiProblem)
        return problem_response(exc, request.url.path)

    async def rule(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RuleViolation)
        return problem_response(ApiProblem(exc.code, exc.message), request.url.path)

    async def no_answer(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, NoAnswer)
        return problem_response(ApiProblem("no_answer", str(exc)), request.url.path)

    async def too_large(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, TooLarge)
        return problem_response(ApiProblem("too_large", exc.message), request.url.path)

    async def invalid(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return problem_response(ApiProblem("invalid_request", "the request's parameters are invalid"), request.url.path)

    async def http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        code = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}.get(exc.status_code, "invalid_request")
        return problem_response(ApiProblem(code, str(exc.detail), status=exc.status_code), request.url.path)

    app.add_exception_handler(ApiProblem, api_problem)
    app.add_exception_handler(RuleViolation, rule)
    app.add_exception_handler(NoAnswer, no_answer)
    app.add_exception_handler(TooLarge, too_large)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(StarletteHTTPException, http)
