"""The correspondence register: incoming letters with their term, outgoing letters and their signatures.

Letters of a body are signed by its signatory and co-signed by the algemeen directeur (DLB art. 279),
or by those to whom either delegated signature in writing (art. 280-283); a letter leaves only when
both signatures are on it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from services.records.domain.documents import Document
from services.records.domain.policy import SIGNATORIES, RecordsPolicy
from services.records.domain.signatures import Delegation, Seat, holds_seat
from shared.kernel import RuleViolation
from shared.vocabulary import BodyKind, Confidentiality, LegalEntity

__all__ = ["Direction", "Letter", "LetterStatus", "Signature", "signing_delegation"]

SIGN = "sign"


class Direction(StrEnum):
    INCOMING = "incoming"
    OUTGOING = "outgoing"


class LetterStatus(StrEnum):
    REGISTERED = "registered"
    OVERDUE = "overdue"
    ANSWERED = "answered"
    DRAFT = "draft"
    SENT = "sent"


class Signature(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    capacity: str
    """`signatory` or `co_signatory`."""
    person_id: str
    delegation_id: uuid.UUID | None
    at: dt.datetime


class Letter(Document):
    letter_id: uuid.UUID
    direction: Direction
    entity: LegalEntity
    correspondent: str
    subject: str
    dated: dt.date
    status: LetterStatus
    confidentiality: Confidentiality
    channel: str | None = None
    unit_code: str | None = None
    due_on: dt.date | None = None
    issuer: BodyKind | None = None
    in_reply_to: uuid.UUID | None = None
    signatures: tuple[Signature, ...] = ()
    answered_by: uuid.UUID | None = None
    answered_on: dt.date | None = None
    sent_at: dt.datetime | None = None

    def key(self) -> uuid.UUID:
        return self.letter_id

    def opened(self) -> dt.date:
        return self.dated

    def deadline(self) -> dt.date | None:
        return self.due_on

    def pending(self) -> bool:
        return self.direction is Direction.INCOMING and self.status is LetterStatus.REGISTERED

    def signed(self, signature: Signature) -> Letter:
        """The draft with one more signature; each capacity once, never twice by one person."""
        if self.direction is not Direction.OUTGOING:
            raise RuleViolation("not_an_outgoing_letter", "only an outgoing letter is signed")
        if self.status is not LetterStatus.DRAFT:
            raise RuleViolation("letter_already_sent", "the letter was sent already")
        if any(s.capacity == signature.capacity for s in self.signatures):
            raise RuleViolation("already_signed", f"the letter has its {signature.capacity} signature already")
        if any(s.person_id == signature.person_id for s in self.signatures):
            raise RuleViolation(
                "same_person_signs_twice", "signature and co-signature are given by two different persons"
            )
        return self.model_copy(update={"signatures": (*self.signatures, signature)})

    def sent(self, at: dt.datetime) -> Letter:
        """The letter sent: only with both signatures."""
        if self.direction is not Direction.OUTGOING:
            raise RuleViolation("not_an_outgoing_letter", "only an outgoing letter is sent")
        if self.status is not LetterStatus.DRAFT:
            raise RuleViolation("letter_already_sent", "the letter was sent already")
        have = {s.capacity for s in self.signatures}
        missing = sorted({"signatory", "co_signatory"} - have)
        if missing:
            raise RuleViolation("signatures_incomplete", f"the letter lacks its {' and '.join(missing)} signature")
        return self.model_copy(update={"status": LetterStatus.SENT, "sent_at": at})

    def answered(self, answer_id: uuid.UUID, on: dt.date) -> Letter:
        return self.model_copy(update={"status": LetterStatus.ANSWERED, "answered_by": answer_id, "answered_on": on})


def signing_delegation(
    letter: Letter,
    *,
    person_id: str,
    capacity: str,
    at: dt.datetime,
    seats: list[Seat],
    delegations: list[Delegation],
    policy: RecordsPolicy,
) -> uuid.UUID | None:
    """None when `person_id` signs in their own right; the delegation they sign under; or a refusal.

    The signatory holds the body's signing seat on the day (or a delegation in force from someone who
    does); the co-signatory is the algemeen directeur (or a delegate of the AD).
    """
    if letter.issuer is None or letter.issuer not in SIGNATORIES:
        raise RuleViolation("issuer_cannot_sign_letters", f"letters are not signed on behalf of {letter.issuer}")
    day = at.date()
    if capacity == "signatory":
        wanted = SIGNATORIES[letter.issuer]

        def holder(p: str) -> bool:
            return holds_seat(seats, p, wanted, day)

    else:

        def holder(p: str) -> bool:
            return p == policy.algemeen_directeur

    if holder(person_id):
        return None
    for d in delegations:
        if (
            d.to_person_id == person_id
            and d.power == SIGN
            and d.entity is letter.entity
            and d.in_force(at)
            and holder(d.from_person_id)
        ):
            return d.delegation_id
    raise RuleViolation(
        "no_signing_power",
        f"{person_id} holds no {capacity} signature for the {letter.issuer.value} on {day}, nor a delegation in force",
    )
