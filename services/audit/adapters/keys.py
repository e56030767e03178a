"""The checkpoint signing keys: files in a folder outside the database.

    <folder>/<key id>.pub      the raw public key, hex (every key ever used; never deleted)
    <folder>/<key id>.key      the private key, PKCS#8 PEM, mode 0600 (only the current one is needed)
    <folder>/current           the key id that signs new checkpoints

`rotate` writes a new pair and points `current` at it; earlier `.pub` files stay, so every earlier
checkpoint stays verifiable. An auditor who verifies needs only the `.pub` files (copy them
somewhere the database's owner cannot write).
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)

from services.audit.domain.checkpoints import key_id_of, public_key_bytes

__all__ = ["KeyRing", "MissingSigningKey"]


class MissingSigningKey(RuntimeError):
    """No signing key where the settings say, and creating one is not allowed (production)."""


def _write(path: Path, data: bytes, mode: int) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    tmp.replace(path)


class KeyRing:
    """The signing key and every public key that signed a checkpoint, in one folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @classmethod
    def open(cls, folder: Path, *, create: bool) -> KeyRing:
        """The key ring in `folder`; a first key is generated when there is none and `create` allows it."""
        ring = cls(folder)
        if not (folder / "current").exists():
            if not create:
                raise MissingSigningKey(
                    f"no audit signing key in {folder}: generate one with `python -m services.audit keys rotate` "
                    "(or point RW_AUDIT_KEYS_DIR at the folder that holds it)"
                )
            ring.rotate()
        return ring

    def rotate(self) -> str:
        """A new signing key; answers its id. Earlier public keys stay."""
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        key = Ed25519PrivateKey.generate()
        key_id = key_id_of(key.public_key())
        pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
        _write(self.folder / f"{key_id}.key", pem, 0o600)
        _write(self.folder / f"{key_id}.pub", public_key_bytes(key.public_key()).hex().encode() + b"\n", 0o644)
        _write(self.folder / "current", key_id.encode() + b"\n", 0o644)
        return key_id

    def current_id(self) -> str:
        """The id of the key that signs new checkpoints."""
        return (self.folder / "current").read_text().strip()

    def signing_key(self) -> Ed25519PrivateKey:
        """The current private key."""
        key = load_pem_private_key((self.folder / f"{self.current_id()}.key").read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise MissingSigningKey(f"{self.folder / self.current_id()}.key is not an Ed25519 key")
        return key

    def public_keys(self) -> dict[str, Ed25519PublicKey]:
        """Every public key in the folder, by key id (a file whose name is not its key's id is ignored)."""
        keys: dict[str, Ed25519PublicKey] = {}
        if not self.folder.exists():
            return keys
        for path in sorted(self.folder.glob("*.pub")):
            try:
                key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(path.read_text().strip()))
            except ValueError:
                continue
            if key_id_of(key) == path.stem:
                keys[path.stem] = key
        return keys
