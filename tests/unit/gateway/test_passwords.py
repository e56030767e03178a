"""argon2id hashes: argon2-cffi's defaults for people's passwords, OWASP's minimum for generated ones."""

from __future__ import annotations

from services.gateway.adapters.passwords import Argon2Hasher


def test_a_persons_password_is_hashed_with_argon2_cffis_defaults() -> None:
    hashed = Argon2Hasher().hash("correct horse battery staple")
    assert hashed.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert Argon2Hasher().verify(hashed, "correct horse battery staple")
    assert not Argon2Hasher().verify(hashed, "correct horse battery stable")


def test_a_generated_password_gets_owasps_minimum_and_verifies_with_the_default_hasher() -> None:
    hashed = Argon2Hasher.for_generated_passwords().hash("f3Kq9xZ2-pLm0aBc")
    assert hashed.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    # Sign-in uses the default hasher: the parameters travel in the hash itself.
    assert Argon2Hasher().verify(hashed, "f3Kq9xZ2-pLm0aBc")
    assert not Argon2Hasher().verify(hashed, "f3Kq9xZ2-pLm0aBd")


def test_something_that_is_no_argon2_hash_never_verifies() -> None:
    assert not Argon2Hasher().verify("plain text", "plain text")
