"""The correspondence register: register incoming letters, draft, sign and send outgoing ones."""

from __future__ import annotations

import datetime as dt
import uuid

from services.records.domain import events
from services.records.domain.archive import ArchiveRecord
from services.records.domain.commands import DraftLetter, RegisterLetter, SendLetter, SignLetter
from services.records.domain.letters import Direction, Letter, LetterStatus, Signature, signing_delegation
from services.records.domain.policy import SIGNATORIES, RecordsPolicy
from services.records.service_layer.filing import file_record
from services.records.service_layer.ports import RecordsUnitOfWork
from shared.clock import Clock
from shared.kernel import Accepted, RuleViolation

__all__ = ["LetterCommands", "letter_of"]


async def letter_of(uow: RecordsUnitOfWork, letter_id: uuid.UUID) -> Letter:
    letter = await uow.letters.get(letter_id)
    if letter is None:
        raise RuleViolation("unknown_letter", f"no letter {letter_id}")
    return letter


class LetterCommands:
    def __init__(self, policy: RecordsPolicy, clock: Clock) -> None:
        self._policy = policy
        self._clock = clock

    async def register(self, uow: RecordsUnitOfWork, cmd: RegisterLetter) -> Accepted:
        """Register an incoming letter or mail; the unit that handles it gets a task with the term.

        The letter is filed in the archive (incoming correspondence) at once.
        """
        today = self._clock().date()
        if cmd.received_on > today:
            raise RuleViolation("received_in_future", f"a letter received on {cmd.received_on} is not here yet")
        days = cmd.answer_days or self._policy.letter_answer_days
        letter = Letter(
            letter_id=uuid.uuid4(),
            direction=Direction.INCOMING,
            entity=cmd.entity,
            correspondent=cmd.sender,
            subject=cmd.subject,
            dated=cmd.received_on,
            status=LetterStatus.REGISTERED,
            confidentiality=cmd.confidentiality,
            channel=cmd.channel,
            unit_code=cmd.unit_code,
            due_on=cmd.received_on + dt.timedelta(days=days),
        )
        await uow.letters.add(letter)
        uow.emit(events.LetterRegistered(letter))
        await file_record(uow, _record_of(letter))
        return Accepted(ids={"letter_id": str(letter.letter_id)}, data={"due_on": str(letter.due_on)})

    async def draft(self, uow: RecordsUnitOfWork, cmd: DraftLetter) -> Accepted:
        """Draft an outgoing letter of a body (in answer to an incoming one, when it names it)."""
        if cmd.in_reply_to is not None:
            incoming = await letter_of(uow, cmd.in_reply_to)
            if incoming.direction is not Direction.INCOMING:
                raise RuleViolation("not_an_incoming_letter", "a letter answers an incoming letter")
        if cmd.issuer not in SIGNATORIES:
            raise RuleViolation("issuer_cannot_sign_letters", f"letters are not signed on behalf of {cmd.issuer.value}")
        letter = Letter(
            letter_id=uuid.uuid4(),
            direction=Direction.OUTGOING,
            entity=cmd.entity,
            correspondent=cmd.addressee,
            subject=cmd.subject,
            dated=self._clock().date(),
            status=LetterStatus.DRAFT,
            confidentiality=cmd.confidentiality,
            issuer=cmd.issuer,
            in_reply_to=cmd.in_reply_to,
        )
        await uow.letters.add(letter)
        return Accepted(ids={"letter_id": str(letter.letter_id)})

    async def sign(self, uow: RecordsUnitOfWork, cmd: SignLetter) -> Accepted:
        """Sign as the body's signatory or as co-signatory, in one's own right or by a delegation in force."""
        letter = await letter_of(uow, cmd.letter_id)
        now = self._clock()
        delegation_id = signing_delegation(
            letter,
            person_id=cmd.person_id,
            capacity=cmd.capacity,
            at=now,
            seats=await uow.seats.listing(),
            delegations=await uow.delegations.listing(),
            policy=self._policy,
        )
        signature = Signature(capacity=cmd.capacity, person_id=cmd.person_id, delegation_id=delegation_id, at=now)
        signed = letter.signed(signature)
        await uow.letters.put(signed)
        uow.emit(events.LetterSigned(signed, signature))
        return Accepted(
            ids={"letter_id": str(letter.letter_id)},
            data={"delegation_id": str(delegation_id) if delegation_id else None, "signatures": len(signed.signatures)},
        )

    async def send(self, uow: RecordsUnitOfWork, cmd: SendLetter) -> Accepted:
        """Send a letter whose signatures are complete; the letter it answers is answered, and both are filed."""
        letter = await letter_of(uow, cmd.letter_id)
        now = self._clock()
        sent = letter.sent(now)
        await uow.letters.put(sent)
        uow.emit(events.LetterSent(sent))
        await file_record(uow, _record_of(sent))
        if sent.in_reply_to is not None:
            incoming = await letter_of(uow, sent.in_reply_to)
            if incoming.answered_by is None:
                answered = incoming.answered(sent.letter_id, now.date())
                await uow.letters.put(answered)
                uow.emit(events.LetterAnswered(answered))
        return Accepted(ids={"letter_id": str(sent.letter_id)}, data={"sent_at": now.isoformat()})


def _record_of(letter: Letter) -> ArchiveRecord:
    incoming = letter.direction is Direction.INCOMING
    return ArchiveRecord.filed(
        source=f"letter:{letter.letter_id}",
        series_code="correspondence-in" if incoming else "correspondence-out",
        entity=letter.entity,
        title=f"{'Brief van' if incoming else 'Brief aan'} {letter.correspondent}: {letter.subject}"[:500],
        dated=letter.sent_at.date() if letter.sent_at is not None else letter.dated,
        confidentiality=letter.confidentiality,
    )
