"""The supervisor with fake children and a fake clock: when it restarts, what it says, when it gives up."""

from __future__ import annotations

from dataclasses import dataclass, field

from deploy.restarts import RestartPolicy
from deploy.supervisor import Supervisor, exit_reason


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@dataclass
class FakeChild:
    """A child whose death and start failures the test decides."""

    name: str
    journal: list[str]
    running: bool = False
    reason: str = "exit code 1"
    fail_starts: int = 0
    starts: int = 0
    output: list[str] = field(default_factory=lambda: ["last words"])

    def start(self) -> None:
        self.starts += 1
        if self.fail_starts:
            self.fail_starts -= 1
            raise RuntimeError("port in use")
        self.running = True

    def exit_reason(self) -> str | None:
        return None if self.running else self.reason

    def request_stop(self) -> None:
        self.journal.append(f"request_stop {self.name}")

    def wait_stopped(self, timeout: float) -> None:
        self.running = False
        self.journal.append(f"wait_stopped {self.name}")

    def last_output(self) -> list[str]:
        return self.output


def _supervisor(clock: FakeClock, restarted: list[str] | None = None) -> Supervisor:
    policy = RestartPolicy(max_restarts=2, window_s=60, first_delay_s=1, max_delay_s=10)
    return Supervisor(
        policy=policy, clock=clock, on_restarted=lambda c: restarted.append(c.name) if restarted is not None else None
    )


def test_a_dead_child_is_restarted_after_its_delay_with_one_line_saying_what_and_why() -> None:
    clock, restarted = FakeClock(), list[str]()
    supervisor = _supervisor(clock, restarted)
    child = FakeChild("finance", [])
    supervisor.start(child, tier=2)
    assert supervisor.check() == []
    child.running, child.reason = False, "killed by SIGKILL"
    notes = supervisor.check()
    assert notes == ["restarting finance in 1 s: killed by SIGKILL (restart 1 of 2 restarts per 60 s)"]
    assert supervisor.next_due() == 1.0
    clock.now = 0.5
    assert supervisor.check() == []
    assert child.starts == 1, "not before its delay"
    clock.now = 1.0
    assert supervisor.check() == []
    assert child.starts == 2
    assert child.running
    assert restarted == ["finance"]
    assert supervisor.next_due() is None


def test_a_child_over_its_budget_is_left_stopped_and_the_others_keep_being_supervised() -> None:
    clock = FakeClock()
    supervisor = _supervisor(clock)
    crashing, steady = FakeChild("hr", []), FakeChild("nats-server", [])
    supervisor.start(crashing, tier=2)
    supervisor.start(steady, tier=1)
    for _ in range(2):
        crashing.running = False
        assert supervisor.check()[0].startswith("restarting hr")
        clock.now += 20
        supervisor.check()
        assert crashing.running
    crashing.running = False
    notes = supervisor.check()
    assert len(notes) == 1
    assert notes[0].startswith("hr stopped (exit code 1) and has used its budget of 2 restarts per 60 s: leaving it")
    assert "last words" in notes[0]
    assert supervisor.given_up() == ["hr"]
    clock.now += 100
    assert supervisor.check() == [], "a child given up on is not restarted, nor reported again"
    steady.running, steady.reason = False, "killed by SIGTERM"
    assert supervisor.check() == ["restarting nats-server in 1 s: killed by SIGTERM (restart 1 of 2 restarts per 60 s)"]


def test_a_failed_start_counts_against_the_budget_and_is_retried_later() -> None:
    clock = FakeClock()
    supervisor = _supervisor(clock)
    child = FakeChild("PostgreSQL", [])
    supervisor.start(child, tier=1)
    child.running, child.fail_starts = False, 1
    supervisor.check()
    clock.now = 1.0
    notes = supervisor.check()
    assert notes == [
        "restarting PostgreSQL in 2 s: did not start (RuntimeError: port in use) (restart 2 of 2 restarts per 60 s)"
    ]
    clock.now = 3.0
    supervisor.check()
    assert child.running


def test_stop_goes_tier_by_tier_from_the_highest_and_restarts_nothing_afterwards() -> None:
    clock, journal = FakeClock(), list[str]()
    supervisor = _supervisor(clock)
    for name, tier in (("watchdog", 0), ("nats-server", 1), ("PostgreSQL", 1), ("finance", 2), ("hr", 2)):
        supervisor.start(FakeChild(name, journal), tier=tier)
    supervisor.stop()
    assert journal == [
        "request_stop finance",
        "request_stop hr",
        "wait_stopped finance",
        "wait_stopped hr",
        "request_stop nats-server",
        "request_stop PostgreSQL",
        "wait_stopped nats-server",
        "wait_stopped PostgreSQL",
        "request_stop watchdog",
        "wait_stopped watchdog",
    ]
    assert supervisor.check() == [], "children stopped on purpose are not restarted"


def test_exit_reasons_name_the_signal_or_the_code() -> None:
    assert exit_reason(-9) == "killed by SIGKILL"
    assert exit_reason(-15) == "killed by SIGTERM"
    assert exit_reason(3) == "exit code 3"
    assert exit_reason(-200) == "killed by signal 200"


def test_a_child_that_runs_again_before_its_restart_is_left_alone() -> None:
    clock = FakeClock()
    supervisor = _supervisor(clock)
    child = FakeChild("PostgreSQL", [])
    supervisor.start(child, tier=1)
    child.running = False
    supervisor.check()
    child.running = True  # started by hand meanwhile
    clock.now = 5.0
    assert supervisor.check() == []
    assert child.starts == 1
    assert supervisor.next_due() is None
