"""Who the operator CLI acts as: `rw --as <person-id>`, signed with the operator's key (DESIGN §5).

Every command and query carries a signed actor. The operator names the person with the global
option `--as`; the token records `via=operator:<os user>`, so the trail shows that an operator acted
for that person. Operations that act for nobody (dead letters, replays, the audit ledger) are signed
as the operator themself, `operator:<os user>`, which holds no person's powers.
"""

from __future__ import annotations

from contextvars import ContextVar

from cli.connection import NotRunningError, RunInfo, load_run_info
from shared.actor import ActorKeyError, ActorSigner, SignAs, load_private_key, operator_via

__all__ = [
    "ActorNeeded",
    "acting",
    "acting_as",
    "as_operator",
    "operating",
    "operator_signer",
    "set_acting_person",
]

#: The key id services know the operator's public key by.
OPERATOR_KEY_ID = "operator"

_person: ContextVar[str | None] = ContextVar("rw_acting_person", default=None)


class ActorNeeded(RuntimeError):
    """A command acts for a person and `--as` named none."""

    def __init__(self) -> None:
        super().__init__(
            "this command acts for a person: name them with the global option `--as`, "
            "e.g. `rw --as p-ad tasks list` (the services check that person's powers)"
        )


def set_acting_person(person_id: str | None) -> None:
    """Remember `rw --as <person-id>` for the commands of this run."""
    _person.set(person_id)


def operator_signer(info: RunInfo) -> ActorSigner:
    """The operator's signer, from the key `make run` generated (or `RW_OPERATOR_ACTOR_KEY_FILE`)."""
    if info.actor_key_file is None:
        raise NotRunningError(
            "no operator actor key: `make run` writes one into its data folder; for an external deployment "
            "set RW_OPERATOR_ACTOR_KEY_FILE to the operator's Ed25519 signing key"
        )
    try:
        key = load_private_key(info.actor_key_file)
    except ActorKeyError as exc:
        raise NotRunningError(str(exc)) from exc
    return ActorSigner(key, OPERATOR_KEY_ID, issuer="raderwerk-operator", via=operator_via())


def acting_as(info: RunInfo, person_id: str | None = None) -> SignAs:
    """Sign as `person_id`, else as the person `--as` named; `ActorNeeded` when neither names one."""
    person = person_id or _person.get()
    if person is None:
        raise ActorNeeded()
    return operator_signer(info).acting_as(person)


def as_operator(info: RunInfo) -> SignAs:
    """Sign an operation as the person `--as` named, else as the operator themself."""
    return operator_signer(info).acting_as(_person.get() or operator_via())


def acting() -> SignAs:
    """The person `rw --as` named, for this run's system (`ActorNeeded` without `--as`)."""
    return acting_as(load_run_info())


def operating() -> SignAs:
    """The operator themself (or the `--as` person), for operations that act for nobody."""
    return as_operator(load_run_info())
