"""Filing a record in the archive, once per source, announced when new."""

from __future__ import annotations

from services.records.domain import events
from services.records.domain.archive import ArchiveRecord
from services.records.service_layer.ports import RecordsUnitOfWork

__all__ = ["file_record"]


async def file_record(uow: RecordsUnitOfWork, record: ArchiveRecord) -> bool:
    """Add the record to the archive and announce it; False when its source was filed before."""
    if not await uow.archive.add(record):
        return False
    uow.emit(events.ArchiveRecordFiled(record))
    return True
