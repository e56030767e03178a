"""`python -m services.gateway run|migrate|seed`."""

from pathlib import Path

from services.gateway.bootstrap import GatewaySettings, build, seed
from shared.service_cli import service_cli

app = service_cli("gateway", GatewaySettings, build=build, migrations=Path(__file__).parent / "migrations", seed=seed)

if __name__ == "__main__":
    app()
