"""Sign-in with OpenID Connect against an identity provider the test starts (code flow with PKCE)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from services.gateway.adapters.oidc import OidcSignIn
from services.gateway.entrypoints.api import SESSION_COOKIE
from tests.integration.identity_provider import IdentityProvider, running_provider
from tests.unit.gateway.app import Gateway, gateway


@pytest.fixture
async def idp() -> AsyncIterator[IdentityProvider]:
    async with running_provider() as provider:
        yield provider


def _gateway_for(idp: IdentityProvider) -> Gateway:
    oidc = OidcSignIn(
        idp.issuer, idp.client_id, idp.client_secret, person_claim=idp.person_claim, scope="openid profile"
    )
    return gateway(oidc=oidc)


async def _through_the_provider(gw: Gateway, next_path: str = "/api/v1/me") -> httpx.Response:
    """The browser's round trip: the gateway sends it to the provider, which sends it back with a code."""
    start = await gw.client.get("/auth/oidc/sign-in", params={"next": next_path})
    assert start.status_code == 302, start.text
    authorize = urlsplit(start.headers["location"])
    asked = parse_qs(authorize.query)
    assert asked["code_challenge_method"] == ["S256"]
    assert asked["code_challenge"][0]
    assert asked["nonce"][0]
    assert asked["state"][0]
    assert "openid" in asked["scope"][0].split()
    async with httpx.AsyncClient() as browser_at_idp:
        back = await browser_at_idp.get(start.headers["location"])
    assert back.status_code == 302, back.text
    callback = urlsplit(back.headers["location"])
    assert callback.path == "/auth/oidc/callback"
    return await gw.client.get(f"{callback.path}?{callback.query}")


async def test_a_person_signs_in_with_the_identity_provider(idp: IdentityProvider) -> None:
    gw = _gateway_for(idp)
    idp.person = "p-fd"
    done = await _through_the_provider(gw)
    assert done.status_code == 303, done.text
    assert done.headers["location"] == "/api/v1/me"
    assert SESSION_COOKIE in gw.client.cookies
    me = await gw.client.get("/api/v1/me")
    assert me.json() == {"person_id": "p-fd", "via": "gateway:oidc"}
    assert idp.token_requests == 1


async def test_an_id_token_signed_with_another_key_is_refused(idp: IdentityProvider) -> None:
    gw = _gateway_for(idp)
    idp.forge = True
    done = await _through_the_provider(gw)
    assert done.status_code == 401, done.text
    assert done.json()["code"] == "oidc_failed"
    assert "signature" in done.json()["detail"].lower()
    assert SESSION_COOKIE not in gw.client.cookies
    assert (await gw.client.get("/api/v1/me")).json()["code"] == "unauthenticated"


async def test_a_callback_with_another_state_is_refused(idp: IdentityProvider) -> None:
    gw = _gateway_for(idp)
    start = await gw.client.get("/auth/oidc/sign-in")
    async with httpx.AsyncClient() as browser_at_idp:
        back = await browser_at_idp.get(start.headers["location"])
    callback = urlsplit(back.headers["location"])
    code = parse_qs(callback.query)["code"][0]
    done = await gw.client.get(callback.path, params={"code": code, "state": "a-state-of-another-sign-in"})
    assert done.status_code == 401
    assert done.json()["code"] == "oidc_failed"
    assert idp.token_requests == 0  # refused before the code was ever exchanged


async def test_the_way_back_stays_on_the_gateway(idp: IdentityProvider) -> None:
    gw = _gateway_for(idp)
    done = await _through_the_provider(gw, next_path="https://elsewhere.example/steal")
    assert done.status_code == 303
    assert done.headers["location"] == "/"
