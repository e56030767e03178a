"""`python -m services.audit run|migrate|seed` (the ledger has no demo data)."""

from pathlib import Path

from services.audit.bootstrap import AuditSettings, build
from shared.service_cli import service_cli

app = service_cli("audit", AuditSettings, build=build, migrations=Path(__file__).parent / "migrations", seed=None)

if __name__ == "__main__":
    app()
