"""Demo data: the external entities of the demo municipality and the representatives its councils designated."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from services.external.domain import events
from services.external.domain.registry import ExternalEntity, Representation, register, representation_from
from services.external.service_layer.ports import ExternalUnitOfWork
from shared.vocabulary import BodyKind, Confidentiality, Involvement, LegalEntity, LegalForm

__all__ = ["DemoEntity", "demo_entities", "load_demo"]

_NAMESPACE = uuid.UUID("6b3f0f4e-6f1c-4e55-9a51-7d2f6c0e0a15")
_COUNCIL = {LegalEntity.GEMEENTE: BodyKind.GEMEENTERAAD, LegalEntity.OCMW: BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN}


@dataclass(frozen=True)
class DemoEntity:
    entity: ExternalEntity
    representatives: tuple[Representation, ...]


def _stable(*parts: str) -> uuid.UUID:
    return uuid.uuid5(_NAMESPACE, "/".join(parts))


def demo_entities(path: Path, *, now: dt.datetime) -> list[DemoEntity]:
    """The demo's entities, each through the registry's own rules, with stable ids so a second seed adds nothing."""
    data: dict[str, Any] = yaml.safe_load(path.read_text())
    start = dt.date.fromisoformat(str(data["legislature_start"]))
    loaded = []
    for e in data["entities"]:
        municipal = LegalEntity(e.get("municipal_entity", "gemeente"))
        entity = register(
            entity_id=_stable("entity", e["code"]),
            code=e["code"],
            name=e["name"],
            legal_form=LegalForm(e["legal_form"]),
            kbo=e.get("kbo"),
            involvements=frozenset(Involvement(i) for i in e["involvements"]),
            municipal_entity=municipal,
            now=now,
        )
        representatives = tuple(
            representation_from(
                representation_id=_stable("representation", e["code"], r["person_id"]),
                entity=entity,
                body=_COUNCIL[municipal],
                decision_entity=municipal,
                decision_id=_stable("designation", e["code"], r["person_id"]),
                person_id=r["person_id"],
                person_name=r["name"],
                role=r["role"],
                term_start=start,
                term_end=None,
                replaces_person_id=None,
            )
            for r in e.get("representatives", ())
        )
        loaded.append(DemoEntity(entity, representatives))
    return loaded


async def load_demo(uow: ExternalUnitOfWork, demo: list[DemoEntity]) -> tuple[int, int]:
    """Register what is new and announce it; answers (entities added, representatives added)."""
    added = designated = 0
    for d in demo:
        if await uow.entities.add(d.entity):
            added += 1
            uow.emit(events.EntityRegistered(d.entity))
        entity = await uow.entities.by_code(d.entity.code)
        assert entity is not None
        for r in d.representatives:
            if await uow.representations.add(r):
                designated += 1
                uow.emit(events.RepresentativeDesignated(r, entity, Confidentiality.CLOSED))
    return added, designated
