"""`rw users` and `rw tokens …`: the gateway's local demo accounts and the API tokens of machine clients.

`rw users` reads the demo accounts file `make run` writes (development only: production signs in
with the identity provider). `rw tokens` works on the gateway's schema directly, as the operator:
with `make run`, through the database login in `run.json`; elsewhere through
`RW_GATEWAY_DATABASE_URL` (and `RW_GATEWAY_DATABASE_PASSWORD`).
"""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.table import Table

from cli.connection import NotRunningError, clock_of, load_run_info

if TYPE_CHECKING:
    from services.gateway.service_layer.access import Access

__all__ = ["tokens_app", "users"]

tokens_app = typer.Typer(help="API tokens of machine clients.", no_args_is_help=True, add_completion=False)
console = Console()


def _run_json() -> dict[str, Any]:
    info = load_run_info()
    if info.run_file is None:
        return {}
    loaded: dict[str, Any] = json.loads(info.run_file.read_text())
    return loaded


def users() -> None:
    """The local demo accounts: username, person and password (development only)."""
    path = _run_json().get("gateway_accounts_file") or os.environ.get("RW_GATEWAY_DEMO_ACCOUNTS_FILE")
    if not path or not Path(path).exists():
        raise NotRunningError("no demo accounts here: `make run` creates them (local accounts are off in prod)")
    accounts: dict[str, dict[str, str]] = json.loads(Path(path).read_text())
    api = _run_json().get("api_url", "the gateway")
    table = Table(title=f"Local accounts: POST {api}/auth/local/sign-in with username and password")
    for column in ("username", "person", "name", "password"):
        table.add_column(column)
    for username, account in sorted(accounts.items()):
        table.add_row(username, account["person_id"], account["name"], account["password"])
    console.print(table)


def _access() -> Access:
    # Imported here: the gateway's web application costs every other `rw` command 0.7 s to load.
    from services.gateway.bootstrap import operator_access

    url = os.environ.get("RW_GATEWAY_DATABASE_URL")
    password = os.environ.get("RW_GATEWAY_DATABASE_PASSWORD")
    if url is None:
        run = _run_json()
        if "database_url" not in run:
            raise NotRunningError("set RW_GATEWAY_DATABASE_URL to reach the gateway's schema")
        url = run["database_url"]
    local = os.environ.get("RW_ENV", _run_json().get("environment", "dev")) != "prod"
    return operator_access(url, password, clock_of(load_run_info()), local_accounts=local)


@tokens_app.command("create")
def create(
    person: str = typer.Argument(help="The person the token acts for (a person id)."),
    name: str = typer.Option(..., "--name", help="What the token is for, e.g. the client's name."),
) -> None:
    """Create an API token; it is shown once (only its digest is kept)."""
    created = asyncio.run(_access().create_token(person, name))
    console.print(f"token {created.token_id} for {created.person_id} ({created.name}):")
    print(created.token)


@tokens_app.command("list")
def list_tokens() -> None:
    """Every API token, revoked ones included (never the token itself)."""
    table = Table(title="API tokens")
    for column in ("id", "person", "name", "created", "revoked"):
        table.add_column(column)
    for token in asyncio.run(_access().tokens()):
        revoked = token.revoked_at.isoformat(timespec="seconds") if token.revoked_at else ""
        table.add_row(
            token.token_id, token.person_id, token.name, token.created_at.isoformat(timespec="seconds"), revoked
        )
    console.print(table)


@tokens_app.command("revoke")
def revoke(token_id: str = typer.Argument(help="The token's id (`rw tokens list`).")) -> None:
    """Revoke an API token: the gateway refuses it from now on."""
    asyncio.run(_access().revoke_token(token_id))
    console.print(f"token {token_id} revoked")
