"""`python -m services.organisation run|migrate|seed`."""

from pathlib import Path

from services.organisation.adapters.demo import seed
from services.organisation.bootstrap import OrganisationSettings, build
from shared.service_cli import service_cli

app = service_cli(
    "organisation", OrganisationSettings, build=build, migrations=Path(__file__).parent / "migrations", seed=seed
)

if __name__ == "__main__":
    app()
