"""Mandates: a seat in a body starts (with its parallel seat), changes status, ends."""

from __future__ import annotations

import uuid

from services.organisation.domain import events
from services.organisation.domain import mandates as rules
from services.organisation.domain.commands import ChangeMandateStatus, EndMandate, StartMandate
from services.organisation.domain.mandates import Mandate
from services.organisation.service_layer.ports import OrganisationUnitOfWork
from shared.kernel import Accepted, RuleViolation

__all__ = ["MandateCommands"]


class MandateCommands:
    """Seats in the bodies of both entities; the rules need neither a policy nor the time."""

    async def start(self, uow: OrganisationUnitOfWork, cmd: StartMandate) -> Accepted:
        """A seat in a body, and its linked parallel seat."""
        existing = await uow.mandates.list(person_id=cmd.person_id)
        made = rules.start_mandates(
            person_id=cmd.person_id,
            person_name=cmd.person_name,
            body=cmd.body,
            role=cmd.role,
            status=cmd.status,
            voting=cmd.voting,
            start=cmd.start,
            end=cmd.end,
            parallel=cmd.parallel,
            existing=existing,
            ids=(uuid.uuid4(), uuid.uuid4()),
        )
        for m in made:
            await uow.mandates.add_if_new(m)
            uow.emit(events.MandateStarted.of(m))
        return Accepted(ids={m.body.value: str(m.mandate_id) for m in made})

    async def end(self, uow: OrganisationUnitOfWork, cmd: EndMandate) -> Accepted:
        """The mandate (and its linked seat, held by right) ends on `end`."""
        first = await _mandate(uow, cmd.mandate_id)
        chain = [first]
        if first.linked_mandate_id is not None:
            linked = await uow.mandates.get(first.linked_mandate_id)
            if linked is not None and (linked.end is None or linked.end > cmd.end):
                chain.append(linked)
        ended: dict[str, str] = {}
        for m in chain:
            updated = rules.end_mandate(m, cmd.end, cmd.reason)
            await uow.mandates.save(updated)
            uow.emit(
                events.MandateEnded(
                    mandate_id=m.mandate_id,
                    person_id=m.person_id,
                    body=m.body,
                    entity=m.entity,
                    end=cmd.end,
                    reason=cmd.reason,
                )
            )
            ended[m.body.value] = str(m.mandate_id)
        return Accepted(ids=ended)

    async def change_status(self, uow: OrganisationUnitOfWork, cmd: ChangeMandateStatus) -> Accepted:
        """Effective, acting or prevented from `since`; the linked seat, held by right, follows.

        A schepen prevented in the college is prevented in the vast bureau too (and a council member
        in the RMW), so both bodies count the same sitting members for their quorum.
        """
        mandate = await _mandate(uow, cmd.mandate_id)
        linked = await uow.mandates.get(mandate.linked_mandate_id) if mandate.linked_mandate_id else None
        changed = [rules.change_status(mandate, cmd.status, cmd.since)]
        follows = rules.linked_status(linked, cmd.status, cmd.since)
        if follows is not None:
            changed.append(follows)
        for updated in changed:
            await uow.mandates.save(updated)
            uow.emit(
                events.MandateStatusChanged(
                    mandate_id=updated.mandate_id,
                    person_id=updated.person_id,
                    body=updated.body,
                    entity=updated.entity,
                    status=cmd.status,
                    since=cmd.since,
                )
            )
        return Accepted(
            ids={"mandate_id": str(mandate.mandate_id)}, data={"changed": [str(m.mandate_id) for m in changed]}
        )


async def _mandate(uow: OrganisationUnitOfWork, mandate_id: uuid.UUID) -> Mandate:
    mandate = await uow.mandates.get(mandate_id)
    if mandate is None:
        raise RuleViolation("unknown_mandate", f"no mandate {mandate_id}")
    return mandate
