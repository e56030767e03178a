"""Granting and revoking delegations.

A body delegates only by a decision of that body, taken in session (`reactions`: the adopted
`delegation` decision); by command only the algemeen directeur passes a power on. Both pass the same
rules of a grant.
"""

from __future__ import annotations

import dataclasses
import uuid

from services.hr.domain import events
from services.hr.domain.commands import GrantDelegation, RevokeDelegation
from services.hr.domain.delegations import Delegate, Delegation, delegate_of
from services.hr.domain.grants import DelegationPolicy, check_grant, grant_refusal
from services.hr.service_layer.authority import StaffAuthority
from services.hr.service_layer.ports import HrUnitOfWork
from shared.clock import Clock
from shared.kernel import Accepted, Refusal, RuleViolation

__all__ = ["DelegationCommands"]


class DelegationCommands:
    """Delegations checked against the law (`DelegationPolicy`), stored and announced."""

    def __init__(self, policy: DelegationPolicy, clock: Clock, authority: StaffAuthority) -> None:
        self._policy = policy
        self._clock = clock
        self._authority = authority

    async def grant(self, uow: HrUnitOfWork, cmd: GrantDelegation) -> Accepted:
        """The algemeen directeur passes a power on, if the law allows that delegate, power and scope.

        A body's delegation by command is refused (`delegation_by_decision`): the body decides it in session.
        """
        if cmd.from_body is not None:
            raise RuleViolation(
                "delegation_by_decision",
                f"the {cmd.from_body.value} delegates by a decision taken in session (a `delegation` item), "
                "not by a command",
            )
        return await self.grant_decided(uow, cmd)

    async def grant_decided(self, uow: HrUnitOfWork, cmd: GrantDelegation) -> Accepted:
        """Store and announce a delegation a body decided (or the algemeen directeur granted), if the law allows it."""
        delegates, parent = await self._context(uow, cmd)
        delegation = check_grant(
            cmd,
            delegates=delegates,
            parent=parent,
            policy=self._policy,
            new_id=cmd.delegation_id or uuid.uuid4(),
            now=self._clock(),
        )
        await uow.delegations.add(delegation)
        uow.emit(events.DelegationGranted(delegation))
        return Accepted(ids={"delegation_id": str(delegation.delegation_id)})

    async def refusal(self, uow: HrUnitOfWork, cmd: GrantDelegation) -> Refusal | None:
        """Why `grant` would refuse this delegation, or None when it would grant it."""
        delegates, parent = await self._context(uow, cmd)
        return grant_refusal(cmd, delegates=delegates, parent=parent, policy=self._policy)

    async def revoke(self, uow: HrUnitOfWork, cmd: RevokeDelegation) -> Accepted:
        """Its grantor or the algemeen directeur revokes a delegation and every subdelegation resting on it."""
        if not cmd.reason.strip():
            raise RuleViolation("reason_required", "say why the delegation is revoked")
        delegation = await uow.delegations.get(cmd.delegation_id)
        if delegation is None:
            raise RuleViolation("unknown_delegation", f"no delegation {cmd.delegation_id}")
        if delegation.revoked_at is not None:
            raise RuleViolation(
                "already_revoked", f"delegation {cmd.delegation_id} was revoked on {delegation.revoked_at}"
            )
        if cmd.by != delegation.from_person_id:
            # Not its grantor: only the algemeen directeur of its entity revokes it by command.
            await self._authority.require_algemeen_directeur(uow, cmd.by, delegation.entity)
        at = cmd.revoked_at or self._clock()
        revoked: list[str] = []
        pending = [delegation]
        while pending:
            current = pending.pop()
            if current.revoked_at is not None:
                continue
            reason = (
                cmd.reason.strip()
                if current is delegation
                else f"rests on revoked delegation {delegation.delegation_id}"
            )
            await uow.delegations.save(dataclasses.replace(current, revoked_at=at, revoke_reason=reason))
            uow.emit(
                events.DelegationRevoked(
                    delegation_id=current.delegation_id,
                    to_person_id=current.to_person_id,
                    power=current.power,
                    entity=current.entity,
                    revoked_at=at,
                    reason=reason,
                )
            )
            revoked.append(str(current.delegation_id))
            pending += await uow.delegations.children(current.delegation_id)
        return Accepted(ids={"delegation_id": str(delegation.delegation_id)}, data={"revoked": revoked})

    async def _context(self, uow: HrUnitOfWork, cmd: GrantDelegation) -> tuple[dict[str, Delegate], Delegation | None]:
        """The grantor and delegate as the rules see them on the first day, and the delegation it rests on."""
        delegates: dict[str, Delegate] = {}
        for person_id in {p for p in (cmd.to, cmd.from_person_id) if p}:
            member = await uow.staff.get(person_id)
            if member is not None:
                employments = await uow.employments.of_person(person_id)
                delegates[person_id] = delegate_of(member, employments, cmd.valid_from, cmd.entity)
        parent = await uow.delegations.get(cmd.parent_delegation_id) if cmd.parent_delegation_id else None
        return delegates, parent
