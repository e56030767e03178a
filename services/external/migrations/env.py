"""Alembic environment of external."""

from services.external.adapters.tables import metadata
from shared.db.migrate import run_migrations_online

run_migrations_online(metadata)
