"""`python -m services.hr run|migrate|seed`."""

from pathlib import Path

from services.hr.bootstrap import HrSettings, build, seed
from shared.service_cli import service_cli

app = service_cli("hr", HrSettings, build=build, migrations=Path(__file__).parent / "migrations", seed=seed)

if __name__ == "__main__":
    app()
