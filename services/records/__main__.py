"""`python -m services.records run|migrate|seed`."""

from pathlib import Path

from services.records.adapters.demo import seed
from services.records.bootstrap import RecordsSettings, build
from shared.service_cli import service_cli

app = service_cli("records", RecordsSettings, build=build, migrations=Path(__file__).parent / "migrations", seed=seed)

if __name__ == "__main__":
    app()
