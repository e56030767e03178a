"""`make bench-demo`: `rw demo`'s flow many times (500 by default) against one `make run`, without a refusal.

Each run is what `rw demo` does: a college item with a financial impact proposed, checked by
finance (the visum granted), decided in a college session, committed, its follow-up tasks and
inbox entries made, every message in the audit ledger. The benchmark uses the running system of
`make run` (`.rw/run.json`, or `RW_DATA_DIR`); when none runs it starts `make run` itself in a
temporary folder and stops it afterwards.

It prints the runs, the refusals (there must be none), the time per run (p50, p95, p99, max),
the throughput, the tries the flow waited out (finance's budget check arriving, say) and what the
runs committed on the demo's credit (exactly runs x amount). It exits non-zero on a refusal or a
commitment that does not add up. It is not part of `make test`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from nats.aio.client import Client

from cli.acting import operator_signer
from cli.connection import NotRunningError, clock_of, connect, load_run_info
from cli.decisions import FINANCIAL_DIRECTOR
from cli.demo import DemoError, DemoResult, demo_proposal, run_demo
from shared.actor import ActorSigner
from shared.clock import Clock
from shared.contracts.finance import GetCreditUse, GetCreditUseReply
from shared.messaging.commands import send_query

ROOT = Path(__file__).resolve().parents[1]
READY_TIMEOUT_S = 240


@dataclass
class Figures:
    """What the runs did."""

    seconds: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    waits: Counter[str] = field(default_factory=Counter)
    """Refused tries the flow waited out, by code (not refusals: the flow went on)."""

    def add(self, result: DemoResult) -> None:
        self.seconds.append(result.seconds)
        for outcomes in result.attempts.values():
            self.waits.update(o for o in outcomes if o != "accepted")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def _committed(nc: Client, signer: ActorSigner, clock: Clock) -> tuple[str, Decimal, Decimal]:
    """The demo's credit: its key, what is committed on it and what is still available."""
    impact = demo_proposal(clock().date()).financial_impact
    assert impact is not None
    key = (
        f"{impact.entity.value}/{impact.financial_year}/{impact.economic_account}/{impact.policy_field}/{impact.action}"
    )
    reply = await send_query(
        nc,
        GetCreditUse(command_id=os.urandom(8).hex(), entity=impact.entity),
        GetCreditUseReply,
        actor=signer.acting_as(FINANCIAL_DIRECTOR),
        source="/bench",
    )
    line = next((c for c in reply.credits if c.credit_key == key), None)
    if line is None:
        return key, Decimal(0), Decimal(0)
    return key, line.committed, line.available


async def bench(runs: int, concurrency: int, timeout: float) -> bool:
    """Run the demo flow `runs` times, `concurrency` at a time; print the figures; answer whether all went well."""
    info = load_run_info()
    clock = clock_of(info)
    nc = await connect(info)
    signer = operator_signer(info)
    figures = Figures()
    gate = asyncio.Semaphore(concurrency)

    async def one() -> None:
        async with gate:
            try:
                figures.add(await run_demo(nc, signer, timeout=timeout, clock=clock))
            except DemoError as exc:
                figures.failures.append(str(exc))

    try:
        key, before, available = await _committed(nc, signer, clock)
        amount = demo_proposal(clock().date()).financial_impact
        assert amount is not None
        print(
            f"raderwerk bench-demo · {runs} runs of rw demo, {concurrency} at a time · credit {key}:"
            f" {available:.2f} available"
        )
        started = time.monotonic()
        await asyncio.gather(*(one() for _ in range(runs)))
        elapsed = time.monotonic() - started
        _, after, left = await _committed(nc, signer, clock)
    finally:
        await nc.close()
    done = len(figures.seconds)
    print(f"runs completed                 {done:>10} of {runs}")
    print(f"refusals                       {len(figures.failures):>10}")
    for failure in figures.failures[:5]:
        print(f"  {failure}")
    print(f"wall time                      {elapsed:>10.1f} s")
    print(f"throughput                     {done / elapsed:>10.2f} runs/s")
    if figures.seconds:
        print(
            f"per run p50 / p95 / p99 / max  {_percentile(figures.seconds, 0.50):.2f} /"
            f" {_percentile(figures.seconds, 0.95):.2f} / {_percentile(figures.seconds, 0.99):.2f} /"
            f" {max(figures.seconds):.2f} s"
        )
    waited = ", ".join(f"{code} x{n}" for code, n in figures.waits.most_common()) or "none"
    print(f"tries waited out               {waited}")
    expected = amount.amount * done
    print(f"committed on the demo credit   {after - before:>10.2f} (expected {expected:.2f}); {left:.2f} left")
    return not figures.failures and done == runs and after - before == expected


def _pump(stream: object, lines: queue.Queue[str | None]) -> None:
    assert hasattr(stream, "readline")
    for line in iter(stream.readline, ""):
        lines.put(line)
    lines.put(None)


@contextmanager
def running_system() -> Iterator[None]:
    """The running `make run`, or one started here in a temporary folder for the benchmark."""
    try:
        load_run_info()
    except NotRunningError:
        pass
    else:
        yield
        return
    with tempfile.TemporaryDirectory(prefix="rw-bench-demo-") as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith("RW_")} | {"PYTHONUNBUFFERED": "1"}
        process = subprocess.Popen(
            [sys.executable, "-m", "deploy.run", "--data-dir", tmp],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=_pump, args=(process.stdout, lines), daemon=True).start()
        deadline = time.monotonic() + READY_TIMEOUT_S
        try:
            while True:
                line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
                if line is None:
                    raise SystemExit(f"make run stopped before it was ready (exit {process.wait()})")
                if line.startswith("Raderwerk ready"):
                    print(f"started make run in {tmp}: {line.split(' — ')[0]}")
                    break
            os.environ["RW_DATA_DIR"] = tmp
            yield
        finally:
            os.environ.pop("RW_DATA_DIR", None)
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def main() -> None:
    """`python -m bench.demo [--runs 500] [--concurrency 4]`."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--timeout", type=float, default=120.0, help="Seconds one run may take.")
    args = parser.parse_args()
    with running_system():
        ok = asyncio.run(bench(args.runs, args.concurrency, args.timeout))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
