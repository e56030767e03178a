"""Queries of external: the registry of external entities with their representatives, and the legal terms.

Supervision reports are announced as events (`external.supervision_report.*`), which is how
meetings, the auditor and the supervisor's desk follow them.
"""

from __future__ import annotations

from services.external.domain.registry import ExternalEntity
from services.external.service_layer.commands.registry import entity_named
from services.external.service_layer.ports import ExternalUnitOfWork
from shared.clock import Clock
from shared.contracts.external import (
    DeadlineLine,
    EntityLine,
    ListExternalDeadlines,
    ListExternalDeadlinesReply,
    ListExternalEntities,
    ListExternalEntitiesReply,
    RepresentativeLine,
)

__all__ = ["ExternalViews"]

MAX_ROWS = 1000


class ExternalViews:
    """The registry as of the clock's today (who sits where), and the deadlines."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    async def list_entities(self, uow: ExternalUnitOfWork, q: ListExternalEntities) -> ListExternalEntitiesReply:
        """Every entity (or the one named), with its representatives and whether each sits on `as_of`."""
        as_of = q.as_of or self._clock().date()
        entities = [await entity_named(uow, q.code)] if q.code else await uow.entities.all()
        lines = []
        for entity in entities:
            representations = await uow.representations.of_entity(entity.entity_id)
            lines.append(
                EntityLine(
                    entity_id=entity.entity_id,
                    code=entity.code,
                    name=entity.name,
                    legal_form=entity.legal_form,
                    kbo=entity.kbo,
                    involvements=tuple(sorted(entity.involvements)),
                    municipal_entity=entity.municipal_entity,
                    representatives=tuple(
                        RepresentativeLine(
                            person_id=r.person_id,
                            person_name=r.person_name,
                            role=r.role,
                            decision_id=r.decision_id,
                            term_start=r.term_start,
                            term_end=r.term_end,
                            ended_on=r.ended_on,
                            replaces_person_id=r.replaces_person_id,
                            sitting=r.sits_on(as_of),
                        )
                        for r in representations
                    ),
                )
            )
        return ListExternalEntitiesReply(command_id=q.command_id, as_of=as_of, entities=tuple(lines))

    async def list_deadlines(self, uow: ExternalUnitOfWork, q: ListExternalDeadlines) -> ListExternalDeadlinesReply:
        """Deadlines by last day, of one entity and in one status when asked."""
        entity = await entity_named(uow, q.entity_code) if q.entity_code else None
        deadlines = await uow.deadlines.listing(entity_id=entity.entity_id if entity else None, status=q.status)
        names: dict[object, ExternalEntity] = {}
        lines = []
        for d in deadlines[:MAX_ROWS]:
            if d.entity_id not in names:
                found = await uow.entities.by_id(d.entity_id)
                assert found is not None, "a deadline's entity is registered"
                names[d.entity_id] = found
            of = names[d.entity_id]
            lines.append(
                DeadlineLine(
                    deadline_id=d.deadline_id,
                    entity_code=of.code,
                    entity_name=of.name,
                    kind=d.kind,
                    title=d.title,
                    opened_on=d.opened_on,
                    due_on=d.due_on,
                    silence=d.silence,
                    status=d.status,
                    outcome=d.outcome,
                    closed_on=d.closed_on,
                    decision_id=d.decision_id,
                )
            )
        return ListExternalDeadlinesReply(command_id=q.command_id, deadlines=tuple(lines))
