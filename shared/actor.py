"""The proven actor: who sends a command or query, as a short-lived signed token (DESIGN §5).

A command body never names the person acting. The gateway (a signed-in person) or the operator
CLI (`rw --as <person>`) signs a compact JWS (EdDSA, Ed25519) bound to one command: its audience is
the command's subject and its `cid` claim the command id, so a token cannot be lifted onto another
command. Services hold only the public keys and verify the token in the header `rw-actor` before any
handler runs (`shared.messaging.commands`).

Expiry is judged by the wall clock (`time.time()`), not the deployment's injected clock: a test or a
demo may move the business clock by days, a token's lifetime is about seconds of real time.
"""

from __future__ import annotations

import base64
import binascii
import getpass
import json
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

__all__ = [
    "ACTOR_HEADER",
    "Actor",
    "ActorCredential",
    "ActorKeyError",
    "ActorRefused",
    "ActorSigner",
    "ActorVerifier",
    "SignAs",
    "generate_actor_keys",
    "load_private_key",
    "load_public_keys",
    "operator_via",
    "public_key_text",
]

#: The NATS header that carries the token.
ACTOR_HEADER = "rw-actor"
#: Longest lifetime a verifier accepts, and the leeway for clocks that differ a little.
MAX_LIFETIME_S = 300
LEEWAY_S = 5
_ALGORITHM = "EdDSA"
#: What `send_command`/`send_query` take: signs the actor for one command, (subject, command id) -> token.
ActorCredential = Callable[[str, str], str]


@dataclass(frozen=True)
class Actor:
    """A verified actor: the person, who vouched for them, and how."""

    person_id: str
    issuer: str
    via: str
    token_id: str
    expires_at: float


class ActorRefused(Exception):
    """The token does not prove an actor for this command; `code` is the rejection code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class ActorKeyError(ValueError):
    """An actor key file is missing or unreadable: the process must not start."""


@dataclass(frozen=True)
class ActorSigner:
    """Signs actor tokens with one Ed25519 key; `via` says how the person was vouched for."""

    private_key: Ed25519PrivateKey
    key_id: str
    issuer: str
    ttl: float = 60.0
    via: str = ""
    now: Callable[[], float] = field(default=time.time, repr=False)

    def token(self, person_id: str, *, subject: str, command_id: str, via: str | None = None) -> str:
        """A token proving `person_id` for the one command `command_id` on `subject`."""
        issued = int(self.now())
        claims = {
            "iss": self.issuer,
            "sub": person_id,
            "aud": subject,
            "cid": command_id,
            "iat": issued,
            "exp": issued + int(self.ttl),
            "jti": uuid.uuid4().hex,
            "via": via if via is not None else self.via,
        }
        return jwt.encode(claims, self.private_key, algorithm=_ALGORITHM, headers={"kid": self.key_id})

    def acting_as(self, person_id: str, *, via: str | None = None) -> SignAs:
        """A credential for `send_command`/`send_query` that signs every command it sends as `person_id`."""
        return SignAs(self, person_id, via)


@dataclass(frozen=True)
class SignAs:
    """Signs each command it is asked for as one person, with a fresh token bound to that command."""

    signer: ActorSigner
    person_id: str
    via: str | None = None

    def __call__(self, subject: str, command_id: str) -> str:
        return self.signer.token(self.person_id, subject=subject, command_id=command_id, via=self.via)


@dataclass(frozen=True)
class ActorVerifier:
    """Verifies actor tokens against the public keys the deployment trusts, by key id."""

    public_keys: Mapping[str, Ed25519PublicKey]
    now: Callable[[], float] = field(default=time.time, repr=False)

    def verify(self, token: str | None, *, subject: str, command_id: str) -> Actor:
        """The actor the token proves for this command, or `ActorRefused` with its code."""
        if not token:
            raise ActorRefused("actor_missing", f"a command needs a signed actor in the {ACTOR_HEADER!r} header")
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise ActorRefused("actor_invalid", f"the actor token is malformed: {exc}") from exc
        key = self.public_keys.get(str(header.get("kid", "")))
        if key is None or header.get("alg") != _ALGORITHM:
            raise ActorRefused("actor_invalid", "the actor token is not signed by a key this service trusts")
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[_ALGORITHM],
                audience=subject,
                options={
                    "require": ["iss", "sub", "aud", "iat", "exp", "jti"],
                    "verify_exp": False,
                    "verify_iat": False,
                    "verify_nbf": False,
                },
            )
        except jwt.InvalidAudienceError as exc:
            raise ActorRefused("actor_invalid", "the actor token was signed for another subject") from exc
        except jwt.PyJWTError as exc:
            raise ActorRefused("actor_invalid", f"the actor token does not verify: {exc}") from exc
        return self._judged(claims, command_id)

    def _judged(self, claims: Mapping[str, object], command_id: str) -> Actor:
        issued, expires = claims.get("iat"), claims.get("exp")
        person, via, cid = claims.get("sub"), claims.get("via", ""), claims.get("cid")
        if not isinstance(issued, int) or not isinstance(expires, int) or not isinstance(person, str) or not person:
            raise ActorRefused("actor_invalid", "the actor token lacks a person or its times")
        if expires - issued > MAX_LIFETIME_S:
            raise ActorRefused("actor_invalid", f"the actor token lives longer than {MAX_LIFETIME_S} s")
        now = self.now()
        if issued > now + LEEWAY_S:
            raise ActorRefused("actor_invalid", "the actor token was issued in the future")
        if expires + LEEWAY_S < now:
            raise ActorRefused("actor_expired", "the actor token has expired: sign the command again")
        if cid != command_id:
            raise ActorRefused("actor_replayed", "the actor token was signed for another command")
        return Actor(
            person_id=person,
            issuer=str(claims["iss"]),
            via=str(via),
            token_id=str(claims["jti"]),
            expires_at=float(expires),
        )


def operator_via() -> str:
    """How the operator CLI vouches for a person: `operator:<os user>`."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return f"operator:{user}"


# -- keys -------------------------------------------------------------------------------------------


def public_key_text(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """The public key as PEM text (what the public-key file holds per key id)."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def _private_pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _write_secret(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)
    path.write_bytes(data)


def generate_actor_keys(folder: Path, key_ids: tuple[str, ...] = ("gateway", "operator")) -> Path:
    """Create one signing key per key id in `folder` (kept when there), and the public-key file.

    Answers the path of `actor-public-keys.json` ({key id: public key PEM}), which services read.
    """
    folder.mkdir(parents=True, exist_ok=True)
    public: dict[str, str] = {}
    for key_id in key_ids:
        path = folder / f"{key_id}.pem"
        if path.exists():
            key = load_private_key(path)
        else:
            key = Ed25519PrivateKey.generate()
            _write_secret(path, _private_pem(key))
        public[key_id] = public_key_text(key)
    target = folder / "actor-public-keys.json"
    target.write_text(json.dumps(public, indent=2))
    return target


def load_private_key(path: Path) -> Ed25519PrivateKey:
    """An Ed25519 private key from a PEM file."""
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError) as exc:
        raise ActorKeyError(f"cannot read the actor signing key {path}: {exc}") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise ActorKeyError(f"{path} is not an Ed25519 key")
    return key


def _public_key(key_id: str, text: str) -> Ed25519PublicKey:
    """A public key from PEM text or from the base64 of its 32 raw bytes."""
    try:
        if "BEGIN" in text:
            key = serialization.load_pem_public_key(text.encode())
            if not isinstance(key, Ed25519PublicKey):
                raise ActorKeyError(f"actor key {key_id!r} is not an Ed25519 key")
            return key
        return Ed25519PublicKey.from_public_bytes(base64.b64decode(text, validate=True))
    except (ValueError, binascii.Error) as exc:
        raise ActorKeyError(f"actor key {key_id!r} cannot be read: {exc}") from exc


def load_public_keys(path: Path) -> dict[str, Ed25519PublicKey]:
    """The trusted public keys from a JSON file {key id: public key PEM or base64}; never empty."""
    try:
        listed = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise ActorKeyError(f"cannot read the actor public keys {path}: {exc}") from exc
    if not isinstance(listed, dict) or not listed:
        raise ActorKeyError(f"{path} must be a JSON object {{key id: public key}} with at least one key")
    return {str(key_id): _public_key(str(key_id), str(text)) for key_id, text in listed.items()}
