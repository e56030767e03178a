"""The demo municipality's staff, employments and delegations, read from `deploy/demo/municipality.yaml`."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from services.hr.domain.commands import GrantDelegation
from services.hr.domain.model import StaffMember, Statute, staff_from_demo
from services.hr.domain.personnel import Employment, works_for_of
from shared.vocabulary import BodyKind, BudgetHolderScope, DelegationPower, LegalEntity

__all__ = ["DemoHr", "demo_hr", "demo_id"]

_NAMESPACE = uuid.UUID("0b0b4c3e-1f7e-4d55-8d0e-3a6c1a1f2b77")
_EMPLOYED_SINCE = dt.date(2019, 1, 1)


def demo_id(kind: str, key: str) -> uuid.UUID:
    """A stable id for a demo record, so loading twice creates nothing twice."""
    return uuid.uuid5(_NAMESPACE, f"{kind}|{key}")


def _read(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path} is not a YAML mapping")
    return data


@dataclass(frozen=True)
class DemoHr:
    """Everything hr loads from the demo file."""

    staff: list[StaffMember]
    employments: list[Employment]
    grants: list[GrantDelegation]
    """Each with its stable `delegation_id`; a body's with the stable id of the decision that granted it."""


def demo_hr(path: Path) -> DemoHr:
    """Staff, one employment per person (unit = the unit they head) and the delegations in force."""
    data = _read(path)
    staff = staff_from_demo(data)
    heads = {u.get("head"): u["code"] for u in data.get("units", []) if u.get("head")}
    extra = {p["id"]: p for p in data["persons"]}
    employments = [
        Employment(
            employment_id=demo_id("employment", m.person_id),
            person_id=m.person_id,
            person_name=m.name,
            entity=m.entity,
            position=m.role.replace(" ", "_"),
            unit_code=heads.get(m.person_id),
            grade=m.grade,
            statutory=m.statute is Statute.STATUTORY,
            start_date=_EMPLOYED_SINCE,
            works_for=works_for_of(
                m.entity,
                m.role.replace(" ", "_"),
                (LegalEntity(e) for e in extra[m.person_id].get("works_for", [m.entity.value])),
            ),
        )
        for m in staff
    ]
    return DemoHr(staff, employments, [_grant(d) for d in data.get("delegations", [])])


def _grant(d: Mapping[str, Any]) -> GrantDelegation:
    entity = LegalEntity(d["entity"])
    budget = d.get("budget")
    scope = None
    if budget is not None:
        scope = BudgetHolderScope(
            entity=entity,
            policy_field=budget.get("policy_field"),
            economic_account=budget.get("economic_account"),
            action=budget.get("action"),
            max_amount=Decimal(str(budget["max_amount"])) if "max_amount" in budget else None,
        )
    body = BodyKind(d["from_body"]) if d.get("from_body") else None
    return GrantDelegation(
        from_body=body,
        from_person_id=d.get("from_person"),
        to=str(d["to"]),
        power=DelegationPower(d["power"]),
        entity=entity,
        valid_from=dt.date.fromisoformat(str(d["valid_from"])),
        valid_until=dt.date.fromisoformat(str(d["valid_until"])) if d.get("valid_until") else None,
        budget_scope=scope,
        scope={str(k): str(v) for k, v in d.get("scope", {}).items()},
        parent_delegation_id=demo_id("delegation", d["parent"]) if d.get("parent") else None,
        delegation_id=demo_id("delegation", str(d["key"])),
        decision_id=demo_id("decision", str(d["key"])) if body is not None else None,
    )
