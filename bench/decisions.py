"""`make bench`: decisions per second end to end, against the system as `make run` starts it.

A decision is one item of the college, with a financial impact and three follow-up actions, voted
in a session of one item (`cli.decisions.drive_decision`, the demo's flow). Its follow-ups are the
commitment finance records, the three tasks organisation creates and the three inbox entries
notifications writes; the bench sees them published (a core subscription of the provisioner, who
may read every subject) and matches them to the decision by correlation id. Every consumer,
the audit ledger's included, must have caught up before a phase counts as done.

Figures, each beside its target (DESIGN §10):

* decisions per second with every follow-up, at saturation (many concurrent clients);
* p50/p95/p99 from `decision.adopted` to the last follow-up, at a fixed 50 decisions per second;
* raw JetStream publish (pipelined) and consume on the same server in the same run, and the ratio
  of the system's messages per second to them;
* resident memory per service process (`/proc/<pid>/status`, the peak sampled during the run);
* the time from starting `make run` to ready (when the bench started it).

The machine's load average (`os.getloadavg()`) is written beside the figures: other work on the
machine changes them. Results are saved as JSON under `bench/results/`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import platform
import re
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import nats
import nats.errors
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.js.api import ConsumerConfig, StorageType, StreamConfig

from bench.cpu import CpuMeter
from bench.demo import running_system
from cli.acting import operator_signer
from cli.connection import RunInfo, clock_of, connect, load_run_info
from cli.decisions import drive_decision
from cli.demo import demo_proposal
from shared.actor import ActorSigner
from shared.clock import Clock
from shared.topology import inbox_prefix

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"

TARGET_DECISIONS_PER_S = 300.0
TARGET_P99_MS = 250.0
TARGET_RSS_MB = 150.0
TARGET_READY_S = 15.0
FIXED_RATE = 50.0
#: Decisions measured at half the saturation rate: enough that the p99 is not simply the slowest one.
BELOW_SATURATION_DECISIONS = 100
#: What one decision of the bench is followed by (the demo proposal's three follow-up actions).
FOLLOW_UPS = {"finance.commitment.recorded": 1, "organisation.task.created": 3, "notifications.inbox_entry.created": 3}
ADOPTED = "meetings.decision.adopted"
#: An amount far below any visum threshold, so the credit lasts for many thousands of decisions.
AMOUNT = Decimal("10.00")


@dataclass
class Trace:
    """When the bench saw a decision's messages (monotonic seconds)."""

    adopted: float | None = None
    follow_ups: list[float] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def complete(self) -> bool:
        return self.adopted is not None and all(self.counts.get(s, 0) >= n for s, n in FOLLOW_UPS.items())

    def latency(self) -> float | None:
        if not self.complete() or self.adopted is None:
            return None
        return max(self.follow_ups) - self.adopted


class Observer:
    """Sees the decisions' messages as JetStream stores them, by correlation id."""

    def __init__(self) -> None:
        self.traces: dict[str, Trace] = {}
        self._changed = asyncio.Event()

    async def start(self, nc: Client) -> None:
        for subject in (ADOPTED, *FOLLOW_UPS):
            await nc.subscribe(subject, cb=self._seen)

    async def _seen(self, msg: Msg) -> None:
        now = time.monotonic()
        correlation = (msg.headers or {}).get("ce-correlationid")
        if correlation is None or correlation not in self.traces:
            return
        trace = self.traces[correlation]
        if msg.subject == ADOPTED:
            trace.adopted = now
        else:
            trace.follow_ups.append(now)
            trace.counts[msg.subject] = trace.counts.get(msg.subject, 0) + 1
        if trace.complete():
            self._changed.set()

    def expect(self, correlation_id: str) -> None:
        self.traces[correlation_id] = Trace()

    async def all_complete(self, ids: list[str], timeout: float) -> float:
        """Wait until every decision in `ids` has all its follow-ups; answer when the last one came."""
        deadline = time.monotonic() + timeout
        while True:
            missing = [i for i in ids if not self.traces[i].complete()]
            if not missing:
                return max(max(self.traces[i].follow_ups) for i in ids)
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"{len(missing)} of {len(ids)} decisions still miss follow-ups")
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), timeout=min(left, 1.0))


def _percentile(values: list[float], share: float) -> float | None:
    """The `share` percentile of `values`; None when there are none (every decision failed)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def latency_figures(latencies_ms: list[float]) -> dict[str, float | None]:
    """p50, p95, p99 and max of the measured latencies, rounded; None for each when none was measured."""
    figures = {f"p{round(q * 100)}_ms": _percentile(latencies_ms, q) for q in (0.50, 0.95, 0.99)}
    figures["max_ms"] = max(latencies_ms) if latencies_ms else None
    return {k: None if v is None else round(v, 1) for k, v in figures.items()}


def latency_target_met(fixed: dict[str, Any]) -> bool:
    """The p99 target holds only when every decision at the rate was adopted and followed up in time:
    a p99 over the few that got through an overloaded system says nothing about the rate."""
    p99 = fixed["p99_ms"]
    return fixed["failures"] == 0 and p99 is not None and p99 < TARGET_P99_MS


class Memory:
    """Samples each service's resident set size from /proc while the bench runs; keeps the peak."""

    def __init__(self, pids: dict[str, int]) -> None:
        self.pids = pids
        self.peak_mb: dict[str, float] = {}

    def sample(self) -> None:
        for name, pid in self.pids.items():
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        mb = int(line.split()[1]) / 1024
                        self.peak_mb[name] = max(self.peak_mb.get(name, 0.0), mb)

    async def run(self, every_s: float = 0.5) -> None:
        while True:
            self.sample()
            await asyncio.sleep(every_s)


def _service_pids(info: RunInfo) -> dict[str, int]:
    if info.run_file is None:
        return {}
    data = json.loads(info.run_file.read_text())
    return {name: int(s["pid"]) for name, s in data.get("services", {}).items()}


def _cpu_meter(info: RunInfo, services: dict[str, int]) -> CpuMeter:
    """`services`, nats-server, the launcher and this driver; PostgreSQL with its backends."""
    if info.run_file is None:
        return CpuMeter({"bench driver": os.getpid()})
    processes = {name: int(pid) for name, pid in json.loads(info.run_file.read_text()).get("processes", {}).items()}
    postgres = processes.pop("PostgreSQL", None)
    return CpuMeter(
        services | processes | {"bench driver": os.getpid()},
        with_children={"PostgreSQL": postgres} if postgres else {},
    )


def _provisioner_password(info: RunInfo) -> str:
    if info.run_file is None:
        raise SystemExit("the bench reads the run's NATS secrets: run it against `make run` (run.json)")
    secrets = json.loads((info.run_file.parent / "nats" / "secrets.json").read_text())
    password: str = secrets["provisioner"]
    return password


async def _quiet(_error: Exception) -> None:
    """No traceback per reconnect attempt."""


async def _drained(admin: Client, timeout: float) -> float:
    """Wait until every durable consumer of the back office has nothing pending; answer when."""
    js = admin.jetstream()
    deadline = time.monotonic() + timeout
    while True:
        busy = 0
        for stream in await js.streams_info():
            name = stream.config.name
            if name is None or name in ("DISTRICTS", "BENCH"):
                continue  # a district reads its feed at its own pace
            for consumer in await js.consumers_info(name):
                if consumer.config.durable_name and (consumer.num_pending or consumer.num_ack_pending):
                    busy += 1
        if not busy:
            return time.monotonic()
        if time.monotonic() > deadline:
            raise TimeoutError(f"{busy} consumers still busy")
        await asyncio.sleep(0.1)


async def _stored_messages(admin: Client) -> int:
    js = admin.jetstream()
    return sum(
        s.state.messages for s in await js.streams_info() if s.config.name not in ("CAPTURE", "BENCH", "COMMANDS")
    )


class Driver:
    """Drives decisions through the running system the way `rw demo` does."""

    def __init__(self, nc: Client, signer: ActorSigner, observer: Observer, clock: Clock) -> None:
        self.nc = nc
        self.signer = signer
        self.observer = observer
        self.clock = clock
        self.failures: list[str] = []
        self.adopted: list[str] = []

    async def one(self) -> str | None:
        correlation_id = uuid.uuid4().hex
        self.observer.expect(correlation_id)
        proposal = demo_proposal(self.clock().date(), amount=AMOUNT)
        try:
            await drive_decision(
                self.nc,
                self.signer,
                proposal,
                correlation_id=correlation_id,
                deadline=time.monotonic() + 120,
                clock=self.clock,
            )
        except Exception as exc:  # noqa: BLE001 - counted and shown, the bench goes on
            self.failures.append(f"{type(exc).__name__}: {exc}")
            return None
        self.adopted.append(correlation_id)
        return correlation_id


async def _saturation(driver: Driver, admin: Client, count: int, clients: int, cpu: CpuMeter) -> dict[str, Any]:
    ids: list[str] = []
    todo = iter(range(count))

    async def client() -> None:
        for _ in todo:
            done = await driver.one()
            if done is not None:
                ids.append(done)

    stored_before = await _stored_messages(admin)
    cpu.start()
    started = time.monotonic()
    await asyncio.gather(*(client() for _ in range(clients)))
    driven = time.monotonic()
    last = await driver.observer.all_complete(ids, timeout=300)
    quiet = await _drained(admin, timeout=300)
    spent = cpu.stop()
    messages = await _stored_messages(admin) - stored_before
    return {
        "decisions": len(ids),
        "clients": clients,
        "failures": count - len(ids),
        "seconds_to_adopt_all": round(driven - started, 2),
        "seconds_to_last_follow_up": round(last - started, 2),
        "seconds_to_every_consumer_drained": round(quiet - started, 2),
        "decisions_per_s": round(len(ids) / (last - started), 1),
        "decisions_per_s_every_consumer_drained": round(len(ids) / (quiet - started), 1),
        "messages_stored": messages,
        "messages_per_s": round(messages / (quiet - started), 1),
        "cpu_s": round(sum(spent.values()), 1),
        "cpu_share_of_cores": round(sum(spent.values()) / ((quiet - started) * (os.cpu_count() or 1)), 2),
        "cpu_ms_per_decision": {name: round(s * 1000 / max(1, len(ids)), 1) for name, s in spent.items()},
    }


async def _fixed_rate(driver: Driver, admin: Client, rate: float, seconds: float) -> dict[str, Any]:
    tasks: list[asyncio.Task[str | None]] = []
    started = time.monotonic()
    n = int(rate * seconds)
    for i in range(n):
        at = started + i / rate
        await asyncio.sleep(max(0.0, at - time.monotonic()))
        tasks.append(asyncio.create_task(driver.one()))
    ids = [i for i in await asyncio.gather(*tasks) if i is not None]
    await driver.observer.all_complete(ids, timeout=120)
    await _drained(admin, timeout=120)
    latencies = [lat * 1000 for i in ids if (lat := driver.observer.traces[i].latency()) is not None]
    return {"rate_per_s": rate, "decisions": len(ids), "failures": n - len(ids), **latency_figures(latencies)}


async def _raw_jetstream(admin: Client, count: int) -> dict[str, Any]:
    """Publish `count` messages pipelined to a stream like the others (file storage), then consume them."""
    js = admin.jetstream()
    with contextlib.suppress(nats.errors.Error):
        await js.delete_stream("BENCH")
    await js.add_stream(StreamConfig(name="BENCH", subjects=["bench.>"], storage=StorageType.FILE))
    payload = b'{"item_id":"' + uuid.uuid4().hex.encode() + b'","title":"Benchmark item"}' + b" " * 300
    try:
        started = time.perf_counter()
        window = 500
        for start in range(0, count, window):
            await asyncio.gather(
                *(
                    js.publish("bench.raw", payload, headers={"Nats-Msg-Id": uuid.uuid4().hex})
                    for _ in range(min(window, count - start))
                )
            )
        published = count / (time.perf_counter() - started)
        sub = await js.pull_subscribe("bench.raw", durable="bench", stream="BENCH", config=ConsumerConfig())
        started = time.perf_counter()
        got = 0
        while got < count:
            msgs = await sub.fetch(batch=256, timeout=5)
            for m in msgs:
                await m.ack()
            got += len(msgs)
        consumed = count / (time.perf_counter() - started)
    finally:
        with contextlib.suppress(nats.errors.Error):
            await js.delete_stream("BENCH")
    return {"messages": count, "publish_per_s": round(published), "consume_per_s": round(consumed)}


async def bench(
    *, decisions: int, clients: int, fixed_seconds: float, raw: int, ready_s: float | None, label: str
) -> dict[str, Any]:
    info = load_run_info()
    clock = clock_of(info)
    nc = await connect(info)
    admin = await nats.connect(
        info.nats_url,
        user="provisioner",
        password=_provisioner_password(info),
        inbox_prefix=inbox_prefix("provisioner"),
        error_cb=_quiet,
    )
    observer = Observer()
    await observer.start(admin)
    driver = Driver(nc, operator_signer(info), observer, clock)
    memory = Memory(_service_pids(info))
    sampler = asyncio.create_task(memory.run())
    load_before = os.getloadavg()
    try:
        # Warm up: mandates in, connections and caches filled.
        warm = [i for i in await asyncio.gather(*(driver.one() for _ in range(10))) if i]
        await observer.all_complete(warm, timeout=120)
        await _drained(admin, timeout=120)
        print(f"warm-up: {len(warm)} decisions · load average {load_before[0]:.2f}")
        saturation = await _saturation(driver, admin, decisions, clients, _cpu_meter(info, memory.pids))
        load_saturation = os.getloadavg()
        print(f"saturation: {saturation}")
        fixed = await _fixed_rate(driver, admin, FIXED_RATE, fixed_seconds)
        print(f"fixed rate: {fixed}")
        # The latency the system gives when it keeps up: what is left once queues are not the cause.
        slow = below_saturation(saturation["decisions_per_s"])
        below = await _fixed_rate(driver, admin, slow, max(fixed_seconds, BELOW_SATURATION_DECISIONS / slow))
        print(f"below saturation: {below}")
        raw_js = await _raw_jetstream(admin, raw)
        print(f"raw JetStream: {raw_js}")
    finally:
        sampler.cancel()
        memory.sample()
        await nc.close()
        await admin.close()
    rss = {k: round(v, 1) for k, v in sorted(memory.peak_mb.items())}
    return {
        "label": label,
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after_saturation": [round(x, 2) for x in load_saturation],
            "note": "other work shares this machine; the load average says how much",
        },
        "saturation": saturation,
        "fixed_rate": fixed,
        "below_saturation": below,
        "raw_jetstream": raw_js
        | {
            "system_messages_per_s": saturation["messages_per_s"],
            "system_over_raw_publish": round(saturation["messages_per_s"] / raw_js["publish_per_s"], 4),
        },
        "rss_mb_peak": rss,
        "ready_s": ready_s,
        "failure_count": len(driver.failures),
        "failure_kinds": failure_kinds(driver.failures),
        "failures": driver.failures[:10],
        "targets": {
            "decisions_per_s": TARGET_DECISIONS_PER_S,
            "p99_ms_at_50_per_s": TARGET_P99_MS,
            "rss_mb": TARGET_RSS_MB,
            "ready_s": TARGET_READY_S,
        },
    }


#: Ids in a failure's text (uuids, correlation ids): failures that differ only in them are one kind.
_IDS = re.compile(r"\b[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\b")


def failure_kinds(failures: list[str]) -> dict[str, int]:
    """How many failures of each kind, most frequent first: what the driver was refused or waited for."""
    kinds = Counter(_IDS.sub("<id>", failure) for failure in failures)
    return dict(kinds.most_common())


def _line(what: str, figure: str, target: str = "", ok: bool | None = None) -> None:
    mark = "" if ok is None else ("met" if ok else "MISSED")
    print(f"{what:<58} {figure:>18}   {target:<18} {mark}")


def report(r: dict[str, Any]) -> None:
    """Print every figure beside its target."""
    s, f, raw = r["saturation"], r["fixed_rate"], r["raw_jetstream"]
    print()
    print(f"raderwerk bench · {r['label']} · {r['when']} · load average {r['machine']['load_average_before']}")
    rate = s["decisions_per_s"]
    target = TARGET_DECISIONS_PER_S
    _line(
        f"decisions/s, every follow-up ({s['decisions']}, {s['clients']} clients)",
        f"{rate:.1f}",
        f">= {target:.0f}",
        rate >= target,
    )
    _line("decisions/s until every consumer (audit too) drained", f"{s['decisions_per_s_every_consumer_drained']:.1f}")
    per_decision = s.get("cpu_ms_per_decision", {})
    if per_decision:
        _line(
            f"CPU per decision at saturation, ms ({s['cpu_share_of_cores']:.0%} of the cores busy)",
            f"{sum(per_decision.values()):.0f}",
            f"<= {1000 * (os.cpu_count() or 1) / target:.1f} for {target:.0f}/s",
        )
        print("    " + ", ".join(f"{name} {ms:.1f}" for name, ms in per_decision.items()))
    _line(
        f"adoption -> last follow-up at {f['rate_per_s']:.0f}/s, p50/p95/p99 ms",
        _latencies(f),
        f"p99 < {TARGET_P99_MS:.0f}, none failed",
        latency_target_met(f),
    )
    if f["failures"]:
        print(f"    {f['failures']} of {f['decisions'] + f['failures']} decisions at {f['rate_per_s']:.0f}/s failed")
    below = r.get("below_saturation")
    if below is not None:
        _line(
            f"the same at {below['rate_per_s']:.1f}/s, half of saturation ({below['decisions']} decisions)",
            _latencies(below),
        )
    _line("raw JetStream publish (pipelined) / consume, msg/s", f"{raw['publish_per_s']:,} / {raw['consume_per_s']:,}")
    _line(
        "system messages/s at saturation, share of raw publish",
        f"{raw['system_messages_per_s']:,.0f} ({raw['system_over_raw_publish']:.1%})",
    )
    for name, mb in r["rss_mb_peak"].items():
        _line(f"resident memory of {name}, peak MB", f"{mb:.1f}", f"< {TARGET_RSS_MB:.0f}", mb < TARGET_RSS_MB)
    ready = r["ready_s"]
    if ready is None:
        _line("make run to ready, s", "(already running)")
    else:
        _line("make run to ready, s", f"{ready:.1f}", f"< {TARGET_READY_S:.0f}", ready < TARGET_READY_S)
    if r["failures"]:
        phases = f"at saturation {s['failures']}, at {f['rate_per_s']:.0f}/s {f['failures']}"
        print(f"failures: {r['failure_count']} ({phases}), by kind:")
        for kind, count in list(r.get("failure_kinds", {}).items())[:5]:
            print(f"    {count:>6}  {kind}")


def below_saturation(decisions_per_s: float) -> float:
    """Half the rate the system sustained, at least one decision per second."""
    return max(1.0, round(decisions_per_s / 2, 1))


def _latencies(fixed: dict[str, Any]) -> str:
    figures = [fixed[k] for k in ("p50_ms", "p95_ms", "p99_ms")]
    return " / ".join("n/a" if v is None else f"{v:.0f}" for v in figures)


@contextlib.contextmanager
def _system() -> Iterator[float | None]:
    with running_system() as ready:
        yield ready


def main() -> None:
    """`python -m bench [--decisions 1500] [--clients 150] [--label after]`."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--decisions", type=int, default=1500, help="Decisions driven at saturation.")
    parser.add_argument("--clients", type=int, default=150, help="Concurrent clients at saturation.")
    parser.add_argument("--fixed-seconds", type=float, default=10.0, help="Seconds at 50 decisions per second.")
    parser.add_argument("--raw", type=int, default=20000, help="Messages of the raw JetStream measurement.")
    parser.add_argument("--label", default="run", help="Names the JSON file under bench/results/.")
    args = parser.parse_args()
    with _system() as ready:
        result = asyncio.run(
            bench(
                decisions=args.decisions,
                clients=args.clients,
                fixed_seconds=args.fixed_seconds,
                raw=args.raw,
                ready_s=ready,
                label=args.label,
            )
        )
    report(result)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS / f"{args.label}-{stamp}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    print(f"saved {path.relative_to(ROOT)}")
