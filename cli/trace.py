"""`rw trace <correlation-id>`: the spans of one decision, as a tree, from the span store.

The span store is the folder of JSON lines every service writes when `RW_TRACE_DIR` is set (`make
run` sets it to `.rw/traces`). Chosen over the audit ledger's headers because the ledger holds one
`traceparent` per message but no span's start, end or name: the time a decision spends in each
service, which is what a trace is for, is only in the spans. With an OTLP collector at hand
(`OTEL_EXPORTER_OTLP_ENDPOINT`) the same spans are in the collector's own viewer.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.tree import Tree

from shared.tracing import CORRELATION_ATTRIBUTE

__all__ = ["SpanRecord", "TraceTree", "load_spans", "render_trace", "trace_dir", "trace_of"]

_REPO = Path(__file__).resolve().parents[1]


@dataclass
class SpanRecord:
    """One finished span as the span store holds it."""

    trace_id: str
    span_id: str
    parent_id: str | None
    name: str
    service: str
    start_ns: int
    end_ns: int
    attributes: dict[str, Any]
    children: list[SpanRecord] = field(default_factory=list)

    @property
    def duration_ms(self) -> float:
        return (self.end_ns - self.start_ns) / 1e6

    @classmethod
    def from_json(cls, row: dict[str, Any]) -> SpanRecord:
        return cls(
            trace_id=row["trace_id"],
            span_id=row["span_id"],
            parent_id=row.get("parent_id"),
            name=row["name"],
            service=row.get("service", ""),
            start_ns=int(row["start_ns"]),
            end_ns=int(row["end_ns"]),
            attributes=dict(row.get("attributes") or {}),
        )


@dataclass
class TraceTree:
    """The spans of one correlation id: the roots of each trace, children by start time."""

    roots: list[SpanRecord]
    spans: dict[str, SpanRecord]

    def services(self) -> set[str]:
        return {s.service for s in self.spans.values()}

    def parent_of(self, span: SpanRecord) -> SpanRecord | None:
        return self.spans.get(span.parent_id) if span.parent_id else None

    def walk(self) -> Iterator[SpanRecord]:
        stack = list(reversed(self.roots))
        while stack:
            span = stack.pop()
            yield span
            stack.extend(reversed(span.children))


def trace_dir() -> Path:
    """`RW_TRACE_DIR`, else the `traces` folder of the data folder (`RW_DATA_DIR`, default `.rw`)."""
    configured = os.environ.get("RW_TRACE_DIR")
    if configured:
        return Path(configured)
    return Path(os.environ.get("RW_DATA_DIR", _REPO / ".rw")) / "traces"


def load_spans(folder: Path) -> Iterator[SpanRecord]:
    """Every span in the store; a line cut short by a killed process is skipped."""
    for path in sorted(folder.glob("*.jsonl")):
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                try:
                    yield SpanRecord.from_json(json.loads(line))
                except (ValueError, KeyError, TypeError):
                    continue


def trace_of(correlation_id: str, spans: Iterable[SpanRecord]) -> TraceTree:
    """Every span of the traces that handled a message of `correlation_id`, linked parent to child."""
    all_spans = list(spans)
    traces = {s.trace_id for s in all_spans if s.attributes.get(CORRELATION_ATTRIBUTE) == correlation_id}
    mine = {s.span_id: s for s in all_spans if s.trace_id in traces}
    roots: list[SpanRecord] = []
    for span in sorted(mine.values(), key=lambda s: s.start_ns):
        parent = mine.get(span.parent_id) if span.parent_id else None
        if parent is None:
            roots.append(span)
        else:
            parent.children.append(span)
    return TraceTree(roots, mine)


def render_trace(correlation_id: str, tree: TraceTree) -> Tree:
    """The trace as a rich tree: service, span, start offset and duration."""
    top = Tree(f"[bold]{correlation_id}[/]: {len(tree.spans)} spans in {len({s.trace_id for s in tree.roots})} traces")
    if not tree.roots:
        return top
    origin = min(s.start_ns for s in tree.roots)

    def add(node: Tree, span: SpanRecord) -> None:
        offset = (span.start_ns - origin) / 1e6
        label = f"[cyan]{span.service}[/] {span.name}  [dim]+{offset:.1f} ms, {span.duration_ms:.1f} ms[/]"
        child = node.add(label)
        for c in span.children:
            add(child, c)

    for root in tree.roots:
        add(top, root)
    return top
