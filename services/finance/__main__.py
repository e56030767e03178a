"""`python -m services.finance run|migrate|seed`."""

from pathlib import Path

from services.finance.adapters.demo import seed
from services.finance.bootstrap import FinanceSettings, build
from shared.service_cli import service_cli

app = service_cli("finance", FinanceSettings, build=build, migrations=Path(__file__).parent / "migrations", seed=seed)

if __name__ == "__main__":
    app()
