"""The terms and choices of records: the legal defaults with their source; a deployment overrides them.

Where the law sets a term (access to documents) the default is the law's; where it leaves the term to
the council's reglement (complaints) or to the organisation (letters), the default is a common
municipal choice, marked [K] in `docs/records.md`.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.vocabulary import BodyKind, MandateRole

__all__ = ["SIGNATORIES", "RecordsPolicy"]

#: Who signs a body's letters (DLB art. 279): the chair of the council for the council and the
#: OCMW council, the burgemeester for the college, the chair of the vast bureau (the burgemeester, who
#: chairs it) for the vast bureau. The algemeen directeur co-signs every one.
SIGNATORIES: dict[BodyKind, frozenset[tuple[BodyKind, MandateRole]]] = {
    BodyKind.GEMEENTERAAD: frozenset({(BodyKind.GEMEENTERAAD, MandateRole.CHAIR)}),
    BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN: frozenset({(BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN, MandateRole.CHAIR)}),
    BodyKind.COLLEGE: frozenset({(BodyKind.COLLEGE, MandateRole.MAYOR)}),
    BodyKind.VAST_BUREAU: frozenset(
        {
            (BodyKind.VAST_BUREAU, MandateRole.CHAIR),
            (BodyKind.VAST_BUREAU, MandateRole.MAYOR),
            (BodyKind.COLLEGE, MandateRole.MAYOR),
        }
    ),
}


@dataclass(frozen=True)
class RecordsPolicy:
    """Terms in calendar days; `algemeen_directeur` is deployment data (a setting without default)."""

    algemeen_directeur: str
    letter_answer_days: int = 30
    """[K] No legal term for answering letters; a common service norm of Flemish municipalities."""
    complaint_answer_days: int = 45
    """[K] The DLB sets none (art. 302-303); the council's reglement does, 45 days in many of them."""
    complaint_acknowledge_days: int = 10
    """[K] Reglement: acknowledgment of receipt."""
    complaint_escalates_to: str = "algemeen_directeur"
    """[K] Reglement: a late complaint goes to the algemeen directeur, who reports yearly (art. 303 §3)."""
    access_decision_days: int = 20
    """[S] Bestuursdecreet II.43 §1/II.44 §1, from the day after registration (II.30)."""
    access_extended_days: int = 40
    """[S] Bestuursdecreet II.43 §3."""
    access_appeal_days: int = 30
    """[S] Bestuursdecreet II.48: appeal within 30 days from the day after the decision was sent."""
    access_appeal_body: str = "beroepsinstantie openbaarheid van bestuur (Bestuursdecreet art. III.90)"
    destruction_needs_director_approval: bool = True
    """[K] An internal choice: the law asks a rule or the committee's permission, not the AD's approval."""
    selection_rule_valid_years: int = 5
    """[S] Bestuursdecreet III.87: a published selection rule is valid for at most 5 years."""

    def __post_init__(self) -> None:
        days = (self.letter_answer_days, self.complaint_answer_days, self.complaint_acknowledge_days)
        if min(days) < 1 or self.access_decision_days < 1 or self.access_appeal_days < 1:
            raise ValueError("terms are at least one day")
        if self.access_extended_days < self.access_decision_days:
            raise ValueError("the extended term cannot be shorter than the ordinary one")
        if self.access_decision_days > 20 or self.access_extended_days > 40:
            raise ValueError("the Bestuursdecreet allows at most 20 days, 40 when extended (II.43)")
