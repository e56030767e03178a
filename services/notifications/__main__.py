"""`python -m services.notifications run|migrate|seed`."""

from pathlib import Path

from services.notifications.bootstrap import NotificationsSettings, build
from shared.service_cli import service_cli

app = service_cli("notifications", NotificationsSettings, build=build, migrations=Path(__file__).parent / "migrations")

if __name__ == "__main__":
    app()
