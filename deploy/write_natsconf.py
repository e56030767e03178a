"""`python -m deploy.write_natsconf --out PATH`: the NATS configuration for containers.

Passwords come from `RW_<USER>_NATS_PASSWORD` (every service, the operator, provisioning, the
system user and each district of the district list, `RW_DISTRICT_<ID>_NATS_PASSWORD`); with
`RW_ENV=prod` development passwords (`dev-…`) are refused.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer

from deploy.natsconf import render_nats_config, users_of
from shared.districts import District, load_districts

__all__ = ["main", "passwords_from_env"]


def passwords_from_env(env: dict[str, str], districts: Sequence[District] = ()) -> dict[str, str]:
    """Every user's password from the environment; raises `ValueError` naming what is wrong."""
    names = {user: f"RW_{user.upper()}_NATS_PASSWORD" for user in users_of(districts)}
    missing = [var for var in names.values() if not env.get(var)]
    if missing:
        raise ValueError(f"missing: {', '.join(missing)}")
    passwords = {user: env[var] for user, var in names.items()}
    if env.get("RW_ENV") == "prod":
        weak = [names[u] for u, p in passwords.items() if p.startswith("dev-")]
        if weak:
            raise ValueError(f"development passwords refused in prod: {', '.join(weak)}")
    return passwords


def main(
    out: Annotated[Path, typer.Option(help="Where to write the configuration.")],
    store_dir: Annotated[Path, typer.Option(help="JetStream store directory.")] = Path("/data/jetstream"),
    host: Annotated[str, typer.Option(help="Listen address.")] = "0.0.0.0",  # noqa: S104 - inside a container
    port: Annotated[int, typer.Option(help="Client port.")] = 4222,
    http_port: Annotated[int, typer.Option(help="Monitoring port.")] = 8222,
) -> None:
    """Render the configuration with one user per service and least-privilege permissions."""
    try:
        districts = load_districts()
        passwords = passwords_from_env(dict(os.environ), districts)
    except ValueError as exc:
        typer.echo(f"cannot write the NATS configuration: {exc}", err=True)
        raise typer.Exit(2) from exc
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        render_nats_config(
            host=host, port=port, http_port=http_port, store_dir=store_dir, passwords=passwords, districts=districts
        )
    )
    typer.echo(f"wrote {out} ({len(passwords)} users)")


if __name__ == "__main__":
    typer.run(main)
