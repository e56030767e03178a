"""The organogram: drafts awaiting the council side by side, and versions applied from a date."""

from __future__ import annotations

from collections.abc import Sequence

from services.organisation.domain import events
from services.organisation.domain.commands import ApplyOrganogram, DraftOrganogram
from services.organisation.domain.model import Unit, check_tree, draft_to_adopt
from services.organisation.service_layer.ports import OrganisationUnitOfWork
from shared.kernel import Accepted, RuleViolation

__all__ = ["OrganogramCommands", "adoptable_draft"]


class OrganogramCommands:
    """Versions of the organogram; the tree rules need neither a policy nor the time."""

    async def draft(self, uow: OrganisationUnitOfWork, cmd: DraftOrganogram) -> Accepted:
        """A draft organogram, beside any others, awaiting adoption by the council (which names its version)."""
        await _check(uow, cmd.units)
        version = await uow.organogram.save_draft(cmd.units)
        return Accepted(ids={"version": str(version)}, data={"drafts": await uow.organogram.drafts()})

    async def apply(self, uow: OrganisationUnitOfWork, cmd: ApplyOrganogram) -> Accepted:
        """A version valid from `valid_from`: the given units, else the draft named (or the only one)."""
        if cmd.units is not None:
            await _check(uow, cmd.units)
            version = await uow.organogram.apply(cmd.valid_from, cmd.units, None)
        else:
            version = await adoptable_draft(uow, cmd.version)
            await uow.organogram.apply_draft(version, cmd.valid_from, None)
        applied = await uow.organogram.at(cmd.valid_from)
        uow.emit(events.OrganogramApplied(version=version, valid_from=cmd.valid_from, unit_count=len(applied.units)))
        return Accepted(ids={"version": str(version)})


async def adoptable_draft(uow: OrganisationUnitOfWork, version: int | None) -> int:
    """The draft `version` names, or the only draft waiting; refused otherwise (`draft_to_adopt`)."""
    exists = version is not None and await uow.organogram.version(version) is not None
    return draft_to_adopt(version, await uow.organogram.drafts(), exists=exists)


async def _check(uow: OrganisationUnitOfWork, units: Sequence[Unit]) -> None:
    """One tree, and every head a person organisation knows."""
    check_tree(units)
    for unit in units:
        if unit.head and await uow.persons.get(unit.head) is None:
            raise RuleViolation("unknown_person", f"head {unit.head} of unit {unit.code} is not known")
