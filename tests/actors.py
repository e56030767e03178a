"""The actor keys of a test session: services trust them, drivers sign with them (DESIGN §5).

One key pair per test session, made on first use: the public key goes into a file the services
read (`RW_ACTOR_PUBLIC_KEYS`), the private key stays in this process, so every driver and client in
the tests signs its commands as the person the scenario names: `signer.acting_as("p-ad")`.
"""

from __future__ import annotations

import functools
import json
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from shared.actor import ActorSigner, ActorVerifier, SignAs, public_key_text

__all__ = [
    "GATEWAY_KEY_ID",
    "KEY_ID",
    "acting_for",
    "actor_env",
    "as_person",
    "gateway_env",
    "operator_env",
    "private_key_file",
    "public_keys_file",
    "signer",
    "verifier",
]

#: The operator's key id: the CLI signs under it (`rw --as`), so `rw` in a test signs with the session key.
KEY_ID = "operator"
#: The gateway signs with a key of its own, as in `make run`.
GATEWAY_KEY_ID = "gateway"


@functools.cache
def _key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@functools.cache
def _gateway_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@functools.cache
def public_keys_file() -> Path:
    """The JSON file of the session's trusted public keys, as `make run` writes one."""
    folder = Path(tempfile.mkdtemp(prefix="rw-actor-keys-"))
    path = folder / "actor-public-keys.json"
    path.write_text(json.dumps({KEY_ID: public_key_text(_key()), GATEWAY_KEY_ID: public_key_text(_gateway_key())}))
    return path


@functools.cache
def gateway_env() -> dict[str, str]:
    """What a gateway process of the test session needs to sign actors: its own key."""
    path = public_keys_file().parent / "gateway.pem"
    pem = _gateway_key().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    path.touch(mode=0o600)
    path.write_bytes(pem)
    return {"RW_GATEWAY_ACTOR_KEY_FILE": str(path), "RW_GATEWAY_ACTOR_KEY_ID": GATEWAY_KEY_ID}


@functools.cache
def private_key_file() -> Path:
    """The session's signing key as a PEM file, for `rw` run by a test (`RW_OPERATOR_ACTOR_KEY_FILE`)."""
    path = public_keys_file().parent / "operator.pem"
    pem = _key().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    path.touch(mode=0o600)
    path.write_bytes(pem)
    return path


def operator_env() -> dict[str, str]:
    """What `rw` needs to sign as the operator of the test session."""
    return {"RW_OPERATOR_ACTOR_KEY_FILE": str(private_key_file())}


@functools.cache
def signer() -> ActorSigner:
    """Signs as anyone a test names, with the session's key."""
    return ActorSigner(_key(), KEY_ID, issuer="raderwerk-tests", via="operator:tests")


def as_person(person_id: str) -> SignAs:
    """The credential of `person_id` for `send_command`/`send_query`."""
    return signer().acting_as(person_id)


def actor_env() -> dict[str, str]:
    """What a service process needs to verify the session's actors."""
    return {"RW_ACTOR_PUBLIC_KEYS": str(public_keys_file())}


#: Commands whose `person_id` names the person acting (until the body stops naming them).
_ACTING_PERSON_ID = frozenset({"GrantVisum", "RefuseVisum", "ClaimTask", "CompleteTask", "SignMinutes"})
#: Fields of command bodies that name the person acting; the signed actor must be that person.
_ACTING_FIELDS = ("proposed_by", "convened_by", "added_by", "signed_by", "decided_by", "ordered_by", "opened_by")


def acting_for(command: object, default: str) -> SignAs:
    """Sign `command` as the person its scenario names: its acting-person field, else `default`."""
    person: object = None
    if type(command).__name__ in _ACTING_PERSON_ID:
        person = getattr(command, "person_id", None)
    for name in _ACTING_FIELDS:
        person = person or getattr(command, name, None)
    return as_person(person if isinstance(person, str) and person else default)


@functools.cache
def verifier() -> ActorVerifier:
    """A verifier that trusts the session's key, as the services of the session do."""
    return ActorVerifier({KEY_ID: _key().public_key(), GATEWAY_KEY_ID: _gateway_key().public_key()})
