"""The actor token: signed for one command, verified by key id, short-lived by the wall clock."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from shared.actor import (
    LEEWAY_S,
    MAX_LIFETIME_S,
    ActorKeyError,
    ActorRefused,
    ActorSigner,
    ActorVerifier,
    generate_actor_keys,
    load_private_key,
    load_public_keys,
)

SUBJECT = "cmd.meetings.sign_minutes"
COMMAND = "c0ffee00-0000-4000-8000-000000000001"
NOW = 1_900_000_000.0
KEY = Ed25519PrivateKey.generate()
OTHER = Ed25519PrivateKey.generate()


def _signer(key: Ed25519PrivateKey = KEY, *, key_id: str = "gateway", ttl: float = 60, now: float = NOW) -> ActorSigner:
    return ActorSigner(key, key_id, issuer="raderwerk-gateway", ttl=ttl, via="gateway:oidc", now=lambda: now)


def _verifier(now: float = NOW) -> ActorVerifier:
    return ActorVerifier({"gateway": KEY.public_key()}, now=lambda: now)


def _refused(token: str | None, *, subject: str = SUBJECT, command_id: str = COMMAND, now: float = NOW) -> str:
    with pytest.raises(ActorRefused) as refused:
        _verifier(now).verify(token, subject=subject, command_id=command_id)
    return refused.value.code


def test_a_token_proves_its_person_for_its_command() -> None:
    token = _signer().token("p-ad", subject=SUBJECT, command_id=COMMAND)
    actor = _verifier().verify(token, subject=SUBJECT, command_id=COMMAND)
    assert (actor.person_id, actor.issuer, actor.via, actor.expires_at) == (
        "p-ad",
        "raderwerk-gateway",
        "gateway:oidc",
        NOW + 60,
    )
    assert jwt.get_unverified_header(token)["kid"] == "gateway"


def test_acting_as_signs_each_command_afresh() -> None:
    sign = _signer().acting_as("p-fd", via="operator:alice")
    first, second = sign(SUBJECT, COMMAND), sign(SUBJECT, COMMAND)
    assert first != second, "a fresh token id per signature"
    assert _verifier().verify(first, subject=SUBJECT, command_id=COMMAND).via == "operator:alice"


@pytest.mark.parametrize("token", [None, ""])
def test_no_token_is_actor_missing(token: str | None) -> None:
    assert _refused(token) == "actor_missing"


def test_a_token_signed_by_another_key_is_invalid() -> None:
    assert _refused(_signer(OTHER).token("p-ad", subject=SUBJECT, command_id=COMMAND)) == "actor_invalid"


def test_a_token_with_an_unknown_key_id_is_invalid() -> None:
    assert _refused(_signer(key_id="nobody").token("p-ad", subject=SUBJECT, command_id=COMMAND)) == "actor_invalid"


def test_a_token_for_another_subject_is_invalid() -> None:
    token = _signer().token("p-ad", subject="cmd.finance.grant_visum", command_id=COMMAND)
    assert _refused(token) == "actor_invalid"


def test_a_token_bound_to_another_command_is_a_replay() -> None:
    token = _signer().token("p-ad", subject=SUBJECT, command_id="another-command-id")
    assert _refused(token) == "actor_replayed"


def test_expiry_is_judged_by_the_wall_clock_with_a_little_leeway() -> None:
    token = _signer(ttl=60).token("p-ad", subject=SUBJECT, command_id=COMMAND)
    assert _verifier(NOW + 60 + LEEWAY_S).verify(token, subject=SUBJECT, command_id=COMMAND).person_id == "p-ad"
    assert _refused(token, now=NOW + 60 + LEEWAY_S + 1) == "actor_expired"


def test_a_token_that_lives_too_long_is_invalid() -> None:
    token = _signer(ttl=MAX_LIFETIME_S + 1).token("p-ad", subject=SUBJECT, command_id=COMMAND)
    assert _refused(token) == "actor_invalid"


def test_a_token_from_the_future_is_invalid() -> None:
    token = _signer(now=NOW + 60).token("p-ad", subject=SUBJECT, command_id=COMMAND)
    assert _refused(token) == "actor_invalid"


def test_an_unsigned_token_is_invalid() -> None:
    claims = {"iss": "x", "sub": "p-ad", "aud": SUBJECT, "cid": COMMAND, "iat": int(NOW), "exp": int(NOW) + 60}
    claims["jti"] = "j"
    header = base64.urlsafe_b64encode(json.dumps({"alg": "none", "kid": "gateway"}).encode()).rstrip(b"=")
    body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=")
    assert _refused(f"{header.decode()}.{body.decode()}.") == "actor_invalid"


@given(position=st.integers(min_value=0), replacement=st.sampled_from("AQgw_-xyz0"))
def test_any_change_to_a_token_is_refused_or_changes_nothing(position: int, replacement: str) -> None:
    token = _signer().token("p-ad", subject=SUBJECT, command_id=COMMAND)
    index = position % len(token)
    if token[index] in {".", replacement}:
        return
    tampered = token[:index] + replacement + token[index + 1 :]
    outcome: str
    try:
        outcome = _verifier().verify(tampered, subject=SUBJECT, command_id=COMMAND).person_id
    except ActorRefused as refused:
        outcome = refused.code
    # base64url's last character may carry unused bits: the same bytes, the same actor.
    assert outcome in {"actor_invalid", "p-ad"}


@given(st.text(max_size=300))
def test_garbage_is_refused_never_crashes(garbage: str) -> None:
    with pytest.raises(ActorRefused):
        _verifier().verify(garbage, subject=SUBJECT, command_id=COMMAND)


def test_generated_keys_are_kept_and_only_the_public_ones_are_listed(tmp_path: Path) -> None:
    listed = generate_actor_keys(tmp_path / "keys")
    gateway = load_private_key(tmp_path / "keys" / "gateway.pem")
    assert generate_actor_keys(tmp_path / "keys") == listed
    assert load_private_key(tmp_path / "keys" / "gateway.pem").private_bytes_raw() == gateway.private_bytes_raw()
    assert (tmp_path / "keys" / "gateway.pem").stat().st_mode & 0o077 == 0
    keys = load_public_keys(listed)
    assert set(keys) == {"gateway", "operator"}
    assert "PRIVATE" not in listed.read_text()
    token = ActorSigner(gateway, "gateway", issuer="g").token("p-ad", subject=SUBJECT, command_id=COMMAND)
    assert ActorVerifier(keys).verify(token, subject=SUBJECT, command_id=COMMAND).person_id == "p-ad"


def test_public_keys_may_be_given_as_base64(tmp_path: Path) -> None:
    raw = base64.b64encode(KEY.public_key().public_bytes_raw()).decode()
    path = tmp_path / "keys.json"
    path.write_text(json.dumps({"gateway": raw}))
    token = _signer().token("p-ad", subject=SUBJECT, command_id=COMMAND)
    assert ActorVerifier(load_public_keys(path), now=lambda: NOW).verify(token, subject=SUBJECT, command_id=COMMAND)


@pytest.mark.parametrize("content", ["", "{}", "[]", '{"gateway": "not a key"}'])
def test_an_unusable_public_key_file_stops_the_start(tmp_path: Path, content: str) -> None:
    path = tmp_path / "keys.json"
    path.write_text(content)
    with pytest.raises(ActorKeyError):
        load_public_keys(path)


def test_a_service_without_actor_keys_does_not_start(tmp_path: Path) -> None:
    from pydantic import SecretStr

    from shared.settings import ServiceSettings
    from shared.wiring import actor_verifier_of

    settings = ServiceSettings(
        service_name="meetings", database_url="postgresql://x@h/db", nats_url="nats://h", nats_password=SecretStr("p")
    )
    with pytest.raises(ActorKeyError, match="RW_ACTOR_PUBLIC_KEYS"):
        actor_verifier_of(settings)
    listed = generate_actor_keys(tmp_path)
    assert set(actor_verifier_of(settings.model_copy(update={"actor_public_keys": listed})).public_keys) == {
        "gateway",
        "operator",
    }
