"""`python -m services.external run|migrate|seed` (no demo data of its own)."""

from pathlib import Path

from services.external.bootstrap import ExternalSettings, build
from shared.service_cli import service_cli

app = service_cli("external", ExternalSettings, build=build, migrations=Path(__file__).parent / "migrations")

if __name__ == "__main__":
    app()
