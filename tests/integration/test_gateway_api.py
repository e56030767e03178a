"""The HTTP API on the real stack: every service running, the gateway forwarding over NATS.

Every command and query is listed in the OpenAPI document and reaches its service with the actor the
gateway signed (a reply comes back: accepted, or the service's own refusal carrying the request's
command id, never a refused actor); without a valid
session or API token, or with a revoked one, every one is refused with problem details.
"""

from __future__ import annotations

import uuid
import warnings
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from hypothesis.errors import NonInteractiveExampleWarning
from pydantic import ValidationError

from services.gateway.bootstrap import operator_access
from services.gateway.entrypoints.api import CSRF_HEADER, SESSION_COOKIE
from services.gateway.service_layer.access import Access
from shared.clock import system_clock
from shared.contracts.base import Command, Query, command_types
from tests.integration.bad_input.schema_values import valid_body
from tests.integration.bad_input.system import System, running_system
from tests.integration.processes import runtime_password

pytestmark = pytest.mark.timeout(600)

CONTRACTS = sorted(command_types().values(), key=lambda c: c.subject())


@pytest.fixture(scope="module")
async def system(tmp_path_factory: pytest.TempPathFactory, pg_dsn: str) -> AsyncIterator[System]:
    async with running_system(tmp_path_factory.mktemp("gateway-nats"), pg_dsn) as running:
        yield running


@pytest.fixture(scope="module")
def access(system: System) -> Access:
    gateway = system.services["gateway"]
    return operator_access(
        gateway.app_dsn, runtime_password(gateway.schema), system_clock, local_accounts=True, schema=gateway.schema
    )


@pytest.fixture
async def api(system: System) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=system.api_url, timeout=30) as client:
        yield client


def _route(model: type[Command]) -> str:
    return f"/api/v1/{'queries' if issubclass(model, Query) else 'commands'}/{model.SERVICE}/{model.NAME}"


def _valid(model: type[Command]) -> dict[str, Any]:
    """A body the contract accepts, with a command id of its own.

    The JSON schema cannot say everything a contract's validators check ("exactly one way of
    voting"): drawn until one passes them too.
    """
    strategy = valid_body(model.model_json_schema())
    for _ in range(500):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", NonInteractiveExampleWarning)
            body: dict[str, Any] = {**strategy.example(), "command_id": f"gw-{uuid.uuid4().hex}"}
        try:
            model.model_validate(body)
        except ValidationError:
            continue
        return body
    raise AssertionError(f"no valid body drawn for {model.__name__}")


def _problem(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, f"{response.request.url}: {response.text}"
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == code


async def test_every_command_and_query_is_listed_in_the_openapi_document(api: httpx.AsyncClient) -> None:
    document = (await api.get("/openapi.json")).json()
    assert document["openapi"].startswith("3.1")
    for model in CONTRACTS:
        operation = document["paths"][_route(model)]["post"]
        assert operation["tags"] == [model.SERVICE]
        assert "$ref" in operation["requestBody"]["content"]["application/json"]["schema"]


async def test_without_a_valid_session_or_token_every_command_is_refused(
    api: httpx.AsyncClient, access: Access
) -> None:
    revoked = await access.create_token("p-fd", "revoked before use")
    await access.revoke_token(revoked.token_id)
    await access.keep_account("p-secr", "p-secr", "Fien Wouters", "a local password")
    signed_in = await api.post("/auth/local/sign-in", json={"username": "p-secr", "password": "a local password"})
    cookie = signed_in.cookies[SESSION_COOKIE]
    for model in CONTRACTS:
        body = _valid(model)
        _problem(await api.post(_route(model), json=body), 401, "unauthenticated")
        _problem(
            await api.post(_route(model), json=body, headers={"Authorization": f"Bearer {revoked.token}"}),
            401,
            "invalid_token",
        )
        # A session's cookie alone, as a forged cross-site form would send it: no CSRF token, refused.
        _problem(
            await api.post(_route(model), json=body, headers={"Cookie": f"{SESSION_COOKIE}={cookie}"}),
            403,
            "csrf_failed",
        )


async def test_every_command_and_query_reaches_its_service(api: httpx.AsyncClient, access: Access) -> None:
    token = (await access.create_token("p-ad", "reachability")).token
    headers = {"Authorization": f"Bearer {token}"}
    unreached = []
    for model in CONTRACTS:
        body = _valid(model)
        response = await api.post(_route(model), json=body, headers=headers)
        answer = response.json()
        # The service's answer, accepted or refused by its rules, repeats the command id.
        if response.status_code == 200:
            reached = answer["command_id"] == body["command_id"]
        else:
            # ... and the service took the gateway's signed actor (else an `actor_…` refusal).
            reached = answer.get("command_id") == body["command_id"] and not answer["code"].startswith("actor_")
        if not reached:
            unreached.append(f"{model.subject()}: {response.status_code} {answer}")
    assert not unreached, "\n".join(unreached)


async def test_a_session_with_its_csrf_token_acts_for_its_person(api: httpx.AsyncClient, access: Access) -> None:
    await access.keep_account("p-fd", "p-fd", "Bram Peeters", "another local password")
    signed_in = await api.post("/auth/local/sign-in", json={"username": "p-fd", "password": "another local password"})
    assert signed_in.status_code == 200, signed_in.text
    session = {"Cookie": f"{SESSION_COOKIE}={signed_in.cookies[SESSION_COOKIE]}"}
    assert (await api.get("/api/v1/me", headers=session)).json() == {"person_id": "p-fd", "via": "gateway:local"}
    query = {"command_id": f"gw-{uuid.uuid4().hex}"}
    listed = await api.post(
        "/api/v1/queries/hr/list_staff", json=query, headers={**session, CSRF_HEADER: signed_in.json()["csrf_token"]}
    )
    assert listed.status_code == 200, listed.text
    assert {s["person_id"] for s in listed.json()["staff"]} >= {"p-ad", "p-fd"}
