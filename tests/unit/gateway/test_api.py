"""The HTTP API over fakes: every contract routed and documented, who may call it, problem details."""

from __future__ import annotations

import inspect
import json
import uuid
from typing import Any

import httpx
import pytest

from services.gateway.domain.model import Via
from services.gateway.entrypoints.api import CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE
from services.gateway.entrypoints.body_limit import DEFAULT_MAX_BODY_BYTES
from services.gateway.entrypoints.problems import status_of
from shared.contracts.base import Query, command_types
from tests.unit.gateway.app import ChunkedBody, Gateway, gateway

MARK_PAID = "/api/v1/commands/finance/mark_paid"
LIST_STAFF = "/api/v1/queries/hr/list_staff"


def _route(subject: str) -> str:
    model = command_types()[subject]
    return f"/api/v1/{'queries' if issubclass(model, Query) else 'commands'}/{model.SERVICE}/{model.NAME}"


def _mark_paid() -> dict[str, Any]:
    return {"command_id": str(uuid.uuid4()), "payment_order_id": str(uuid.uuid4())}


def _is_problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["code"] == code
    assert body["status"] == status
    assert body["type"] == f"urn:raderwerk:problem:{code}"
    assert body["title"]
    assert body["detail"]
    return body


async def _signed_in(gw: Gateway, person: str = "p-fd") -> str:
    await gw.access.keep_account(person, person, "Bram Peeters", "correct horse")
    response = await gw.client.post("/auth/local/sign-in", json={"username": person, "password": "correct horse"})
    assert response.status_code == 200, response.text
    csrf: str = response.json()["csrf_token"]
    assert gw.client.cookies[CSRF_COOKIE] == csrf
    return csrf


async def test_every_command_and_query_is_a_route_in_the_openapi_document() -> None:
    gw = gateway()
    document = (await gw.client.get("/openapi.json")).json()
    assert document["openapi"].startswith("3.1")
    schemas = document["components"]["schemas"]
    for subject, model in command_types().items():
        operation = document["paths"][_route(subject)]["post"]
        assert operation["description"] == inspect.cleandoc(model.__doc__ or "")
        ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        request_schema = schemas[ref.rsplit("/", 1)[1]]
        assert "command_id" in request_schema["properties"], subject
        assert set(operation["responses"]) >= {"200", "401", "403", "422", "504"}
        answer = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        assert answer.rsplit("/", 1)[1] in schemas
    assert len([p for p in document["paths"] if p.startswith("/api/v1/")]) == len(command_types()) + 1  # + /me


async def test_without_a_session_or_token_every_command_and_query_is_refused_with_problem_details() -> None:
    gw = gateway()
    for subject in command_types():
        response = await gw.client.post(_route(subject), json={"command_id": str(uuid.uuid4())})
        _is_problem(response, 401, "unauthenticated")
        assert response.headers["www-authenticate"].startswith("Bearer")
    assert gw.forwarder.sent == []


async def test_a_session_needs_its_csrf_token_for_a_command() -> None:
    gw = gateway()
    csrf = await _signed_in(gw)
    _is_problem(await gw.client.post(MARK_PAID, json=_mark_paid()), 403, "csrf_failed")
    _is_problem(
        await gw.client.post(MARK_PAID, json=_mark_paid(), headers={CSRF_HEADER: "x" + csrf}), 403, "csrf_failed"
    )
    assert gw.forwarder.sent == []
    body = _mark_paid()
    response = await gw.client.post(MARK_PAID, json=body, headers={CSRF_HEADER: csrf})
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "accepted"
    assert response.json()["command_id"] == body["command_id"]
    ((sent, principal),) = gw.forwarder.sent
    assert sent.subject() == "cmd.finance.mark_paid"
    assert str(sent.model_dump()["payment_order_id"]) == body["payment_order_id"]
    assert (principal.person_id, principal.via) == ("p-fd", Via.LOCAL)


async def test_the_session_cookie_is_secure_http_only_and_same_site() -> None:
    gw = gateway()
    await gw.access.keep_account("p-ad", "p-ad", "An De Smet", "pw")
    response = await gw.client.post("/auth/local/sign-in", data={"username": "p-ad", "password": "pw"})
    cookies = {c.split("=", 1)[0]: c.lower() for c in response.headers.get_list("set-cookie")}
    assert {"secure", "httponly", "samesite=lax"} <= {p.strip() for p in cookies[SESSION_COOKIE].split(";")}
    csrf = {p.strip() for p in cookies[CSRF_COOKIE].split(";")}
    assert "secure" in csrf
    assert "samesite=strict" in csrf
    assert "httponly" not in csrf


async def test_a_wrong_password_or_unknown_user_is_refused() -> None:
    gw = gateway()
    await gw.access.keep_account("p-ad", "p-ad", "An De Smet", "pw")
    for username, password in (("p-ad", "wrong"), ("nobody", "pw")):
        response = await gw.client.post("/auth/local/sign-in", json={"username": username, "password": password})
        _is_problem(response, 401, "sign_in_refused")
    _is_problem(await gw.client.post("/auth/local/sign-in", json={"username": "p-ad"}), 422, "invalid_request")


async def test_local_accounts_are_refused_in_production() -> None:
    gw = gateway(local_accounts=False)
    response = await gw.client.post("/auth/local/sign-in", json={"username": "p-ad", "password": "pw"})
    _is_problem(response, 403, "local_accounts_disabled")
    with pytest.raises(Exception, match="local accounts are for development"):
        await gw.access.keep_account("p-ad", "p-ad", "An De Smet", "pw")


async def test_an_api_token_acts_for_its_person_until_revoked() -> None:
    gw = gateway()
    created = await gw.access.create_token("p-fd", "bookkeeping export")
    headers = {"Authorization": f"Bearer {created.token}"}
    me = await gw.client.get("/api/v1/me", headers=headers)
    assert me.json() == {"person_id": "p-fd", "via": "gateway:token"}
    # A token needs no CSRF header: a browser never sends it by itself.
    assert (await gw.client.post(MARK_PAID, json=_mark_paid(), headers=headers)).status_code == 200
    assert [t.secret_digest for t in gw.store.tokens.rows.values()] != [created.token]  # only its digest is kept
    await gw.access.revoke_token(created.token_id)
    _is_problem(await gw.client.post(MARK_PAID, json=_mark_paid(), headers=headers), 401, "invalid_token")
    _is_problem(
        await gw.client.get("/api/v1/me", headers={"Authorization": "Bearer rwt_nothing"}), 401, "invalid_token"
    )
    _is_problem(await gw.client.get("/api/v1/me", headers={"Authorization": "Basic eDp5"}), 401, "unauthenticated")
    assert len(gw.forwarder.sent) == 1


async def test_sign_out_ends_the_session() -> None:
    gw = gateway()
    csrf = await _signed_in(gw)
    assert (await gw.client.get("/api/v1/me")).json()["via"] == "gateway:local"
    assert (await gw.client.post("/auth/sign-out", headers={CSRF_HEADER: csrf})).status_code == 204
    cookie = next(iter(gw.store.sessions.rows), None)
    assert cookie is None
    gw.client.cookies.set(SESSION_COOKIE, "a-session-that-ended", domain="gateway.test")
    _is_problem(await gw.client.get("/api/v1/me"), 401, "session_expired")


async def test_an_expired_session_is_refused() -> None:
    from shared.clock import FixedClock
    from tests.unit.gateway.app import NOW

    clock = FixedClock(NOW)
    gw = gateway(clock=clock)
    await _signed_in(gw)
    assert (await gw.client.get("/api/v1/me")).status_code == 200
    clock.advance(hours=8)
    _is_problem(await gw.client.get("/api/v1/me"), 401, "session_expired")


async def test_an_invalid_body_is_422_with_the_fields() -> None:
    gw = gateway()
    token = (await gw.access.create_token("p-fd", "t")).token
    headers = {"Authorization": f"Bearer {token}"}
    body = _is_problem(
        await gw.client.post(MARK_PAID, json={"command_id": "short"}, headers=headers), 422, "invalid_command"
    )
    assert {tuple(e["loc"]) for e in body["errors"]} >= {("command_id",), ("payment_order_id",)}
    _is_problem(await gw.client.post(MARK_PAID, content=b"{not json", headers=headers), 422, "invalid_command")
    assert gw.forwarder.sent == []


@pytest.mark.parametrize(
    ("code", "status"),
    [("not_financial_director", 403), ("actor_expired", 403), ("quorum_not_reached", 409), ("unknown_credit", 404)],
)
async def test_a_services_refusal_is_a_problem_with_its_code(code: str, status: int) -> None:
    gw = gateway()
    headers = {"Authorization": f"Bearer {(await gw.access.create_token('p-fd', 't')).token}"}
    gw.forwarder.refuse = (code, "refused by the service")
    body = _mark_paid()
    problem = _is_problem(await gw.client.post(MARK_PAID, json=body, headers=headers), status, code)
    assert problem["command_id"] == body["command_id"]
    assert problem["detail"] == "refused by the service"
    query = {"command_id": str(uuid.uuid4())}
    _is_problem(await gw.client.post(LIST_STAFF, json=query, headers=headers), status, code)
    assert status_of(code) == status


async def test_no_answer_is_504_and_an_unknown_route_404() -> None:
    gw = gateway()
    headers = {"Authorization": f"Bearer {(await gw.access.create_token('p-fd', 't')).token}"}
    gw.forwarder.silent = True
    _is_problem(await gw.client.post(MARK_PAID, json=_mark_paid(), headers=headers), 504, "no_answer")
    _is_problem(await gw.client.post("/api/v1/commands/finance/nothing", json={}, headers=headers), 404, "not_found")
    _is_problem(await gw.client.get(MARK_PAID, headers=headers), 405, "method_not_allowed")


async def test_oidc_routes_say_when_no_provider_is_configured() -> None:
    gw = gateway()
    _is_problem(await gw.client.get("/auth/oidc/sign-in"), 404, "oidc_not_configured")
    assert (await gw.client.get("/")).json()["sign_in"] == {"oidc": None, "local": "/auth/local/sign-in"}


async def test_a_body_over_the_limit_is_413_before_it_is_read_whole() -> None:
    gw = gateway()
    limit = DEFAULT_MAX_BODY_BYTES
    declared = await gw.client.post("/auth/local/sign-in", content=b"{}", headers={"Content-Length": str(10 * limit)})
    _is_problem(declared, 413, "too_large")
    csrf = await _signed_in(gw)
    for path, headers in (("/auth/local/sign-in", {}), (MARK_PAID, {CSRF_HEADER: csrf})):
        body = ChunkedBody(total=100 * limit)
        _is_problem(await gw.client.post(path, content=body, headers=headers), 413, "too_large")
        assert body.pulled <= limit + body.chunk, f"{path}: the gateway read {body.pulled:,} bytes"
    assert gw.forwarder.sent == []


async def test_a_body_under_the_limit_goes_through() -> None:
    gw = gateway()
    token = (await gw.access.create_token("p-fd", "t")).token
    padded = json.dumps(_mark_paid()).encode() + b" " * (DEFAULT_MAX_BODY_BYTES - 1_000)
    response = await gw.client.post(MARK_PAID, content=padded, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
