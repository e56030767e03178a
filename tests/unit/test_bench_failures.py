"""The bench groups its failures by kind, so a run with hundreds of them says what went wrong."""

from __future__ import annotations

from bench.decisions import failure_kinds


def test_failures_that_differ_only_in_their_ids_are_one_kind_most_frequent_first() -> None:
    failures = [
        "NoAnswer: meetings does not answer on cmd.meetings.convene_meeting: no reply within 10 s",
        *["NoAnswer: meetings does not answer on cmd.meetings.propose_agenda_item: no reply within 10 s"] * 3,
        "DecisionStalled: still waiting for finance's budget check of 3f2a9c1e0b7d4e5fa1b2c3d4e5f60718",
        "DecisionStalled: still waiting for finance's budget check of 0e1d2c3b-4a59-4687-9a0b-1c2d3e4f5a6b",
    ]
    assert failure_kinds(failures) == {
        "NoAnswer: meetings does not answer on cmd.meetings.propose_agenda_item: no reply within 10 s": 3,
        "DecisionStalled: still waiting for finance's budget check of <id>": 2,
        "NoAnswer: meetings does not answer on cmd.meetings.convene_meeting: no reply within 10 s": 1,
    }


def test_no_failures_no_kinds() -> None:
    assert failure_kinds([]) == {}
