"""Composition root of the gateway: the only place that reads settings and builds I/O objects."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import os
import secrets
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any

import uvicorn
import yaml
from fastapi import FastAPI
from pydantic import Field, SecretStr, model_validator
from sqlalchemy.ext.asyncio import AsyncEngine

from services.gateway.adapters.forwarding import NatsForwarder
from services.gateway.adapters.live import LiveHub
from services.gateway.adapters.oidc import OidcSignIn
from services.gateway.adapters.passwords import Argon2Hasher
from services.gateway.adapters.tables import metadata
from services.gateway.adapters.uow import SqlGatewayUnitOfWork
from services.gateway.domain.model import GatewayPolicy
from services.gateway.entrypoints.api import ApiConfig, create_app
from services.gateway.entrypoints.body_limit import DEFAULT_MAX_BODY_BYTES
from services.gateway.entrypoints.console import add_console
from services.gateway.entrypoints.subscriptions import registry
from services.gateway.service_layer.access import Access
from shared.actor import ActorKeyError, ActorSigner, load_private_key
from shared.clock import Clock
from shared.db.engine import make_engine, make_session_factory
from shared.db.tables import messaging_tables
from shared.logging import get_logger
from shared.messaging.routes import Registry
from shared.runtime import ServiceRuntime
from shared.settings import Environment, ServiceSettings
from shared.wiring import clock_of, wire_service

__all__ = ["DEMO_FILE", "GatewaySettings", "access_of", "build", "operator_access", "registry_of", "seed", "signer_of"]

log = get_logger(__name__)

DEMO_FILE = Path(__file__).resolve().parents[2] / "deploy" / "demo" / "municipality.yaml"


class GatewaySettings(ServiceSettings):
    """Settings of the gateway (`RW_GATEWAY_*`)."""

    api_host: str = Field(default="127.0.0.1", description="Where the HTTP API listens.")
    api_port: int = Field(default=8000, ge=0, le=65535, description="The HTTP API's port.")
    public_url: str | None = Field(
        default=None, description="Where browsers reach the gateway (the OIDC redirect URI is built on it)."
    )
    cookie_secure: bool = Field(
        default=True, description="Session cookies only over HTTPS; off only for plain-HTTP development."
    )
    state_secret: SecretStr | None = Field(
        default=None,
        description="Signs the short-lived OIDC sign-in state cookie; required in prod (replicas share it), "
        "random per process otherwise.",
    )
    session_ttl_s: int | None = Field(default=None, gt=0, description="Session lifetime; default the policy's.")
    request_timeout_s: float = Field(default=10.0, gt=0, description="How long to wait for a service's reply.")
    max_body_bytes: int = Field(
        default=DEFAULT_MAX_BODY_BYTES,
        gt=0,
        description="The largest HTTP request body taken; a larger one is refused 413 before it is read.",
    )
    oidc_issuer: str | None = Field(default=None, description="The identity provider's issuer URL (OIDC discovery).")
    oidc_client_id: str | None = None
    oidc_client_secret: SecretStr | None = None
    oidc_person_claim: str = Field(default="sub", description="The id token claim that holds the person id.")
    oidc_scope: str = "openid profile email"
    actor_key_file: Path | None = Field(
        default=None,
        description="The gateway's Ed25519 signing key (PEM) for the actor of every command it forwards; "
        "required to run (`make run` generates it).",
    )
    actor_key_id: str = Field(default="gateway", description="The key id services know its public key by.")
    actor_issuer: str = Field(default="raderwerk-gateway", description="`iss` of the actor tokens it signs.")
    actor_ttl_s: float = Field(default=60.0, gt=0, le=300, description="Lifetime of an actor token.")
    demo_accounts_file: Path | None = Field(
        default=None, description="Where the demo seed keeps the local accounts' generated passwords (`rw users`)."
    )

    @model_validator(mode="after")
    def _production(self) -> GatewaySettings:
        oidc = (self.oidc_issuer, self.oidc_client_id, self.oidc_client_secret)
        if any(v is not None for v in oidc) and not all(v is not None for v in oidc):
            raise ValueError("OIDC needs oidc_issuer, oidc_client_id and oidc_client_secret together")
        if self.environment is Environment.PROD:
            if self.state_secret is None:
                raise ValueError("state_secret is required in prod")
            if not self.cookie_secure:
                raise ValueError("cookies are secure in prod (cookie_secure cannot be false)")
        return self

    @property
    def local_accounts(self) -> bool:
        """Local accounts work in development and test, never in production."""
        return self.environment is not Environment.PROD


def registry_of(settings: GatewaySettings) -> Registry:
    """The gateway's (empty) NATS registry."""
    del settings
    return registry()


def _policy(settings: GatewaySettings) -> GatewayPolicy:
    if settings.session_ttl_s is None:
        return GatewayPolicy()
    return GatewayPolicy(session_ttl=dt.timedelta(seconds=settings.session_ttl_s))


def access_of(settings: GatewaySettings, engine: AsyncEngine, hasher: Argon2Hasher | None = None) -> Access:
    """The sign-in use cases over the gateway's schema (passwords hashed with argon2-cffi's defaults)."""
    sessions, tables = make_session_factory(engine), messaging_tables(metadata)
    return Access(
        lambda: SqlGatewayUnitOfWork(sessions, tables),
        clock_of(settings),
        hasher or Argon2Hasher(),
        _policy(settings),
        local_accounts=settings.local_accounts,
    )


def operator_access(
    database_url: str, password: str | None, clock: Clock, *, local_accounts: bool, schema: str = "gateway"
) -> Access:
    """The same use cases for the operator's command line (`rw tokens`), on a login it has.

    Its engine lives as long as the process, which is one command long.
    """
    engine = make_engine(database_url, schema, password=SecretStr(password) if password else None)
    sessions, tables = make_session_factory(engine), messaging_tables(metadata)
    return Access(
        lambda: SqlGatewayUnitOfWork(sessions, tables),
        clock,
        Argon2Hasher(),
        GatewayPolicy(),
        local_accounts=local_accounts,
    )


def _oidc(settings: GatewaySettings) -> OidcSignIn | None:
    if settings.oidc_issuer is None or settings.oidc_client_id is None or settings.oidc_client_secret is None:
        return None
    return OidcSignIn(
        settings.oidc_issuer,
        settings.oidc_client_id,
        settings.oidc_client_secret.get_secret_value(),
        person_claim=settings.oidc_person_claim,
        scope=settings.oidc_scope,
    )


def app_of(settings: GatewaySettings, access: Access, forwarder: NatsForwarder, live: LiveHub | None = None) -> FastAPI:
    """The ASGI app (the API and the console) with its configuration from settings."""
    secret = settings.state_secret.get_secret_value() if settings.state_secret else secrets.token_urlsafe(32)
    config = ApiConfig(
        cookie_secure=settings.cookie_secure,
        state_secret=secret,
        public_url=settings.public_url,
        session_max_age_s=int(_policy(settings).session_ttl.total_seconds()),
        max_body_bytes=settings.max_body_bytes,
    )
    oidc = _oidc(settings)
    app = create_app(access, forwarder, config, oidc)
    add_console(app, access, forwarder, config, clock_of(settings), live=live, oidc=oidc is not None)
    return app


class _Server(uvicorn.Server):
    """uvicorn without its own signal handlers: the service runtime owns SIGINT and SIGTERM."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def _serving(app: FastAPI, host: str, port: int) -> Callable[[], Coroutine[Any, Any, None]]:
    async def serve_api() -> None:
        """The HTTP API until the service stops; then open requests get a moment to finish."""
        server = _Server(uvicorn.Config(app, host=host, port=port, log_config=None, lifespan="off", access_log=False))
        task = asyncio.create_task(server.serve(), name="gateway-api")
        try:
            await asyncio.shield(task)
        except asyncio.CancelledError:
            server.should_exit = True
            with contextlib.suppress(Exception):
                await asyncio.wait_for(task, timeout=5)
            raise
        if server.started is False:
            raise RuntimeError(f"the API could not listen on {host}:{port}")

    return serve_api


def signer_of(settings: GatewaySettings) -> ActorSigner:
    """The gateway's actor signer; without its key the gateway must not start (it could act for nobody)."""
    if settings.actor_key_file is None:
        raise ActorKeyError("no actor signing key: set RW_GATEWAY_ACTOR_KEY_FILE (`make run` generates one)")
    return ActorSigner(
        load_private_key(settings.actor_key_file),
        settings.actor_key_id,
        issuer=settings.actor_issuer,
        ttl=settings.actor_ttl_s,
    )


def build(settings: GatewaySettings) -> ServiceRuntime:
    """Engine, broker (to send), the actor signer, and the HTTP API as a background job of the runtime."""
    signer = signer_of(settings)
    runtime = wire_service(settings, metadata, SqlGatewayUnitOfWork, registry_of(settings))
    forwarder = NatsForwarder(
        lambda: runtime.broker.config.connection_state.connection, signer, timeout=settings.request_timeout_s
    )
    live = LiveHub(lambda: runtime.broker.config.connection_state.connection)
    app = app_of(settings, access_of(settings, runtime.engine), forwarder, live)
    runtime.background.append(live.run)
    runtime.background.append(_serving(app, settings.api_host, settings.api_port))
    log.info(
        "gateway API",
        url=f"http://{settings.api_host}:{settings.api_port}",
        docs="/docs",
        console=f"http://{settings.api_host}:{settings.api_port}/console",
    )
    return runtime


def _demo_people() -> list[tuple[str, str]]:
    demo = yaml.safe_load(DEMO_FILE.read_text())
    return [(p["id"], p["name"]) for p in [*demo.get("persons", []), *demo.get("politicians", [])]]


async def seed(settings: GatewaySettings) -> str:
    """Local accounts for the demo people, passwords generated once and kept in the demo accounts file."""
    if not settings.local_accounts:
        return "no local accounts in prod"
    if settings.demo_accounts_file is None:
        return "no demo accounts file (RW_GATEWAY_DEMO_ACCOUNTS_FILE): no local accounts"
    path = settings.demo_accounts_file
    stored: dict[str, dict[str, str]] = json.loads(path.read_text()) if path.exists() else {}
    engine = make_engine(settings.database_url, settings.db_schema, password=settings.database_password)
    try:
        access = access_of(settings, engine, Argon2Hasher.for_generated_passwords())
        known = {a.username for a in await access.accounts()}
        for person_id, name in _demo_people():
            if person_id in known and person_id in stored:
                continue
            password = stored.get(person_id, {}).get("password") or secrets.token_urlsafe(12)
            await access.keep_account(person_id, person_id, name, password)
            stored[person_id] = {"person_id": person_id, "name": name, "password": password}
    finally:
        await engine.dispose()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(stored, handle, indent=2)
    return f"{len(stored)} local demo accounts (`rw users` lists them)"
