"""What records does when other services tell it something.

Organisation's mandates and hr's delegations say who may sign and decide; meetings' adopted decisions
and published documents become archive records. Records stores of a closed or social decision only
what its event says publicly (a neutral title, its body, date and confidentiality), never more.
"""

from __future__ import annotations

from services.records.domain.archive import ArchiveRecord
from services.records.domain.commands import (
    EndSeat,
    FileRecord,
    KeepDelegation,
    KeepSeat,
    RevokeDelegation,
    SetSeatStatus,
)
from services.records.domain.signatures import Delegation, Seat
from services.records.service_layer.filing import file_record
from services.records.service_layer.ports import RecordsUnitOfWork

__all__ = ["RecordsReactions"]


class RecordsReactions:
    """Read models of seats and delegations; records filed from meetings' news, each once."""

    async def keep_seat(self, uow: RecordsUnitOfWork, cmd: KeepSeat) -> None:
        """A mandate started: its holder may sign for the body when the role gives that power."""
        await uow.seats.put(
            Seat(
                mandate_id=cmd.mandate_id,
                person_id=cmd.person_id,
                body=cmd.body,
                role=cmd.role,
                status=cmd.status,
                start=cmd.start,
                end=cmd.end,
            )
        )

    async def set_seat_status(self, uow: RecordsUnitOfWork, cmd: SetSeatStatus) -> None:
        """A prevented holder does not sign; an acting one does."""
        seat = await uow.seats.get(cmd.mandate_id)
        if seat is not None:
            await uow.seats.put(seat.model_copy(update={"status": cmd.status}))

    async def end_seat(self, uow: RecordsUnitOfWork, cmd: EndSeat) -> None:
        """After its end the mandate gives no signature."""
        seat = await uow.seats.get(cmd.mandate_id)
        if seat is not None:
            await uow.seats.put(seat.model_copy(update={"end": cmd.end}))

    async def keep_delegation(self, uow: RecordsUnitOfWork, cmd: KeepDelegation) -> None:
        """A written delegation of a person's signature or decision power, in force for its term."""
        await uow.delegations.put(
            Delegation(
                delegation_id=cmd.delegation_id,
                from_person_id=cmd.from_person_id,
                to_person_id=cmd.to_person_id,
                power=cmd.power,
                entity=cmd.entity,
                valid_from=cmd.valid_from,
                valid_until=cmd.valid_until,
            )
        )

    async def revoke_delegation(self, uow: RecordsUnitOfWork, cmd: RevokeDelegation) -> None:
        """A revoked delegation signs nothing from the moment it was revoked."""
        found = await uow.delegations.get(cmd.delegation_id)
        if found is not None:
            await uow.delegations.put(found.model_copy(update={"revoked_at": cmd.revoked_at}))

    async def file_from_meetings(self, uow: RecordsUnitOfWork, cmd: FileRecord) -> None:
        """An adopted decision or a published document enters the archive in its series (once)."""
        await file_record(
            uow,
            ArchiveRecord.filed(
                source=cmd.source,
                series_code=cmd.series,
                entity=cmd.entity,
                title=cmd.title,
                dated=cmd.dated,
                confidentiality=cmd.confidentiality,
            ),
        )
