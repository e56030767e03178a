"""Minutes: approved at the next meeting of the same body, then signed by the chair and the algemeen directeur."""

from __future__ import annotations

from services.meetings.domain import events
from services.meetings.domain.commands import ApproveMinutes, RevokeSignature, SignMinutes
from services.meetings.domain.meeting import MinutesStatus
from services.meetings.domain.policy import MeetingPolicy
from services.meetings.service_layer.commands.common import meeting_of, roster_of
from services.meetings.service_layer.ports import MeetingsUnitOfWork
from shared.clock import Clock
from shared.kernel import Accepted, RuleViolation

__all__ = ["MinutesCommands"]


class MinutesCommands:
    """Approve and sign minutes; the policy names the algemeen directeur."""

    def __init__(self, policy: MeetingPolicy, clock: Clock) -> None:
        self.policy = policy
        self._clock = clock

    async def approve(self, uow: MeetingsUnitOfWork, cmd: ApproveMinutes) -> Accepted:
        """Approve the previous meeting's minutes during this session."""
        meeting = await meeting_of(uow, cmd.meeting_id)
        earlier = await meeting_of(uow, cmd.minutes_of)  # refuses minutes already published
        approved = meeting.approve_minutes_of(earlier, comments=cmd.comments, now=self._clock())
        await uow.meetings.update(approved)
        uow.emit(
            events.MinutesApproved(
                meeting_id=approved.meeting_id,
                approved_in=meeting.meeting_id,
                body=approved.body,
                entity=approved.entity,
                comments=len(cmd.comments),
            )
        )
        return Accepted(ids={"meeting_id": str(earlier.meeting_id)}, data={"minutes": "approved"})

    async def sign(self, uow: MeetingsUnitOfWork, cmd: SignMinutes) -> Accepted:
        """Sign approved minutes as chair or algemeen directeur."""
        meeting = await meeting_of(uow, cmd.meeting_id)
        roster = await roster_of(uow, meeting)
        if cmd.on_behalf_of is not None and cmd.person_id not in roster.members:
            # A chair delegates the signature in writing to another member of the body, to no one else.
            raise RuleViolation(
                "not_a_signatory",
                f"{cmd.person_id} is no member of the {meeting.body.value}: no one else signs for its chair",
            )
        signed = meeting.sign_minutes(
            person_id=cmd.person_id,
            on_behalf_of=cmd.on_behalf_of,
            chairs=roster.chairs,
            policy=self.policy,
            now=self._clock(),
            acting_directors=roster.acting_directors,
        )
        await uow.meetings.update(signed)
        assert signed.minutes is not None
        if signed.minutes.status is MinutesStatus.SIGNED:
            acting = next((s.person_id for s in signed.minutes.signatures if s.acting), None)
            uow.emit(
                events.MinutesSigned(
                    meeting_id=signed.meeting_id, body=signed.body, entity=signed.entity, acting_director=acting
                )
            )
        [signature] = [s for s in signed.minutes.signatures if s.person_id == cmd.person_id]
        return Accepted(
            ids={"meeting_id": str(meeting.meeting_id)},
            data={"minutes": signed.minutes.status.value, "role": signature.role, "acting": signature.acting},
        )

    async def revoke(self, uow: MeetingsUnitOfWork, cmd: RevokeSignature) -> Accepted:
        """Withdraw a signature before publication; the minutes wait for it again."""
        meeting = await meeting_of(uow, cmd.meeting_id)
        now = self._clock()
        revoked = meeting.revoke_signature(person_id=cmd.person_id, reason=cmd.reason, now=now)
        await uow.meetings.update(revoked)
        assert revoked.minutes is not None
        withdrawn = revoked.minutes.revoked[-1].signature
        uow.emit(
            events.MinutesSignatureRevoked(
                meeting_id=meeting.meeting_id,
                body=meeting.body,
                entity=meeting.entity,
                person_id=cmd.person_id,
                role=withdrawn.role,
                reason=cmd.reason,
                revoked_at=now,
            )
        )
        return Accepted(ids={"meeting_id": str(meeting.meeting_id)}, data={"minutes": revoked.minutes.status.value})
