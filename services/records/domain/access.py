"""Access to documents (openbaarheid van bestuur, Bestuursdecreet 7-12-2018, title II chapter 3).

Decided by the algemeen directeur or a delegate (II.29) within 20 calendar days from the day after
registration (II.30, II.43 §1), 40 when extended with a reason (II.43 §3); refusals and redactions
only on the closed list of grounds (II.33-II.39); the applicant is told of the appeal to the
beroepsinstantie within 30 days (II.48). Closed-session and social-welfare documents are never
released through this path: they are refused on their ground.
"""

from __future__ import annotations

import datetime as dt
import uuid

from pydantic import BaseModel, ConfigDict

from services.records.domain.documents import Document
from services.records.domain.policy import RecordsPolicy
from services.records.domain.signatures import Delegation
from shared.kernel import RuleViolation
from shared.vocabulary import Confidentiality, LegalEntity

__all__ = ["AccessRequest", "Redaction", "deciding_delegation"]

#: The ground a confidential record is refused on.
CONFIDENTIAL_GROUND = {Confidentiality.CLOSED: "closed_session", Confidentiality.SOCIAL: "social_welfare"}
DECIDE = "decide"


class Redaction(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    passage: str
    ground: str


class AccessRequest(Document):
    request_id: uuid.UUID
    entity: LegalEntity
    applicant: str
    address: str
    document: str
    record_id: uuid.UUID | None
    record_confidentiality: Confidentiality | None
    form: str
    channel: str
    registered_on: dt.date
    due_on: dt.date
    extension_reason: str | None = None
    outcome: str | None = None
    grounds: tuple[str, ...] = ()
    redactions: tuple[Redaction, ...] = ()
    decided_on: dt.date | None = None
    decided_by: str | None = None
    appeal_until: dt.date | None = None
    overdue_since: dt.date | None = None

    def key(self) -> uuid.UUID:
        return self.request_id

    def opened(self) -> dt.date:
        return self.registered_on

    def deadline(self) -> dt.date | None:
        return self.due_on

    def pending(self) -> bool:
        return self.decided_on is None

    @property
    def status(self) -> str:
        if self.decided_on is not None:
            return "decided"
        if self.overdue_since is not None:
            return "overdue"
        return "extended" if self.extension_reason else "registered"

    def extended(self, reason: str, today: dt.date, policy: RecordsPolicy) -> AccessRequest:
        """40 days instead of 20, decided within the first term (II.43 §3)."""
        if self.decided_on is not None:
            raise RuleViolation("access_request_decided", "the request was decided already")
        if self.extension_reason is not None:
            raise RuleViolation("access_request_extended_already", "the term was extended once already")
        if today > self.due_on:
            raise RuleViolation("extension_too_late", f"the term ended on {self.due_on}: it can no longer be extended")
        due = self.registered_on + dt.timedelta(days=policy.access_extended_days)
        return self.model_copy(update={"extension_reason": reason, "due_on": due})

    def decided(
        self,
        *,
        person_id: str,
        outcome: str,
        grounds: tuple[str, ...],
        redactions: tuple[Redaction, ...],
        today: dt.date,
        policy: RecordsPolicy,
    ) -> AccessRequest:
        """The decision, checked against the closed list and the document's confidentiality."""
        if self.decided_on is not None:
            raise RuleViolation("access_request_decided", "the request was decided already")
        grounds = tuple(dict.fromkeys((*grounds, *(r.ground for r in redactions))))
        ground = CONFIDENTIAL_GROUND.get(self.record_confidentiality) if self.record_confidentiality else None
        if ground is not None and (outcome != "refused" or ground not in grounds):
            raise RuleViolation(
                "document_not_releasable",
                f"a {self.record_confidentiality.value if self.record_confidentiality else ''} document is never "
                f"released through an access request: it is refused on the ground {ground}",
            )
        if outcome == "granted" and grounds:
            raise RuleViolation("grounds_without_refusal", "full access is granted without grounds or redactions")
        if outcome in ("partial", "refused") and not grounds:
            raise RuleViolation(
                "grounds_required", "a refusal or partial access names its grounds from the closed list"
            )
        if outcome == "partial" and not redactions:
            raise RuleViolation("redactions_required", "partial access names the redacted passages")
        if outcome == "refused" and redactions:
            raise RuleViolation("redactions_without_access", "a refused request has nothing to redact")
        return self.model_copy(
            update={
                "outcome": outcome,
                "grounds": grounds,
                "redactions": redactions,
                "decided_on": today,
                "decided_by": person_id,
                "appeal_until": today + dt.timedelta(days=policy.access_appeal_days),
            }
        )


def deciding_delegation(
    person_id: str, entity: LegalEntity, at: dt.datetime, delegations: list[Delegation], policy: RecordsPolicy
) -> uuid.UUID | None:
    """None for the algemeen directeur; the AD's delegation in force that `person_id` decides under; or no."""
    if person_id == policy.algemeen_directeur:
        return None
    for d in delegations:
        if (
            d.to_person_id == person_id
            and d.from_person_id == policy.algemeen_directeur
            and d.power == DECIDE
            and d.entity is entity
            and d.in_force(at)
        ):
            return d.delegation_id
    raise RuleViolation(
        "not_competent_for_access",
        f"{person_id} is not the algemeen directeur and holds no delegation of the AD to decide access requests",
    )
