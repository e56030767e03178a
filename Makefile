# Raderwerk: `make run` starts the whole system locally; `make test` runs every gate and test tier.
SHELL := /bin/bash
.DEFAULT_GOAL := help

UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
PY := .venv/bin/python
export UV_PYTHON_DOWNLOADS := never
export UV_LINK_MODE := copy
# Installed packages come byte-compiled, and `install` compiles the project's own sources: where
# PYTHONDONTWRITEBYTECODE is set (as on the machine this was measured on), every process would
# otherwise compile each module it imports anew, and a service's imports took 4.0 s instead of 1.9.
export UV_COMPILE_BYTECODE := 1

.PHONY: asyncapi help install chromium run run-cluster test lint typecheck test-unit test-integration test-e2e test-chaos-bounded test-launched test-chaos bench bench-relay bench-demo bench-audit compose-up clean

help:  ## List the targets
	@grep -hE '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-18s %s\n", $$1, $$2}'

$(UV):
	python3 -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv==$(UV_VERSION)

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python python3
	@touch $@

install: .venv/.synced  ## Create .venv from the lock file, byte-compiled
	@$(PY) -m compileall -q -j0 shared services deploy cli bench tests

run: install  ## Start NATS, PostgreSQL and all services with demo data (Ctrl-C stops)
	$(PY) -m deploy.run

run-cluster: install  ## As `run`, on a three-node JetStream cluster (streams at R3) with two replicas of every service
	$(PY) -m deploy.run --cluster --data-dir .rw/cluster

test: install lint typecheck test-unit test-integration test-launched  ## Every gate and test tier

lint: install  ## ruff: the rules and the formatting
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

typecheck: install  ## mypy --strict
	.venv/bin/mypy shared services deploy cli tests bench

test-unit: install  ## Fast tests, in memory, on every core (one core: 66 s; two: 35 s)
	.venv/bin/pytest tests/unit -q -n auto

test-integration: install  ## Real nats-server and PostgreSQL started by fixtures (three workers, one file per worker at a time)
	.venv/bin/pytest tests/integration -q -n 3 --dist loadfile

chromium:  ## Debian's Chromium for the browser tests (installed when missing; Playwright cannot download its own)
	@command -v chromium >/dev/null || { \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get install -y chromium || { $$SUDO apt-get update && $$SUDO apt-get install -y chromium; }; \
	}

test-e2e: install chromium  ## The whole system started as `make run` starts it, and the console in a real Chromium
	.venv/bin/pytest tests/e2e -q

test-chaos-bounded: install  ## The chaos tier as `make test` runs it: kills under a short burst
	.venv/bin/pytest tests/chaos -q -n 2 --dist loadfile

# The tiers that launch whole systems, side by side on two workers, one file each at a time: a launch
# leaves a core idle while it waits on its processes. Measured together: 6.1 min alone, 5.4 and 7.2 in
# `make test`; one after the other: 2.0 + 4.9 (the machine is noisy, the gain is small on average).
test-launched: install chromium  ## test-e2e and test-chaos-bounded in one run, as `make test` runs them
	.venv/bin/pytest tests/e2e tests/chaos -q -n 2 --dist loadfile

test-chaos: install  ## The long run: every process killed under a long burst, and 300 bad inputs per subject and consumer
	RW_CHAOS=long .venv/bin/pytest tests/chaos -q
	RW_BAD_INPUT_EXAMPLES=300 .venv/bin/pytest tests/integration/bad_input -q

bench: install  ## Decisions per second end to end against make run (started here if none runs); figures beside targets, JSON in bench/results/
	$(PY) -m bench

bench-relay: install  ## The outbox relay alone against raw JetStream publishing
	$(PY) -m bench.relay

bench-demo: install  ## rw demo's flow 500 times against one make run (started here if none runs)
	$(PY) -m bench.demo --runs 500

bench-audit: install  ## The audit ledger at 1,000,000 entries: ingest, verify and trail query beside their targets
	$(PY) -m bench.audit

compose-up:  ## Run with Docker Compose (needs a Docker engine)
	docker compose up --build

clean:  ## Remove the environment and local data (.rw)
	rm -rf .venv $(TOOLS) .rw .mypy_cache .ruff_cache

asyncapi: install  ## Regenerate docs/asyncapi.json from the contracts and topology
	$(PY) -m shared.asyncapi > docs/asyncapi.json
