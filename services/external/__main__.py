"""`python -m services.external run|migrate|seed` (seed: the demo's external entities and representatives)."""

from pathlib import Path

from services.external.bootstrap import ExternalSettings, build, seed
from shared.service_cli import service_cli

app = service_cli("external", ExternalSettings, build=build, migrations=Path(__file__).parent / "migrations", seed=seed)

if __name__ == "__main__":
    app()
