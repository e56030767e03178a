"""`python -m services.meetings run|migrate|seed`."""

from pathlib import Path

from services.meetings.bootstrap import MeetingsSettings, build
from shared.service_cli import service_cli

app = service_cli("meetings", MeetingsSettings, build=build, migrations=Path(__file__).parent / "migrations")

if __name__ == "__main__":
    app()
