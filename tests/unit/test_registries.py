"""Each service's registry (the one its composition root binds) covers exactly what it should.

Every command and query contract of the service is served, every durable consumer the topology
gives it is bound, and each consumer handles every event contract its filter lets through (an
unhandled one would be dead-lettered as `no_handler`).
"""

from __future__ import annotations

import importlib

import pytest

import shared.contracts  # noqa: F401 - registers every contract
from shared.contracts.base import Query, command_types, event_types
from shared.contracts.operations import is_operation
from shared.messaging.routes import Registry
from shared.service_cli import service_hooks
from shared.settings import ServiceSettings
from shared.topology import SERVICE_NAMES, consumers_of, subject_matches

#: Durable consumers served outside the registry, with the reason.
SERVED_ELSEWHERE = {"audit_ledger": "the ledger writer reads the capture stream in stream order itself"}


def registry_of(service: str) -> Registry:
    settings_cls = service_hooks(service).settings_cls
    settings: ServiceSettings = settings_cls.model_validate(
        {
            "service_name": service,
            "database_url": "postgresql://unused/db",
            "nats_url": "nats://unused:4222",
            "nats_password": "dev-unused",
            "algemeen_directeur_person_id": "p-ad",
            "financial_director_person_id": "p-fd",
        }
    )
    bootstrap = importlib.import_module(f"services.{service}.bootstrap")
    built: Registry = bootstrap.registry_of(settings)
    return built


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_every_command_and_query_of_the_service_is_served(service: str) -> None:
    registry = registry_of(service)
    # Dead letters and replays are served by the shared messaging layer (shared.messaging.operations).
    mine = [c for c in command_types().values() if service == c.SERVICE and not is_operation(c)]
    assert set(registry.commands) == {c for c in mine if not issubclass(c, Query)}
    assert set(registry.queries) == {c for c in mine if issubclass(c, Query)}


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_every_consumer_of_the_service_is_bound_and_handles_what_it_receives(service: str) -> None:
    registry = registry_of(service)
    declared = {c.durable: c for c in consumers_of(service) if c.durable not in SERVED_ELSEWHERE}
    assert set(registry.consumers) == set(declared)
    for durable, routes in registry.consumers.items():
        filters = declared[durable].filter_subjects
        received = {e for e in event_types().values() if any(subject_matches(f, e.SUBJECT) for f in filters)}
        assert set(routes) == received, f"{durable} receives {sorted(e.__name__ for e in received)}"


def test_subject_wildcards_match_as_nats_matches_them() -> None:
    assert subject_matches("hr.delegation.>", "hr.delegation.granted")
    assert not subject_matches("hr.delegation.>", "hr.delegation")
    assert subject_matches("a.*.c", "a.b.c")
    assert not subject_matches("a.*.c", "a.b.d")
    assert not subject_matches("a.b", "a.b.c")
