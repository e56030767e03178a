"""The bench's latency figures: honest when every decision at a rate failed, or most of them did."""

from __future__ import annotations

from typing import Any

from bench.decisions import below_saturation, latency_figures, latency_target_met


def _fixed(failures: int, latencies: list[float]) -> dict[str, Any]:
    return {"rate_per_s": 50.0, "decisions": len(latencies), "failures": failures, **latency_figures(latencies)}


def test_no_latency_measured_gives_no_figures_rather_than_an_error() -> None:
    assert latency_figures([]) == {"p50_ms": None, "p95_ms": None, "p99_ms": None, "max_ms": None}
    assert not latency_target_met(_fixed(failures=500, latencies=[]))


def test_the_percentiles_of_what_was_measured() -> None:
    figures = latency_figures([float(ms) for ms in range(1, 101)])
    assert figures == {"p50_ms": 51.0, "p95_ms": 96.0, "p99_ms": 100.0, "max_ms": 100.0}


def test_a_fast_p99_over_the_few_decisions_an_overloaded_system_let_through_misses_the_target() -> None:
    assert not latency_target_met(_fixed(failures=144, latencies=[100.0] * 12))
    assert latency_target_met(_fixed(failures=0, latencies=[100.0] * 12))
    assert not latency_target_met(_fixed(failures=0, latencies=[300.0] * 12))


def test_below_saturation_is_half_the_sustained_rate_and_at_least_one_per_second() -> None:
    assert below_saturation(8.6) == 4.3
    assert below_saturation(0.4) == 1.0
