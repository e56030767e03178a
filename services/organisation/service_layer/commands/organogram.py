"""The organogram: a draft awaiting the council, or a version applied from a date."""

from __future__ import annotations

from collections.abc import Sequence

from services.organisation.domain import events
from services.organisation.domain.commands import ApplyOrganogram, DraftOrganogram
from services.organisation.domain.model import Unit, check_tree
from services.organisation.service_layer.ports import OrganisationUnitOfWork
from shared.kernel import Accepted, RuleViolation

__all__ = ["OrganogramCommands"]


class OrganogramCommands:
    """Versions of the organogram; the tree rules need neither a policy nor the time."""

    async def draft(self, uow: OrganisationUnitOfWork, cmd: DraftOrganogram) -> Accepted:
        """The next organogram, awaiting adoption by the council."""
        await _check(uow, cmd.units)
        version = await uow.organogram.save_draft(cmd.units)
        return Accepted(ids={"version": str(version)})

    async def apply(self, uow: OrganisationUnitOfWork, cmd: ApplyOrganogram) -> Accepted:
        """A new organogram version valid from `valid_from`: the given units, else the draft."""
        if cmd.units is not None:
            await _check(uow, cmd.units)
            version = await uow.organogram.apply(cmd.valid_from, cmd.units, None)
        else:
            drafted = await uow.organogram.apply_draft(cmd.valid_from, None)
            if drafted is None:
                raise RuleViolation("no_organogram_draft", "give the units or draft an organogram first")
            version = drafted
        applied = await uow.organogram.at(cmd.valid_from)
        uow.emit(events.OrganogramApplied(version=version, valid_from=cmd.valid_from, unit_count=len(applied.units)))
        return Accepted(ids={"version": str(version)})


async def _check(uow: OrganisationUnitOfWork, units: Sequence[Unit]) -> None:
    """One tree, and every head a person organisation knows."""
    check_tree(units)
    for unit in units:
        if unit.head and await uow.persons.get(unit.head) is None:
            raise RuleViolation("unknown_person", f"head {unit.head} of unit {unit.code} is not known")
