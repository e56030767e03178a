"""Alembic environment of gateway."""

from services.gateway.adapters.tables import metadata
from shared.db.migrate import run_migrations_online

run_migrations_online(metadata)
