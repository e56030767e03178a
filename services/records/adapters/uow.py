"""The SQL unit of work of records."""

from __future__ import annotations

from typing import Self

from services.records.adapters.repository import SqlRegister
from services.records.adapters.tables import REGISTERS
from services.records.adapters.translation import outgoing
from services.records.domain.access import AccessRequest
from services.records.domain.archive import ArchiveRecord, DestructionStatement
from services.records.domain.complaints import Complaint
from services.records.domain.letters import Letter
from services.records.domain.signatures import Delegation, Seat
from shared.db.uow import SqlUnitOfWork

__all__ = ["SqlRecordsUnitOfWork"]


class SqlRecordsUnitOfWork(SqlUnitOfWork):
    """The registers bound to the transaction, plus the outbox and inbox of the base class."""

    SOURCE = "records"
    outgoing = staticmethod(outgoing)

    letters: SqlRegister[Letter]
    complaints: SqlRegister[Complaint]
    access_requests: SqlRegister[AccessRequest]
    archive: SqlRegister[ArchiveRecord]
    statements: SqlRegister[DestructionStatement]
    seats: SqlRegister[Seat]
    delegations: SqlRegister[Delegation]

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        s = self.session
        self.letters = SqlRegister(s, REGISTERS["letters"], Letter)
        self.complaints = SqlRegister(s, REGISTERS["complaints"], Complaint)
        self.access_requests = SqlRegister(s, REGISTERS["access_requests"], AccessRequest)
        self.archive = SqlRegister(s, REGISTERS["archive_records"], ArchiveRecord)
        self.statements = SqlRegister(s, REGISTERS["destruction_statements"], DestructionStatement)
        self.seats = SqlRegister(s, REGISTERS["seats"], Seat)
        self.delegations = SqlRegister(s, REGISTERS["delegations"], Delegation)
        return self
