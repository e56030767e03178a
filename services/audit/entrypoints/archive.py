"""`python -m services.audit archive --before <date>` and `keys rotate`: an operator's maintenance of the ledger.

The archive runs through the migration login (`RW_MIGRATION_DATABASE_URL`, a member of
`audit_owner`), acting as the owner: only the owner may delete, and only rows an archive covers.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pydantic import SecretStr
from sqlalchemy import text

from services.audit.adapters.archive import ArchiveFolder, archive_period
from services.audit.domain.ledger import Archive
from shared.db.engine import make_engine, make_session_factory
from shared.db.roles import quote_ident, roles_for

__all__ = ["archive_before"]


async def archive_before(
    dsn: str, schema: str, folder: Path, before: dt.datetime, *, password: SecretStr | None = None
) -> Archive | None:
    """Archive what was captured before `before` (and is covered by a signed checkpoint)."""
    engine = make_engine(dsn, schema, pool_size=1, password=password)
    try:
        async with make_session_factory(engine)() as session, session.begin():
            await session.execute(text(f"SET LOCAL ROLE {quote_ident(roles_for(schema).owner)}"))
            return await archive_period(session, ArchiveFolder(folder), before=before, now=dt.datetime.now(dt.UTC))
    finally:
        await engine.dispose()
