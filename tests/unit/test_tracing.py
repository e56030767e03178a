"""Trace context through envelopes, the outbox relay and the span store (in-process exporter)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from cli.trace import load_spans, trace_of
from shared.contracts.base import Confidentiality, Entity
from shared.messaging.context import handling
from shared.messaging.envelope import Envelope
from shared.messaging.relay import OutboxRelay
from shared.tracing import CORRELATION_ATTRIBUTE, configure_tracing, context_of, span_under, tracer


@pytest.fixture
def spans(tmp_path: Path) -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    configure_tracing("meetings", trace_dir=tmp_path, otlp_endpoint="", exporters=[exporter])
    yield exporter
    configure_tracing("meetings", otlp_endpoint="")


def _envelope(correlation_id: str = "corr-1") -> Envelope:
    return Envelope.from_headers(
        {
            "ce-specversion": "1.0",
            "ce-id": "m-1",
            "ce-source": "/raderwerk/test",
            "ce-type": "be.raderwerk.meetings.decision.adopted.v1",
            "ce-time": "2026-01-01T00:00:00Z",
            "ce-correlationid": correlation_id,
        }
    )


def test_without_a_span_headers_carry_no_trace_context() -> None:
    configure_tracing("meetings", otlp_endpoint="")
    assert "traceparent" not in _envelope().to_headers()


def test_an_envelope_written_while_handling_carries_the_handling_span(spans: InMemorySpanExporter) -> None:
    with tracer().start_as_current_span("handle") as span:
        with handling(_envelope(), "meetings.decision.adopted"):
            headers = (
                _envelope()
                .caused(
                    type="be.raderwerk.finance.commitment.recorded.v1",
                    source="/raderwerk/finance",
                    entity=Entity.BOTH,
                    confidentiality=Confidentiality.PUBLIC,
                )
                .to_headers()
            )
        span_id = span.get_span_context().span_id
    parent = context_of(headers)
    assert trace.get_current_span(parent).get_span_context().span_id == span_id
    (finished,) = spans.get_finished_spans()
    assert finished.attributes is not None
    assert finished.attributes[CORRELATION_ATTRIBUTE] == "corr-1"


class _Ack:
    duplicate = False


class _JetStream:
    def __init__(self) -> None:
        self.sent: list[dict[str, str]] = []

    async def publish(self, subject: str, payload: bytes, **kwargs: Any) -> _Ack:
        self.sent.append(kwargs["headers"])
        return _Ack()


async def test_the_relay_publishes_under_the_context_stored_with_the_row(
    spans: InMemorySpanExporter, tmp_path: Path
) -> None:
    with span_under("handle", None) as handler_span:
        stored = _envelope().to_headers()
    js = _JetStream()
    relay = OutboxRelay(None, _Tables(), lambda: js)  # type: ignore[arg-type,return-value]
    await relay._publish("meetings.decision.adopted", b"{}", dict(stored))
    (sent,) = js.sent
    by_name = {s.name: s for s in spans.get_finished_spans()}
    publish = by_name["meetings.decision.adopted publish"]
    assert publish.parent is not None
    assert publish.parent.span_id == handler_span.get_span_context().span_id
    # The message carries the publish span on, so its consumer is the publish span's child.
    assert sent["traceparent"] != stored["traceparent"]
    assert f"{publish.context.span_id:016x}" in sent["traceparent"]
    # The span store on disk links the same spans for `rw trace`.
    tree = trace_of("corr-1", load_spans(tmp_path))
    assert [r.name for r in tree.roots] == ["handle"]
    assert [c.name for c in tree.roots[0].children] == ["meetings.decision.adopted publish"]


class _Tables:
    outbox = None
