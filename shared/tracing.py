"""OpenTelemetry traces through NATS headers (DESIGN §8).

Every message carries the W3C `traceparent` of the span that caused it:

* a command, a query and a JetStream delivery are handled inside FastStream's telemetry middleware's
  `process` span, whose parent is the incoming `traceparent`;
* an envelope written while a span is current (an outbox row, a consume record) stores that span's
  `traceparent` among its headers, so the chain survives the outbox: the relay publishes the row
  inside a `publish` span whose parent is the stored context, and sends its own context on;
* the audit ledger writer, not a FastStream subscriber, opens an `append` span per ledger record
  under the record's `traceparent`.

Where spans go is set per process by `configure_tracing`: over OTLP/HTTP when
`OTEL_EXPORTER_OTLP_ENDPOINT` is set, and to a span store of JSON lines in `trace_dir`
(`RW_TRACE_DIR`, set by `make run`) that `rw trace <correlation-id>` reads without a collector.
With neither, no provider is installed and every span is OpenTelemetry's non-recording no-op.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator, Mapping, MutableMapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    SimpleSpanProcessor,
    SpanExporter,
    SpanExportResult,
)
from opentelemetry.trace import Span, SpanKind
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

__all__ = [
    "CORRELATION_ATTRIBUTE",
    "SERVICE_ATTRIBUTE",
    "JsonLinesSpanExporter",
    "configure_tracing",
    "context_of",
    "inject_current",
    "span_under",
    "tracer",
    "tracer_provider",
]

#: The correlation id of the message a span handles: how `rw trace` finds a decision's spans.
CORRELATION_ATTRIBUTE = "raderwerk.correlation_id"
SERVICE_ATTRIBUTE = "service.name"
OTLP_ENDPOINT_VARIABLE = "OTEL_EXPORTER_OTLP_ENDPOINT"

_PROPAGATOR = TraceContextTextMapPropagator()
_provider: TracerProvider | None = None


def configure_tracing(
    service: str,
    *,
    trace_dir: Path | None = None,
    otlp_endpoint: str | None = None,
    exporters: Sequence[SpanExporter] = (),
) -> TracerProvider | None:
    """This process's tracer provider, or None when no span would go anywhere.

    `otlp_endpoint` defaults to `OTEL_EXPORTER_OTLP_ENDPOINT`; `exporters` are added as they are
    (a test's in-memory exporter). Called once per process by the service's wiring.
    """
    global _provider  # noqa: PLW0603 - one provider per process, as OpenTelemetry's own global
    endpoint = otlp_endpoint if otlp_endpoint is not None else os.environ.get(OTLP_ENDPOINT_VARIABLE, "")
    if not endpoint and trace_dir is None and not exporters:
        _provider = None
        return None
    provider = TracerProvider(resource=Resource.create({SERVICE_ATTRIBUTE: service}))
    if endpoint:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        # The exporter reads the standard OTEL_EXPORTER_OTLP_* variables itself (headers, timeout).
        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    if trace_dir is not None:
        # Written as each span ends: a killed process loses no span it finished.
        provider.add_span_processor(SimpleSpanProcessor(JsonLinesSpanExporter(trace_dir, service)))
    for exporter in exporters:
        provider.add_span_processor(SimpleSpanProcessor(exporter))
    _provider = provider
    return provider


def tracer_provider() -> TracerProvider | None:
    """The provider `configure_tracing` installed, if any."""
    return _provider


def tracer() -> trace.Tracer:
    """Raderwerk's tracer: the configured provider's, or OpenTelemetry's no-op tracer."""
    if _provider is None:
        return trace.NoOpTracer()
    return _provider.get_tracer("raderwerk")


def context_of(headers: Mapping[str, str] | None) -> Context:
    """The trace context a message's headers carry (empty when they carry none)."""
    return _PROPAGATOR.extract(dict(headers or {}))


def inject_current(headers: MutableMapping[str, str]) -> None:
    """Put the current span's `traceparent` (and `tracestate`) into `headers`, when a span is current."""
    if trace.get_current_span().get_span_context().is_valid:
        _PROPAGATOR.inject(headers)


@contextmanager
def span_under(
    name: str,
    headers: Mapping[str, str] | None,
    *,
    kind: SpanKind = SpanKind.INTERNAL,
    attributes: Mapping[str, str | int] | None = None,
) -> Iterator[Span]:
    """A current span whose parent is the context carried by `headers`."""
    with tracer().start_as_current_span(
        name, context=context_of(headers), kind=kind, attributes=dict(attributes or {})
    ) as span:
        yield span


class JsonLinesSpanExporter(SpanExporter):
    """The span store without a collector: one JSON line per finished span, one file per process."""

    def __init__(self, folder: Path, service: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / f"{service}-{os.getpid()}.jsonl"
        self._lock = threading.Lock()
        self._file: TextIO | None = self.path.open("a", encoding="utf-8")

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        lines = "".join(json.dumps(span_record(s), separators=(",", ":")) + "\n" for s in spans)
        with self._lock:
            if self._file is None:
                return SpanExportResult.FAILURE
            self._file.write(lines)
            self._file.flush()
        return SpanExportResult.SUCCESS

    def shutdown(self) -> None:
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None


def span_record(span: ReadableSpan) -> dict[str, Any]:
    """A finished span as the span store keeps it."""
    context = span.get_span_context()
    assert context is not None
    parent = span.parent
    return {
        "trace_id": f"{context.trace_id:032x}",
        "span_id": f"{context.span_id:016x}",
        "parent_id": f"{parent.span_id:016x}" if parent is not None else None,
        "name": span.name,
        "kind": span.kind.name.lower(),
        "service": str(span.resource.attributes.get(SERVICE_ATTRIBUTE, "")),
        "start_ns": span.start_time,
        "end_ns": span.end_time,
        "status": span.status.status_code.name.lower(),
        "attributes": {k: v for k, v in (span.attributes or {}).items() if isinstance(v, str | int | float | bool)},
    }
