"""Sign-in with OpenID Connect: the authorization code flow with PKCE (S256), with Authlib.

Authlib reads the provider's discovery document, keeps the state, nonce and PKCE verifier of a
sign-in in the short-lived Starlette session cookie (signed with itsdangerous), exchanges the
code at the token endpoint and validates the id token against the provider's JWKS: its
signature, issuer, audience, expiry and nonce. The person is the claim the settings name.
"""

from __future__ import annotations

import warnings

import httpx
from authlib.common.errors import AuthlibBaseError
from authlib.deprecate import AuthlibDeprecationWarning
from joserfc.errors import JoseError
from starlette.requests import Request
from starlette.responses import Response

from shared.kernel import RuleViolation

with warnings.catch_warnings():
    # Authlib announces a move to `httpx2` on import; the client it builds on httpx works as it is.
    warnings.simplefilter("ignore", AuthlibDeprecationWarning)
    from authlib.integrations.starlette_client import OAuth

__all__ = ["OidcSignIn"]

_FAILURES = (AuthlibBaseError, JoseError, httpx.HTTPError, ValueError, KeyError)


class OidcSignIn:
    """One identity provider, registered as a confidential client with PKCE."""

    def __init__(self, issuer: str, client_id: str, client_secret: str, *, person_claim: str, scope: str) -> None:
        self.issuer = issuer.rstrip("/")
        self._person_claim = person_claim
        oauth = OAuth()
        oauth.register(
            "idp",
            client_id=client_id,
            client_secret=client_secret,
            server_metadata_url=f"{self.issuer}/.well-known/openid-configuration",
            client_kwargs={"scope": scope, "code_challenge_method": "S256"},
        )
        client = oauth.create_client("idp")
        if client is None:  # pragma: no cover - registered just above
            raise RuntimeError("the identity provider was not registered")
        self._client = client

    async def redirect(self, request: Request, redirect_uri: str) -> Response:
        """Send the browser to the provider's authorization endpoint."""
        try:
            response: Response = await self._client.authorize_redirect(request, redirect_uri)
        except _FAILURES as exc:
            raise RuleViolation("oidc_unavailable", f"the identity provider cannot be reached: {exc}") from exc
        return response

    async def person_id(self, request: Request) -> str:
        """The person the provider vouches for, from the callback's code; refused when anything is off."""
        try:
            token = await self._client.authorize_access_token(request)
        except _FAILURES as exc:
            raise RuleViolation("oidc_failed", f"sign-in with the identity provider failed: {exc}") from exc
        claims = token.get("userinfo") or {}
        person_id = claims.get(self._person_claim)
        if not isinstance(person_id, str) or not person_id:
            raise RuleViolation("oidc_failed", f"the id token has no {self._person_claim!r} claim naming the person")
        return person_id
