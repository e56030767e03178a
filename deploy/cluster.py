"""A local JetStream cluster: three nats-servers from the wheel, routed to one another (DESIGN §7).

`make run-cluster` (`python -m deploy.run --cluster`) and the cluster tests start it. Every node
has its own folder (`n1`, `n2`, `n3`: configuration, store, log) and its own client, monitoring and
route ports on the loopback address; the users and passwords are shared and the same as a single
server's (`deploy.natsconf`). Streams are provisioned at replication 3 on it.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from deploy.embedded import NatsProcess, _spawn_nats, free_port, wait_http_ok
from deploy.natsconf import load_or_create_passwords, render_nats_config
from shared.districts import load_districts

__all__ = ["CLUSTER_NAME", "NatsCluster", "start_nats_cluster"]

CLUSTER_NAME = "raderwerk"


@dataclass
class NatsCluster:
    """The nodes of a running local cluster."""

    nodes: list[NatsProcess]

    @property
    def url(self) -> str:
        """Every node's client URL, comma-separated (as `RW_NATS_URL` takes them)."""
        return ",".join(n.url for n in self.nodes)

    @property
    def urls(self) -> list[str]:
        return [n.url for n in self.nodes]

    @property
    def passwords(self) -> dict[str, str]:
        return self.nodes[0].passwords

    def stop(self) -> None:
        for node in self.nodes:
            node.stop()


def _free_ports(host: str, count: int, taken: set[int]) -> list[int]:
    ports: list[int] = []
    while len(ports) < count:
        port = free_port(host)
        if port not in taken and port not in ports:
            ports.append(port)
    return ports


def start_nats_cluster(
    data_dir: Path,
    *,
    nodes: int = 3,
    host: str = "127.0.0.1",
    timeout: float = 30,
    die_with_parent: bool = False,
) -> NatsCluster:
    """Start `nodes` nats-servers as one JetStream cluster; return once its meta leader is elected."""
    data_dir.mkdir(parents=True, exist_ok=True)
    ports_file = data_dir / "ports.json"
    previous: list[dict[str, int]] = json.loads(ports_file.read_text()) if ports_file.exists() else []
    if len(previous) != nodes:
        flat = _free_ports(host, 3 * nodes, set())
        previous = [{"nats": flat[3 * i], "monitor": flat[3 * i + 1], "route": flat[3 * i + 2]} for i in range(nodes)]
        ports_file.write_text(json.dumps(previous))
    districts = load_districts()
    passwords = load_or_create_passwords(data_dir / "secrets.json", districts)
    routes = [f"nats-route://{host}:{p['route']}" for p in previous]
    started: list[NatsProcess] = []
    try:
        for i, ports in enumerate(previous, start=1):
            node_dir = data_dir / f"n{i}"
            node_dir.mkdir(parents=True, exist_ok=True)
            config = node_dir / "nats.conf"
            config.write_text(
                render_nats_config(
                    host=host,
                    port=ports["nats"],
                    http_port=ports["monitor"],
                    store_dir=node_dir / "jetstream",
                    passwords=passwords,
                    districts=districts,
                    server_name=f"{CLUSTER_NAME}-n{i}",
                    cluster={"name": CLUSTER_NAME, "host": host, "port": ports["route"], "routes": routes},
                )
            )
            config.chmod(0o600)
            process = _spawn_nats(config, node_dir, die_with_parent=die_with_parent)
            started.append(
                NatsProcess(process, host, ports["nats"], ports["monitor"], passwords, node_dir, die_with_parent)
            )
        for node in started:
            wait_http_ok(f"{node.monitor_url}/healthz", timeout, process=node.process)
        wait_for_meta_leader(started, timeout=timeout)
    except Exception:
        for node in started:
            node.stop()
        raise
    return NatsCluster(started)


def meta_leader(node: NatsProcess) -> str | None:
    """The JetStream meta leader this node knows of, if any."""
    try:
        with urllib.request.urlopen(f"{node.monitor_url}/jsz", timeout=2) as resp:  # noqa: S310 - http to our node
            info = json.loads(resp.read())
    except (urllib.error.URLError, OSError, ValueError):
        return None
    leader = (info.get("meta_cluster") or {}).get("leader")
    return str(leader) if leader else None


def wait_for_meta_leader(nodes: list[NatsProcess], *, timeout: float) -> str:
    """Until every running node names the same meta leader (the cluster can create streams)."""
    deadline = time.monotonic() + timeout
    seen: set[str | None] = set()
    while time.monotonic() < deadline:
        seen = {meta_leader(n) for n in nodes if n.process.poll() is None}
        if len(seen) == 1 and None not in seen:
            return str(next(iter(seen)))
        time.sleep(0.1)
    raise TimeoutError(f"no JetStream meta leader agreed within {timeout:.0f} s (seen: {seen})")
