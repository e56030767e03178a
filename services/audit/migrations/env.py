"""Alembic environment of audit.

The ledger is append-only: its writer's runtime role may read it and add to it, never change it
(the statement trigger refuses UPDATE, DELETE and TRUNCATE even to the owner, see ADR 0006).
"""

from services.audit.adapters.tables import archives, checkpoints, ledger, metadata
from shared.db.migrate import run_migrations_online

run_migrations_online(metadata, append_only=(ledger.name, checkpoints.name, archives.name))
