"""The district list: the one place NATS configuration, provisioning and notifications read it from.

A deployment names its districts in a YAML file (`RW_DISTRICTS_FILE`, by default the demo city's
`deploy/demo/municipality.yaml`), under `districts:`, one line each:

    districts:
      - {id: noord, name: District Heidebeek-Noord}

Adding a district is adding a line and restarting: the NATS server gets an account and a user for
it, provisioning a durable consumer on its feed, and notifications republishes what concerns it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

__all__ = ["DEFAULT_DISTRICTS_FILE", "District", "districts_file", "load_districts", "parse_districts"]

DEFAULT_DISTRICTS_FILE = Path(__file__).resolve().parents[1] / "deploy" / "demo" / "municipality.yaml"

#: A district id is one NATS subject token, an account name and part of a durable name.
_ID = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


@dataclass(frozen=True)
class District:
    """A district (district with a council and a college, no legal personality)."""

    id: str
    name: str


def parse_districts(data: object) -> tuple[District, ...]:
    """The `districts:` list of a YAML document; raises `ValueError` naming a bad or repeated id."""
    if not isinstance(data, dict):
        return ()
    found: list[District] = []
    for row in data.get("districts") or ():
        if not isinstance(row, dict) or not _ID.match(str(row.get("id", ""))):
            raise ValueError(f"a district needs an id of lower-case letters, digits and _: {row!r}")
        found.append(District(id=str(row["id"]), name=str(row.get("name") or row["id"])))
    ids = [d.id for d in found]
    if len(ids) != len(set(ids)):
        raise ValueError(f"a district id appears twice: {ids}")
    return tuple(found)


def districts_file(env: dict[str, str] | None = None) -> Path:
    """`RW_DISTRICTS_FILE`, else the demo city."""
    value = (env if env is not None else dict(os.environ)).get("RW_DISTRICTS_FILE")
    return Path(value) if value else DEFAULT_DISTRICTS_FILE


def load_districts(path: Path | None = None) -> tuple[District, ...]:
    """The districts of this deployment, in the order the file names them."""
    return parse_districts(yaml.safe_load((path or districts_file()).read_text(encoding="utf-8")))
