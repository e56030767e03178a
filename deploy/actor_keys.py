"""`python -m deploy.actor_keys <folder>`: the gateway's and the operator's actor signing keys.

Creates `gateway.pem` and `operator.pem` (Ed25519, mode 0600; kept when they exist) and
`actor-public-keys.json`, the only file services read (`RW_ACTOR_PUBLIC_KEYS`). `make run` does
this itself in its data folder; compose and other deployments run it once.
"""

from __future__ import annotations

import sys
from pathlib import Path

from shared.actor import generate_actor_keys


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        sys.stderr.write("usage: python -m deploy.actor_keys <folder>\n")
        return 2
    listed = generate_actor_keys(Path(argv[0]))
    sys.stdout.write(f"public keys: {listed}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
