"""Errors as `application/problem+json` (RFC 9457), each carrying the rejection `code`.

The HTTP status follows from the code (`status_of`): the services' rejection codes are documented
in `docs/rejection-codes.md`; the table below names those that mean something other than "the
rules say no to this, now" (409).
"""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse

__all__ = ["PROBLEM_JSON", "STATUS_OF_CODE", "ApiProblem", "problem_response", "status_of"]

PROBLEM_JSON = "application/problem+json"

#: Rejection codes whose HTTP status is not 409 Conflict.
STATUS_OF_CODE: dict[str, int] = {
    # the request itself is wrong
    "invalid_command": 422,
    "invalid_request": 422,
    # who is asking: not signed in, or not any more
    "unauthenticated": 401,
    "invalid_token": 401,
    "session_expired": 401,
    "sign_in_refused": 401,
    "oidc_failed": 401,
    # signed in, but not allowed: the gateway's own checks
    "csrf_failed": 403,
    "local_accounts_disabled": 403,
    # signed in, but the service refuses the person this power (the decree's powers)
    "not_financial_director": 403,
    "not_algemeen_directeur": 403,
    "not_owner": 403,
    "not_a_signatory": 403,
    "no_signing_power": 403,
    "no_valid_delegation": 403,
    "not_the_handler": 403,
    "not_competent_for_access": 403,
    "not_permitted": 403,
    # something the request names does not exist
    "unknown_token": 404,
    "oidc_not_configured": 404,
    "not_found": 404,
    "method_not_allowed": 405,
    "too_large": 413,
    # the services: a failure on their side, or no answer at all
    "internal_error": 502,
    "oidc_unavailable": 502,
    "no_answer": 504,
    "deadline_passed": 504,
}

#: Codes starting with these are refusals of the signed actor or of a power, whatever their suffix.
_FORBIDDEN_PREFIXES = ("actor_", "power_", "forbidden_")


def status_of(code: str) -> int:
    """The HTTP status of a rejection code: the table, 403 for actor and power refusals, else 409."""
    if code in STATUS_OF_CODE:
        return STATUS_OF_CODE[code]
    if code.startswith(_FORBIDDEN_PREFIXES):
        return 403
    if code.startswith("unknown_"):
        return 404
    return 409


class ApiProblem(Exception):
    """A refusal the gateway answers itself (before or after a service was asked)."""

    def __init__(self, code: str, detail: str, *, status: int | None = None, **extensions: Any) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail
        self.status = status if status is not None else status_of(code)
        self.extensions = extensions


_TITLES = {
    401: "Not signed in",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Refused by the rules",
    413: "Request too large",
    422: "Invalid request",
    502: "The service failed",
    504: "No service answered",
}


def problem_response(problem: ApiProblem, instance: str) -> JSONResponse:
    """The problem details document of a refusal."""
    body: dict[str, Any] = {
        "type": f"urn:raderwerk:problem:{problem.code}",
        "title": _TITLES.get(problem.status, "Refused"),
        "status": problem.status,
        "detail": problem.detail,
        "instance": instance,
        "code": problem.code,
        **problem.extensions,
    }
    headers = {"WWW-Authenticate": 'Bearer realm="raderwerk"'} if problem.status == 401 else None
    return JSONResponse(body, status_code=problem.status, media_type=PROBLEM_JSON, headers=headers)
