"""Which processes a new launcher takes for leftovers of an earlier run in its folder, and which it leaves alone."""

from __future__ import annotations

from pathlib import Path

from deploy.leftovers import Seen, classify
from shared.supervised import SUPERVISOR_DATA_DIR

FOLDER = Path("/srv/raderwerk/.rw")
PYTHON = "/srv/raderwerk/.venv/bin/python"


def _seen(args: list[str], cwd: str = "/srv/raderwerk", environ: dict[str, str] | None = None, pid: int = 42) -> Seen:
    return Seen(pid, args, cwd, lambda: environ or {})


def _kind(seen: Seen, listed: dict[int, str] | None = None) -> str | None:
    found = classify(seen, FOLDER, listed or {})
    return found.kind if found else None


def test_the_servers_and_the_watchdog_of_the_folder_are_recognised() -> None:
    assert _kind(_seen(["/x/nats-server", "-c", f"{FOLDER}/nats/nats.conf"])) == "nats-server"
    postmaster = ["/x/pginstall/bin/postgres", "-D", f"{FOLDER}/postgres", "-h", "", "-k", f"{FOLDER}/postgres"]
    assert _kind(_seen(postmaster, cwd=f"{FOLDER}/postgres")) == "postmaster"
    assert _kind(_seen(["postgres: checkpointer"], cwd=f"{FOLDER}/postgres")) == "postgres"
    watchdog = [PYTHON, "-m", "deploy.watchdog", "--pgdata", f"{FOLDER}/postgres", "--fd", "4"]
    assert _kind(_seen(watchdog)) == "watchdog"


def test_a_service_is_recognised_by_the_folder_its_environment_names() -> None:
    service = [PYTHON, "-m", "services.finance", "run"]
    ours = classify(_seen(service, environ={SUPERVISOR_DATA_DIR: str(FOLDER)}), FOLDER, {})
    assert ours is not None
    assert (ours.kind, ours.label) == ("service", "finance")
    assert _kind(_seen(service, environ={SUPERVISOR_DATA_DIR: "/elsewhere/.rw"})) is None, "another run's service"
    assert _kind(_seen(service)) is None, "a service started by hand or by a test"


def test_a_service_of_a_run_before_the_marker_is_recognised_from_run_json_only_under_its_own_name() -> None:
    service = _seen([PYTHON, "-m", "services.finance", "run"], pid=4711)
    assert _kind(service, {4711: "finance"}) == "service"
    assert _kind(service, {4711: "hr"}) is None, "the pid was reused by another service"


def test_processes_of_other_folders_are_not_leftovers() -> None:
    assert _kind(_seen(["/x/nats-server", "-c", "/srv/raderwerk/.rw2/nats/nats.conf"])) is None
    assert _kind(_seen(["postgres: checkpointer"], cwd="/tmp/other/postgres")) is None
    assert _kind(_seen([])) is None, "kernel threads and zombies have no arguments"


def test_anything_else_that_uses_the_folder_is_named_but_never_stopped() -> None:
    shell = classify(_seen(["-bash"], cwd=str(FOLDER)), FOLDER, {})
    assert shell is not None
    assert shell.kind == "other"
    assert shell.label == "-bash"
