"""The restart rule: delays double from the first, a budget per sliding window, then give up."""

from __future__ import annotations

from deploy.restarts import RestartBudget, RestartPolicy


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_delays_double_from_the_first_and_stop_at_the_cap() -> None:
    policy = RestartPolicy(first_delay_s=0.5, max_delay_s=5.0)
    assert [policy.delay(n) for n in range(1, 7)] == [0.5, 1.0, 2.0, 4.0, 5.0, 5.0]


def test_the_budget_allows_max_restarts_within_the_window_then_gives_up() -> None:
    clock = FakeClock()
    budget = RestartBudget(RestartPolicy(max_restarts=3, window_s=60, first_delay_s=1), clock)
    verdicts = []
    for _ in range(4):
        verdicts.append(budget.on_stop())
        clock.now += 5
    assert [(v.attempt, v.delay_s) for v in verdicts] == [(1, 1.0), (2, 2.0), (3, 4.0), (4, None)]
    assert verdicts[-1].give_up
    assert not verdicts[0].give_up


def test_restarts_older_than_the_window_no_longer_count() -> None:
    clock = FakeClock()
    budget = RestartBudget(RestartPolicy(max_restarts=2, window_s=60, first_delay_s=1), clock)
    budget.on_stop()
    clock.now += 30
    budget.on_stop()
    clock.now += 30.5  # the first restart is now more than 60 s ago
    verdict = budget.on_stop()
    assert not verdict.give_up
    assert verdict.attempt == 2  # one restart still in the window, so this is the second
    assert verdict.delay_s == 2.0
    assert budget.used() == 2


def test_a_child_that_stays_up_longer_than_the_window_starts_again_from_the_first_delay() -> None:
    clock = FakeClock()
    budget = RestartBudget(RestartPolicy(max_restarts=5, window_s=60, first_delay_s=0.5), clock)
    for _ in range(4):
        budget.on_stop()
    clock.now += 61
    assert budget.used() == 0
    verdict = budget.on_stop()
    assert (verdict.attempt, verdict.delay_s) == (1, 0.5)


def test_a_spent_budget_is_not_charged_again_by_further_stops() -> None:
    clock = FakeClock()
    budget = RestartBudget(RestartPolicy(max_restarts=1, window_s=10), clock)
    budget.on_stop()
    assert budget.on_stop().give_up
    assert budget.on_stop().give_up
    assert budget.used() == 1
    clock.now += 10.5
    assert not budget.on_stop().give_up


def test_the_policy_describes_itself_for_log_lines() -> None:
    assert RestartPolicy(max_restarts=5, window_s=60).describe() == "5 restarts per 60 s"
