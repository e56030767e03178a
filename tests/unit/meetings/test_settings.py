"""The policy is the decree's unless the municipality's settings say otherwise; the AD is a setting."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest
from pydantic import SecretStr, ValidationError

from services.meetings.bootstrap import MeetingsSettings, policy_of
from services.meetings.domain.policy import MeetingPolicy
from shared.settings import load_settings


def _settings(**fields: Any) -> MeetingsSettings:
    return MeetingsSettings(
        service_name="meetings",
        database_url="postgresql://x@localhost/x",
        nats_url="nats://127.0.0.1:4222",
        nats_password=SecretStr("dev-secret"),
        **fields,
    )


def test_the_algemeen_directeur_has_no_default() -> None:
    with pytest.raises(ValidationError, match="algemeen_directeur_person_id"):
        _settings()
    with pytest.raises(TypeError):
        MeetingPolicy()  # type: ignore[call-arg]


def test_unset_terms_are_the_decrees() -> None:
    policy = policy_of(_settings(algemeen_directeur_person_id="p-ad-gent"))
    assert policy == MeetingPolicy(algemeen_directeur="p-ad-gent")
    assert (policy.agenda_days, policy.member_item_days, policy.publication_days) == (8, 5, 10)
    assert (policy.regulation_effective_days, policy.urgency_fraction) == (5, Fraction(2, 3))


def test_a_municipality_sets_its_own_terms() -> None:
    policy = policy_of(
        _settings(
            algemeen_directeur_person_id="p-ad",
            agenda_days=10,
            member_item_days=6,
            publication_days=7,
            regulation_effective_days=3,
            urgency_numerator=3,
            urgency_denominator=4,
        )
    )
    assert (policy.agenda_days, policy.member_item_days, policy.publication_days) == (10, 6, 7)
    assert (policy.regulation_effective_days, policy.urgency_fraction) == (3, Fraction(3, 4))
    only_top = policy_of(_settings(algemeen_directeur_person_id="p-ad", urgency_numerator=1))
    assert only_top.urgency_fraction == Fraction(1, 3)


def test_the_shared_variable_names_the_algemeen_directeur(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {
        "RW_DATABASE_URL": "postgresql://x@localhost/x",
        "RW_NATS_URL": "nats://127.0.0.1:4222",
        "RW_MEETINGS_NATS_PASSWORD": "dev-secret",
        "RW_ALGEMEEN_DIRECTEUR_PERSON_ID": "p-ad-shared",
    }.items():
        monkeypatch.setenv(name, value)
    assert load_settings(MeetingsSettings, "meetings").algemeen_directeur_person_id == "p-ad-shared"
    monkeypatch.setenv("RW_MEETINGS_ALGEMEEN_DIRECTEUR_PERSON_ID", "p-ad-own")
    assert load_settings(MeetingsSettings, "meetings").algemeen_directeur_person_id == "p-ad-own"
