"""Union consultation (BOC) files: opened in time, concluded with the protocol of the meeting."""

from __future__ import annotations

import uuid

from services.hr.domain import events
from services.hr.domain.commands import ConcludeConsultation, OpenConsultation
from services.hr.domain.personnel import ConsultationPolicy, conclude_consultation, open_consultation
from services.hr.service_layer.authority import StaffAuthority
from services.hr.service_layer.ports import HrUnitOfWork
from shared.kernel import Accepted, RuleViolation

__all__ = ["ConsultationCommands"]


class ConsultationCommands:
    """BOC files under the invitation term of `ConsultationPolicy`; the dates are the command's own."""

    def __init__(self, policy: ConsultationPolicy, authority: StaffAuthority) -> None:
        self._policy = policy
        self._authority = authority

    async def open(self, uow: HrUnitOfWork, cmd: OpenConsultation) -> Accepted:
        """A BOC file; the invitation must leave 10 working days before the meeting."""
        await self._authority.require_staff_authority(uow, cmd.by, cmd.entity)
        file = open_consultation(
            consultation_id=uuid.uuid4(),
            topic=cmd.topic,
            entity=cmd.entity,
            invitation_sent_on=cmd.invitation_sent_on,
            meeting_on=cmd.meeting_on,
            policy=self._policy,
        )
        await uow.consultations.add(file)
        uow.emit(events.ConsultationOpened(file))
        return Accepted(ids={"consultation_id": str(file.consultation_id)})

    async def conclude(self, uow: HrUnitOfWork, cmd: ConcludeConsultation) -> Accepted:
        """Record the protocol; the staff-rules decision can then be tabled."""
        file = await uow.consultations.get(cmd.consultation_id)
        if file is None:
            raise RuleViolation("unknown_consultation", f"no consultation {cmd.consultation_id}")
        await self._authority.require_staff_authority(uow, cmd.by, file.entity)
        concluded = conclude_consultation(file, cmd.protocol_reference, cmd.concluded_on)
        await uow.consultations.save(concluded)
        uow.emit(
            events.ConsultationConcluded(
                consultation_id=file.consultation_id,
                entity=file.entity,
                protocol_reference=cmd.protocol_reference.strip(),
                concluded_on=cmd.concluded_on,
            )
        )
        return Accepted(ids={"consultation_id": str(file.consultation_id)})
