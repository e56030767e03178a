"""The role model of a schema, as SQL: names, privileges, passwords that never travel in clear."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest

from shared.db.roles import (
    grant_statements,
    login_url,
    role_statements,
    roles_for,
    scram_sha256_verifier,
)


def test_every_schema_has_an_owner_and_a_runtime_role() -> None:
    roles = roles_for("finance")
    assert (roles.owner, roles.app) == ("finance_owner", "finance_app")


@pytest.mark.parametrize("schema", ["Finance", "fin-ance", "x" * 58, "", "a;drop"])
def test_names_that_cannot_make_role_names_are_refused(schema: str) -> None:
    with pytest.raises(ValueError, match="cannot name its roles"):
        roles_for(schema)


def test_the_verifier_answers_the_rfc_7677_exchange() -> None:
    # RFC 7677 §3: user "user", password "pencil"; the server's keys must produce its signature.
    salt = base64.b64decode("W22ZaJ0SNY7soEsUEjb6gQ==")
    verifier = scram_sha256_verifier("pencil", salt=salt, iterations=4096)
    method, rest = verifier.split("$", 1)
    assert method == "SCRAM-SHA-256"
    iterations_salt, keys = rest.split("$")
    assert iterations_salt == "4096:W22ZaJ0SNY7soEsUEjb6gQ=="
    stored_key, server_key = (base64.b64decode(k) for k in keys.split(":"))
    nonce = "rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0"
    auth_message = f"n=user,r=rOprNGfwEbeRWgbNEkqO,r={nonce},s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,c=biws,r={nonce}"
    server_signature = hmac.new(server_key, auth_message.encode(), hashlib.sha256).digest()
    assert base64.b64encode(server_signature).decode() == "6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="
    client_signature = hmac.new(stored_key, auth_message.encode(), hashlib.sha256).digest()
    proof = base64.b64decode("dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")
    client_key = bytes(a ^ b for a, b in zip(proof, client_signature, strict=True))
    assert hashlib.sha256(client_key).digest() == stored_key


def test_the_password_is_set_as_a_verifier_never_in_clear() -> None:
    statements = role_statements(roles_for("hr"), "raderwerk", app_password="dev-very-secret")
    assert not any("dev-very-secret" in s for s in statements)
    (password,) = [s for s in statements if "PASSWORD" in s]
    assert password.startswith('ALTER ROLE "hr_app" LOGIN')
    assert "PASSWORD 'SCRAM-SHA-256$4096:" in password


@pytest.mark.parametrize("password", ["", "wachtwoord-é", "tab\there"])
def test_passwords_a_verifier_could_get_wrong_are_refused(password: str) -> None:
    with pytest.raises(ValueError, match="printable ASCII"):
        scram_sha256_verifier(password)


def test_roles_can_do_nothing_but_log_in_and_owners_not_even_that() -> None:
    statements = role_statements(roles_for("hr"), "raderwerk", app_password=None)
    owner = next(s for s in statements if s.startswith('ALTER ROLE "hr_owner"'))
    app = next(s for s in statements if s.startswith('ALTER ROLE "hr_app"'))
    for limit in ("NOSUPERUSER", "NOCREATEDB", "NOCREATEROLE", "NOREPLICATION", "NOBYPASSRLS", "NOINHERIT"):
        assert limit in owner
        assert limit in app
    assert " NOLOGIN " in owner
    assert " LOGIN " in app
    assert "PASSWORD" not in app, "no password given: the one the role has is kept"
    assert 'CREATE SCHEMA IF NOT EXISTS "hr" AUTHORIZATION "hr_owner"' in statements


def test_the_runtime_role_gets_data_privileges_only() -> None:
    statements = grant_statements(roles_for("hr"), ["staff", "alembic_version"])
    joined = "\n".join(statements)
    assert 'GRANT USAGE ON SCHEMA "hr" TO "hr_app"' in joined
    assert 'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "hr" TO "hr_app"' in joined
    assert 'ALTER DEFAULT PRIVILEGES FOR ROLE "hr_owner" IN SCHEMA "hr" GRANT SELECT, INSERT, UPDATE, DELETE' in joined
    assert 'REVOKE ALL ON TABLE "hr".alembic_version FROM "hr_app"' in joined
    for never in ("TRUNCATE", "CREATE ON", "TRIGGER ON", "REFERENCES", "ALL PRIVILEGES"):
        assert not any(s.startswith("GRANT") and never in s for s in statements), never


def test_an_append_only_table_may_be_read_and_added_to_only() -> None:
    statements = grant_statements(roles_for("audit"), ["ledger", "outbox"], append_only=["ledger", "absent"])
    ledger = [s for s in statements if '"audit"."ledger"' in s]
    assert ledger == [
        'REVOKE ALL ON TABLE "audit"."ledger" FROM "audit_app"',
        'GRANT SELECT, INSERT ON TABLE "audit"."ledger" TO "audit_app"',
    ]
    assert not any('"absent"' in s for s in statements), "a table not (yet) there is not granted on"


@pytest.mark.parametrize(
    ("dsn", "expected"),
    [
        ("postgresql://postgres:@/postgres?host=/tmp/rw", "postgresql://hr_app@/postgres?host=/tmp/rw"),
        ("postgresql://admin:s3cret@db.example:5432/raderwerk", "postgresql://hr_app@db.example:5432/raderwerk"),
        ("postgresql+asyncpg://db.example/raderwerk", "postgresql+asyncpg://hr_app@db.example/raderwerk"),
    ],
)
def test_a_login_url_names_the_role_and_carries_no_password(dsn: str, expected: str) -> None:
    assert login_url(dsn, "hr_app") == expected


def test_a_login_url_needs_a_postgresql_url() -> None:
    with pytest.raises(ValueError, match="not a PostgreSQL URL"):
        login_url("mysql://x@y/z", "hr_app")
