"""Agenda items: proposing one, and the burgemeester's own decisions.

Every other decision is taken by a vote in a session of its body (`session.py`, `treatment.py`);
there is no way to decide an item from a bare tally.
"""

from __future__ import annotations

import uuid

from services.meetings.domain import events
from services.meetings.domain.commands import DecideAsMayor, GiveLegalityAdvice, ProposeAgendaItem
from services.meetings.domain.decision import DecisionRecord, outgoing_impact, outgoing_title
from services.meetings.domain.members import Roster
from services.meetings.domain.model import AgendaItem, ItemLinks, Role, Step
from services.meetings.domain.policy import MeetingPolicy
from services.meetings.domain.relations import check_relation
from services.meetings.service_layer.commands.common import announce_decision, concluded, item_of
from services.meetings.service_layer.ports import MeetingsUnitOfWork
from shared.clock import Clock
from shared.kernel import Accepted, RuleViolation
from shared.vocabulary import BodyKind, LegalityAdvice

__all__ = ["ItemCommands"]


class ItemCommands:
    """Propose agenda items and record the burgemeester's decisions, with the municipality's terms and a clock."""

    def __init__(self, policy: MeetingPolicy, clock: Clock) -> None:
        self.policy = policy
        self._clock = clock

    async def propose(self, uow: MeetingsUnitOfWork, cmd: ProposeAgendaItem) -> Accepted:
        """Create the item and announce it, so finance can check the credit."""
        item = AgendaItem.propose(
            body=cmd.body,
            entity=cmd.entity,
            title=cmd.title,
            kind=cmd.kind,
            confidentiality=cmd.confidentiality,
            legal_basis=cmd.legal_basis,
            motivation=cmd.motivation,
            financial_impact=cmd.financial_impact,
            follow_up_actions=cmd.follow_up_actions,
            proposed_by=cmd.proposed_by,
            now=self._clock(),
            links=ItemLinks(
                appointment=cmd.appointment,
                delegation=cmd.delegation,
                budget_change_id=cmd.budget_change_id,
                consultation_id=cmd.consultation_id,
                overrules_item_id=cmd.overrules_item_id,
                candidates=cmd.candidates,
                discipline=cmd.discipline,
                organogram_version=cmd.organogram_version,
                designation=cmd.designation,
                district=cmd.district,
                relations=cmd.relations,
                text=cmd.text,
            ),
            files=cmd.files,
            advice_kinds=self.policy.legality_advice_kinds,
        )
        for relation in item.links.relations:
            earlier = await uow.decisions.get(relation.decision_id)
            check_relation(item, relation, earlier)
        await uow.items.add(item)
        if item.links.consultation_id is not None:
            await uow.consultations.record(item.links.consultation_id, concluded=False, protocol=None)
        uow.emit(
            events.AgendaItemProposed(
                item_id=item.item_id,
                body=item.body,
                entity=item.entity,
                title=outgoing_title(item.item_id, item.title, item.confidentiality),
                kind=item.kind,
                confidentiality=item.confidentiality,
                financial_impact=outgoing_impact(item.financial_impact, item.confidentiality),
                proposed_at=item.proposed_at,
                budget_change_id=item.links.budget_change_id,
            )
        )
        return Accepted(
            ids={"item_id": str(item.item_id)},
            data={
                "budget_check": item.budget_check.value,
                "confidentiality": item.confidentiality.value,
                "advice_required": item.advice_required,
            },
        )

    async def give_legality_advice(self, uow: MeetingsUnitOfWork, cmd: GiveLegalityAdvice) -> Accepted:
        """The algemeen directeur (or the acting one) advises on the item's legality before it is tabled."""
        item = await item_of(uow, cmd.item_id)
        now = self._clock()
        seated = BodyKind.COLLEGE if item.body is BodyKind.BURGEMEESTER else item.body
        acting = Roster.of(await uow.seats.of_body(seated), seated, now.date()).acting_directors
        if cmd.actor_person_id != self.policy.algemeen_directeur and cmd.actor_person_id not in acting:
            raise RuleViolation(
                "not_the_director", f"{cmd.actor_person_id} is not the algemeen directeur: only the director advises"
            )
        advice = LegalityAdvice(
            verdict=cmd.verdict, reasoning=cmd.reasoning, given_by=cmd.actor_person_id, given_at=now
        )
        await uow.items.update(item.with_legality_advice(advice))
        return Accepted(ids={"item_id": str(item.item_id)}, data={"verdict": cmd.verdict.value})

    async def decide_as_mayor(self, uow: MeetingsUnitOfWork, cmd: DecideAsMayor) -> Accepted:
        """The sitting burgemeester decides an item of the burgemeester alone and signs it: no vote."""
        item = await item_of(uow, cmd.item_id)
        if item.body is not BodyKind.BURGEMEESTER:
            raise RuleViolation(
                "decide_in_session", f"a {item.body.value} item is decided by a vote in a session of its body"
            )
        now = self._clock()
        mayor = Roster.of(await uow.seats.of_body(BodyKind.COLLEGE), BodyKind.BURGEMEESTER, now.date())
        if cmd.mayor_id not in mayor.members:
            raise RuleViolation("not_the_mayor", f"{cmd.mayor_id} is not the sitting burgemeester on {now:%Y-%m-%d}")
        item.check_ready(consultation_concluded=bool(await concluded(uow, [item])))
        decision_id = uuid.uuid4()
        record = DecisionRecord.by_mayor(
            item,
            mayor=cmd.mayor_id,
            decision_id=decision_id,
            decided_at=now,
            effective_days=self.policy.regulation_effective_days,
        )
        step = Step(
            meeting_id=None,
            body=BodyKind.BURGEMEESTER,
            on=now.date(),
            role=Role.MAYOR,
            outcome="adopted",
            confidentiality=item.confidentiality,
            decision_id=decision_id,
        )
        decided = item.decided(adopted=True, decision_id=decision_id, step=step)
        await uow.items.update(decided)
        await announce_decision(uow, decided, record)
        return Accepted(
            ids={"decision_id": str(decision_id), "item_id": str(item.item_id)},
            data={"outcome": "adopted", "signed_by": cmd.mayor_id, "reportable": record.reportable},
        )
