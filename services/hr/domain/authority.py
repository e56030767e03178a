"""Who may carry out hr's own commands: the persons hr's own data gives that power (DESIGN §5).

The law makes the algemeen directeur the head of the staff (Decreet lokaal bestuur art. 170 §1):
they lead the staff and, by the council's staff regulations, carry daily staff management,
evaluations and the disciplinary procedure up to the decision. The algemeen directeur may pass that
daily staff management on to a staff member (DOMAIN §6: college → algemeen directeur → staff); that
is the hr unit's power in practice. So hr's commands on staff (BOC files, evaluations, disciplinary
cases, hearings, revoking a delegation) are carried out by

* the algemeen directeur of the entity: the deployment's (`RW_ALGEMEEN_DIRECTEUR_PERSON_ID`), or who
  holds a running employment as `algemeen_directeur` for that entity (the gemeente's, by right also
  for the OCMW); or
* a staff member holding a valid `daily_staff_management` delegation for that entity on the day.

A sanction by command stays the algemeen directeur's alone (`not_algemeen_directeur`); a delegation by
command is granted by its grantor (the algemeen directeur, or the holder of the delegation it rests
on), as `grants` decides; the appointing body decides appointments and body sanctions in session.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from services.hr.domain.delegations import Delegate, Delegation, check_delegation
from shared.kernel import Refusal
from shared.vocabulary import DelegationPower, LegalEntity

__all__ = ["STAFF_POWER", "algemeen_directeur_refusal", "staff_authority_refusal"]

#: The delegated power that makes a staff member an hr authority (the hr unit's power).
STAFF_POWER = DelegationPower.DAILY_STAFF_MANAGEMENT


def _is_algemeen_directeur(person_id: str, algemeen_directeur: str, delegate: Delegate | None) -> bool:
    return person_id == algemeen_directeur or (delegate is not None and delegate.algemeen_directeur)


def algemeen_directeur_refusal(person_id: str, *, algemeen_directeur: str, delegate: Delegate | None) -> Refusal | None:
    """Refused unless `person_id` is the algemeen directeur (the deployment's, or by a running employment)."""
    if _is_algemeen_directeur(person_id, algemeen_directeur, delegate):
        return None
    return Refusal("not_algemeen_directeur", f"{person_id} is not the algemeen directeur; a body decides in session")


def staff_authority_refusal(
    person_id: str,
    *,
    entity: LegalEntity,
    on: dt.date,
    algemeen_directeur: str,
    delegate: Delegate | None,
    delegations: Iterable[Delegation],
) -> Refusal | None:
    """Refused unless `person_id` is the algemeen directeur of `entity` or holds its daily staff management."""
    if _is_algemeen_directeur(person_id, algemeen_directeur, delegate):
        return None
    held, why = check_delegation(delegations, person_id=person_id, power=STAFF_POWER, entity=entity, on=on)
    if held is not None:
        return None
    return Refusal(
        "not_staff_authority",
        f"{person_id} is not the algemeen directeur of the {entity.value} and holds no valid "
        f"`{STAFF_POWER.value}` delegation for it ({why})",
    )
