"""The archive: every record in a series of the selection list, kept as long as its series says.

A record is destroyed only when a published selection rule allows it, or with the selectiecommissie's
recorded permission (Bestuursdecreet III.87, III.89), after its retention, with the algemeen
directeur's approval when the policy asks it; a dated destruction statement is kept.
"""

from __future__ import annotations

import datetime as dt
import uuid

from services.records.domain.documents import Document
from services.records.domain.policy import RecordsPolicy
from services.records.domain.selection import Series, series
from shared.kernel import RuleViolation
from shared.vocabulary import Confidentiality, LegalEntity

__all__ = ["ArchiveRecord", "DestructionStatement", "record_id_of"]

_NAMESPACE = uuid.UUID("6f1d7c1e-4a8b-4f0e-9d7a-2b7f5e0c9a31")


def record_id_of(source: str) -> uuid.UUID:
    """The same source is filed once: its record id follows from it."""
    return uuid.uuid5(_NAMESPACE, source)


class ArchiveRecord(Document):
    record_id: uuid.UUID
    series: str
    entity: LegalEntity
    title: str
    dated: dt.date
    confidentiality: Confidentiality
    source: str
    keep_permanently: bool
    destroy_from: dt.date | None
    approved_by: str | None = None
    permission: str | None = None
    permission_on: dt.date | None = None
    destroyed_on: dt.date | None = None
    statement_id: uuid.UUID | None = None

    def key(self) -> uuid.UUID:
        return self.record_id

    def opened(self) -> dt.date:
        return self.dated

    @classmethod
    def filed(
        cls,
        *,
        source: str,
        series_code: str,
        entity: LegalEntity,
        title: str,
        dated: dt.date,
        confidentiality: Confidentiality,
    ) -> ArchiveRecord:
        s = series(series_code)
        return cls(
            record_id=record_id_of(source),
            series=s.code,
            entity=entity,
            title=title,
            dated=dated,
            confidentiality=confidentiality,
            source=source,
            keep_permanently=s.keep_permanently,
            destroy_from=s.destroy_from(dated),
        )

    @property
    def status(self) -> str:
        return "destroyed" if self.destroyed_on is not None else "kept"

    def destroyable_on(self, day: dt.date) -> bool:
        return self.destroyed_on is None and self.destroy_from is not None and self.destroy_from <= day

    def authority(self, day: dt.date, policy: RecordsPolicy) -> str:
        """What allows destroying it on `day`: its published rule, else the committee's permission; or a refusal."""
        if self.destroyed_on is not None:
            raise RuleViolation("record_destroyed", f"record {self.record_id} was destroyed on {self.destroyed_on}")
        s: Series = series(self.series)
        if self.keep_permanently or self.destroy_from is None:
            raise RuleViolation("record_kept_permanently", f"series {s.code} is kept permanently")
        if self.destroy_from > day:
            raise RuleViolation(
                "retention_not_over", f"record {self.record_id} is kept until {self.destroy_from} ({s.code})"
            )
        if s.rule_valid_on(day, policy.selection_rule_valid_years):
            return f"rule:{s.code}@{s.rule_published_on}"
        if self.permission is not None:
            return f"permission:{self.permission}"
        raise RuleViolation(
            "no_destruction_authority",
            f"no published selection rule in force covers series {s.code}: "
            "the selectiecommissie's permission is needed",
        )

    def approved(self, person_id: str) -> ArchiveRecord:
        if self.destroyed_on is not None:
            raise RuleViolation("record_destroyed", f"record {self.record_id} was destroyed on {self.destroyed_on}")
        return self.model_copy(update={"approved_by": person_id})

    def permitted(self, reference: str, on: dt.date) -> ArchiveRecord:
        if self.destroyed_on is not None:
            raise RuleViolation("record_destroyed", f"record {self.record_id} was destroyed on {self.destroyed_on}")
        return self.model_copy(update={"permission": reference, "permission_on": on})

    def destroyed(self, on: dt.date, statement_id: uuid.UUID, policy: RecordsPolicy) -> tuple[ArchiveRecord, str]:
        """The record destroyed, with the authority it was destroyed under."""
        authority = self.authority(on, policy)
        if policy.destruction_needs_director_approval and self.approved_by is None:
            raise RuleViolation(
                "destruction_not_approved", f"record {self.record_id} lacks the algemeen directeur's approval"
            )
        return self.model_copy(update={"destroyed_on": on, "statement_id": statement_id}), authority


class DestructionStatement(Document):
    """The dated statement of what was destroyed, under which authority, approved and done by whom."""

    statement_id: uuid.UUID
    destroyed_on: dt.date
    destroyed_by: str
    approved_by: str | None
    lines: tuple[str, ...]
    record_ids: tuple[uuid.UUID, ...]
    authorities: tuple[str, ...]

    def key(self) -> uuid.UUID:
        return self.statement_id

    def opened(self) -> dt.date:
        return self.destroyed_on
