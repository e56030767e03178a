"""The archive: file records, record the committee's permission, approve and destroy with a statement."""

from __future__ import annotations

import uuid

from services.records.domain import events
from services.records.domain.archive import ArchiveRecord, DestructionStatement
from services.records.domain.commands import ApproveDestruction, DestroyRecords, FileRecord, RecordCommitteePermission
from services.records.domain.policy import RecordsPolicy
from services.records.service_layer.filing import file_record
from services.records.service_layer.ports import RecordsUnitOfWork
from shared.clock import Clock
from shared.kernel import Accepted, RuleViolation

__all__ = ["ArchiveCommands"]


async def _record(uow: RecordsUnitOfWork, record_id: uuid.UUID) -> ArchiveRecord:
    found = await uow.archive.get(record_id)
    if found is None:
        raise RuleViolation("unknown_record", f"no archive record {record_id}")
    return found


class ArchiveCommands:
    def __init__(self, policy: RecordsPolicy, clock: Clock) -> None:
        self._policy = policy
        self._clock = clock

    async def file(self, uow: RecordsUnitOfWork, cmd: FileRecord) -> Accepted:
        """File a record in a series of the selection list, with the retention the series gives."""
        record = ArchiveRecord.filed(
            source=cmd.source,
            series_code=cmd.series,
            entity=cmd.entity,
            title=cmd.title,
            dated=cmd.dated,
            confidentiality=cmd.confidentiality,
        )
        await file_record(uow, record)
        return Accepted(
            ids={"record_id": str(record.record_id)},
            data={"destroy_from": str(record.destroy_from) if record.destroy_from else "never"},
        )

    async def permit(self, uow: RecordsUnitOfWork, cmd: RecordCommitteePermission) -> Accepted:
        """Record the selectiecommissie's permission to destroy a record no rule in force covers."""
        done = (await _record(uow, cmd.record_id)).permitted(cmd.reference, cmd.granted_on)
        await uow.archive.put(done)
        return Accepted(ids={"record_id": str(done.record_id)})

    async def approve(self, uow: RecordsUnitOfWork, cmd: ApproveDestruction) -> Accepted:
        """The algemeen directeur approves the destruction of records (the internal approval)."""
        if cmd.person_id != self._policy.algemeen_directeur:
            raise RuleViolation("not_the_director", "only the algemeen directeur approves a destruction")
        for record_id in dict.fromkeys(cmd.record_ids):
            await uow.archive.put((await _record(uow, record_id)).approved(cmd.person_id))
        return Accepted(data={"approved": len(set(cmd.record_ids))})

    async def destroy(self, uow: RecordsUnitOfWork, cmd: DestroyRecords) -> Accepted:
        """Destroy records past retention, each under its rule or permission, approved; keep a dated statement.

        All or nothing: one record that may not be destroyed refuses the whole statement.
        """
        today = self._clock().date()
        statement_id = uuid.uuid4()
        destroyed: list[tuple[ArchiveRecord, str]] = [
            (await _record(uow, record_id)).destroyed(today, statement_id, self._policy)
            for record_id in dict.fromkeys(cmd.record_ids)
        ]
        approvers = sorted({r.approved_by for r, _ in destroyed if r.approved_by})
        statement = DestructionStatement(
            statement_id=statement_id,
            destroyed_on=today,
            destroyed_by=cmd.person_id,
            approved_by=", ".join(approvers) or None,
            lines=tuple(f"{r.record_id} {r.series} {r.title} ({r.dated}) under {a}" for r, a in destroyed),
            record_ids=tuple(r.record_id for r, _ in destroyed),
            authorities=tuple(a for _, a in destroyed),
        )
        for record, _ in destroyed:
            await uow.archive.put(record)
        await uow.statements.add(statement)
        uow.emit(events.ArchiveRecordsDestroyed(statement, today))
        return Accepted(ids={"statement_id": str(statement_id)}, data={"destroyed": len(destroyed)})
