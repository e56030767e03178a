"""Demo data: the legal entities, people and organogram of the demo municipality."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.dialects.postgresql import insert

from services.organisation.adapters.tables import legal_entities, persons, units
from services.organisation.domain.model import valid_kbo_format
from shared.db.engine import make_engine
from shared.settings import ServiceSettings

__all__ = ["seed"]

DEMO = Path(__file__).resolve().parents[3] / "deploy" / "demo" / "municipality.yaml"


async def seed(settings: ServiceSettings) -> str:
    """Upsert entities, persons and units (a second run changes nothing)."""
    data: dict[str, Any] = yaml.safe_load(DEMO.read_text())
    for entity in data["entities"]:
        if not valid_kbo_format(entity["kbo"]):
            raise ValueError(f"demo entity {entity['code']} has an invalid KBO number {entity['kbo']!r}")
    engine = make_engine(settings.database_url, settings.db_schema)
    try:
        async with engine.begin() as conn:
            for e in data["entities"]:
                await conn.execute(
                    insert(legal_entities)
                    .values(code=e["code"], name=e["name"], kbo=e["kbo"])
                    .on_conflict_do_update(index_elements=["code"], set_={"name": e["name"], "kbo": e["kbo"]})
                )
            for p in data["persons"]:
                await conn.execute(
                    insert(persons)
                    .values(person_id=p["id"], name=p["name"])
                    .on_conflict_do_update(index_elements=["person_id"], set_={"name": p["name"]})
                )
            for u in data["units"]:
                values = {"name": u["name"], "parent": u.get("parent"), "head_person_id": u.get("head")}
                await conn.execute(
                    insert(units)
                    .values(code=u["code"], **values)
                    .on_conflict_do_update(index_elements=["code"], set_=values)
                )
    finally:
        await engine.dispose()
    return f"{len(data['entities'])} legal entities, {len(data['units'])} units, {len(data['persons'])} people"
