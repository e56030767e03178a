"""The translation knows every domain event meetings emits, and no other."""

from __future__ import annotations

import inspect

import pytest

from services.meetings.adapters import translation
from services.meetings.domain import events
from shared.kernel import DomainEvent


def test_every_domain_event_is_published_as_a_contract() -> None:
    published = [
        cls
        for _, cls in inspect.getmembers(events, inspect.isclass)
        if issubclass(cls, DomainEvent) and cls is not DomainEvent
    ]
    assert len(published) == 13
    for cls in published:
        assert translation.outgoing.dispatch(cls) is not translation.outgoing.dispatch(DomainEvent), cls.__name__


def test_an_event_of_another_service_is_refused() -> None:
    class Foreign(DomainEvent):
        pass

    with pytest.raises(TypeError, match="meetings publishes no Foreign"):
        translation.outgoing(Foreign())
