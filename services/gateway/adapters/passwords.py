"""argon2id password hashes (RFC 9106) for local accounts, with argon2-cffi's defaults."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

__all__ = ["Argon2Hasher"]


class Argon2Hasher:
    """The `PasswordHasher` port on argon2-cffi; any argon2 hash verifies, whatever its parameters."""

    def __init__(self, argon2: PasswordHasher | None = None) -> None:
        self._argon2 = argon2 or PasswordHasher()

    @classmethod
    def for_generated_passwords(cls) -> Argon2Hasher:
        """OWASP's argon2id minimum (19 MiB, two passes, one lane), for passwords this system draws itself.

        A hash's cost buys time against guessing a password a person chose. The demo accounts'
        passwords are random 96-bit tokens that no number of tries per second finds, so their 54
        hashes take about one second of CPU when `make run` starts instead of ten.
        """
        return cls(PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1))

    def hash(self, password: str) -> str:
        return self._argon2.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._argon2.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
