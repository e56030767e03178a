"""Every command and query subject, sent generated requests that no contract accepts.

Each request gets a reply, `rejected` with `invalid_command` (never `internal_error`, never
silence); afterwards no table of any service changed, the service still reports ready, and a
valid request to it is still carried out.
"""

from __future__ import annotations

import json
import uuid

import nats.errors
import pytest
from hypothesis import strategies as st

from shared.contracts.base import Command, command_types
from shared.contracts.finance import ImportPlan
from shared.messaging.commands import message_size, send_command
from shared.messaging.errors import TooLarge
from tests.actors import acting_for
from tests.integration.bad_input.bodies import BadBody, bad_bodies, near_limit_body
from tests.integration.bad_input.driving import EXAMPLES, drive
from tests.integration.bad_input.good_commands import carry_out_a_valid_request
from tests.integration.bad_input.headers import BadHeaders, bad_envelope, envelope_headers, extra_headers
from tests.integration.bad_input.schema_values import contract_body
from tests.integration.bad_input.snapshot import changed_tables, fingerprint
from tests.integration.bad_input.system import System

# Generous: seven services share two cores with whatever else runs; a passing test takes seconds.
pytestmark = pytest.mark.timeout(300)

SUBJECTS = sorted(command_types())

#: A rejection says what is wrong in a sentence or a list, not in a megabyte.
MAX_MESSAGE = 2_000


class Request:
    """A request as sent: hypothesis prints it with this repr, so a failure stays readable."""

    __slots__ = ("body", "headers", "why")

    def __init__(self, body: BadBody, headers: dict[str, str], why: str = "") -> None:
        self.body = body
        self.headers = headers
        self.why = why

    def __repr__(self) -> str:
        return f"Request({self.body!r}, {self.why or 'headers'}: {sorted(self.headers)})"


def _requests(model: type[Command], max_payload: int) -> st.SearchStrategy[Request]:
    """A bad body with any headers, or a body that fits the contract under a bad envelope."""
    others = sorted(m.ce_type() for s, m in command_types().items() if s != model.subject())
    any_headers: st.SearchStrategy[dict[str, str]] = st.one_of(
        st.just({}),
        st.builds(lambda: envelope_headers(model.ce_type(), uuid.uuid4().hex)),
        bad_envelope(model.ce_type(), uuid.uuid4().hex, others).map(lambda h: h.headers),
        extra_headers(),
    )
    bad_body = st.builds(Request, bad_bodies(model, max_payload), any_headers)

    fitting = contract_body(model)

    @st.composite
    def fitting_body_bad_envelope(draw: st.DrawFn) -> Request:
        body = draw(fitting)
        data = BadBody(json.dumps(body).encode(), "a body that fits the contract")
        if draw(st.booleans()):
            headers = envelope_headers(model.ce_type(), uuid.uuid4().hex)
            return Request(data, headers, "ce-id is not the command id")
        bad: BadHeaders = draw(bad_envelope(model.ce_type(), body["command_id"], others))
        return Request(data, bad.headers, bad.why)

    return st.one_of(bad_body, bad_body, fitting_body_bad_envelope())


async def _quiet_fingerprint(system: System) -> dict[str, dict[str, tuple[int, str]]]:
    await system.wait_quiet()
    return await fingerprint(system.engines, {name: system.schema(name) for name in system.services})


@pytest.mark.parametrize("subject", SUBJECTS)
async def test_every_malformed_request_is_rejected_and_changes_nothing(system: System, subject: str) -> None:
    model = command_types()[subject]
    nc = system.operator
    before = await _quiet_fingerprint(system)

    async def rejected_as_invalid(request: Request) -> None:
        # Over the limit the server would close the connection: such a request is the one below.
        assert message_size(request.body.data, request.headers) <= nc.max_payload, f"too large: {request!r}"
        reply = await nc.request(subject, request.body.data, headers=request.headers or None, timeout=15)
        answer = json.loads(reply.data)
        assert (answer.get("status"), answer.get("code")) == ("rejected", "invalid_command"), f"{request!r}: {answer}"
        assert 0 < len(answer.get("message", "")) <= MAX_MESSAGE, f"{request!r}: {len(answer.get('message', ''))}"

    limit = Request(near_limit_body(nc.max_payload), {})
    ran = await drive(_requests(model, nc.max_payload), rejected_as_invalid, explicit=[limit])
    assert ran >= EXAMPLES

    # Beyond the limit the client refuses to send: a clean error, and the connection stays usable.
    with pytest.raises(nats.errors.MaxPayloadError):
        await nc.request(subject, b"{" + b" " * nc.max_payload + b"}", timeout=5)

    assert changed_tables(before, await _quiet_fingerprint(system)) == []
    await system.assert_running(model.SERVICE)
    await carry_out_a_valid_request(system, model.SERVICE)


async def test_a_request_over_the_limit_is_refused_by_the_client_and_the_connection_stays(system: System) -> None:
    # A CSV may be up to 5,000,000 characters by its contract; NATS takes 1 MiB with the headers.
    plan = ImportPlan(command_id=uuid.uuid4().hex, csv="x" * system.operator.max_payload)
    with pytest.raises(TooLarge) as refused:
        await send_command(system.operator, plan, actor=acting_for(plan, "p-ad"), source="/raderwerk/bad-input-test")
    assert (refused.value.code, refused.value.limit) == ("invalid_command", system.operator.max_payload)
    assert system.operator.is_connected
    await carry_out_a_valid_request(system, "finance")
