"""The bad-input suite's generators keep their promise: a body with a fault fits no contract.

The integration suite expects `invalid_command` for every such body; a generator that produced a
valid one would make a correct service look broken (a command id of forty nines fit the pattern
it was meant to break).
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from pydantic import BaseModel, ValidationError

from shared.contracts.base import command_types, event_types
from shared.topology import CONSUMERS, ConsumerSpec, subject_matches
from tests.integration.bad_input.good_events import good_event
from tests.integration.bad_input.schema_values import faulty_body

CONTRACTS = sorted({*command_types().values(), *event_types().values()}, key=lambda m: m.__name__)


@pytest.mark.parametrize("model", CONTRACTS, ids=lambda m: m.__name__)
def test_a_body_with_a_fault_fits_no_contract(model: type[BaseModel]) -> None:
    @settings(max_examples=15, database=None)
    @given(faulty_body(model.model_json_schema()))
    def refused(case: tuple[dict[str, object], object]) -> None:
        body, _fault = case
        with pytest.raises(ValidationError):
            model.model_validate_json(json.dumps(body))

    refused()


@pytest.mark.parametrize("spec", [c for c in CONSUMERS if c.durable != "audit_ledger"], ids=lambda c: c.durable)
def test_every_durable_consumer_has_a_valid_event_to_follow_the_bad_ones(spec: ConsumerSpec) -> None:
    # Without one the integration suite could not show that the consumer still works afterwards.
    good = good_event(spec.durable)
    assert any(subject_matches(pattern, good.event.SUBJECT) for pattern in spec.filter_subjects)
