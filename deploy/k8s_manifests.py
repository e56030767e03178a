"""`python -m deploy.k8s_manifests`: write `deploy/k8s/` from the topology (DESIGN §7, cluster).

Kustomize manifests for every service (two replicas each; the audit service's second replica is
its ledger writer's standby), the jobs that provision JetStream and migrate the schemas, and the
values of the official NATS Helm chart (three servers, JetStream on file storage, the accounts and
users of `deploy.natsconf` with every password a variable read from a Kubernetes Secret).

The files are generated so they cannot drift from the topology; `tests/unit/test_k8s_manifests.py`
checks the committed ones equal this output, validates them against the Kubernetes schemas and
the chart's values schema, and compares them with `docker-compose.yml`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml

from deploy.natsconf import render_nats_config, users_of
from shared.districts import load_districts
from shared.topology import SERVICE_NAMES

__all__ = [
    "IMAGE",
    "NATS_IMAGE_TAG",
    "REPLICAS",
    "manifests",
    "nats_values",
    "service_env",
]

OUT = Path(__file__).resolve().parent / "k8s"
#: The services' image: the same as docker-compose.yml's; an overlay sets the registry (`images:`).
IMAGE = "raderwerk:latest"
#: The NATS server image tag, the same as docker-compose.yml's.
NATS_IMAGE_TAG = "2.12-alpine"
NATS_URL = "nats://nats:4222"
HTTP_PORT = 8080
#: Two of every service; audit's second replica waits as the ledger writer's standby.
REPLICAS = dict.fromkeys(SERVICE_NAMES, 2)
#: Memory requests from the resident set measured under `rw demo` (docs/operations.md gives the
#: figures), rounded up with room for a burst; the limit is twice the request.
MEMORY_REQUEST_MI = {
    "organisation": 160,
    "hr": 160,
    "finance": 160,
    "meetings": 160,
    "external": 160,
    "notifications": 160,
    "audit": 160,
    "records": 160,
    "gateway": 200,
}
#: Settings of one service beyond the connections, as in docker-compose.yml.
_DIRECTORS = {
    "finance": {"FINANCIAL_DIRECTOR_PERSON_ID": "RW_FINANCIAL_DIRECTOR_PERSON_ID"},
    "meetings": {
        "ALGEMEEN_DIRECTEUR_PERSON_ID": "RW_ALGEMEEN_DIRECTEUR_PERSON_ID",
        "SECRETARIAT_PERSON_IDS": "RW_MEETINGS_SECRETARIAT_PERSON_IDS",
        "SOCIAL_SERVICE_PERSON_IDS": "RW_MEETINGS_SOCIAL_SERVICE_PERSON_IDS",
    },
    "records": {"ALGEMEEN_DIRECTEUR_PERSON_ID": "RW_ALGEMEEN_DIRECTEUR_PERSON_ID"},
}
_LABELS = {"app.kubernetes.io/part-of": "raderwerk"}
SETTINGS_MAP = "raderwerk-settings"
ACTOR_KEYS_MAP = "raderwerk-actor-keys"
"""A ConfigMap holding `actor-public-keys.json` (`python -m deploy.actor_keys`): public keys, no secret."""
ACTOR_KEYS_DIR = "/run/raderwerk"
NATS_SECRET = "raderwerk-nats"  # noqa: S105 - the Secret's name
DATABASE_SECRET = "raderwerk-database"  # noqa: S105 - the Secret's name
GATEWAY_SECRET = "raderwerk-gateway"  # noqa: S105 - the Secret's name
"""The gateway's own: `RW_GATEWAY_STATE_SECRET` and its actor signing key `gateway.pem`, which no other pod mounts."""
GATEWAY_KEY_DIR = "/run/raderwerk-gateway"
API_PORT = 8000


def _secret(name: str, key: str) -> dict[str, Any]:
    return {"name": key, "valueFrom": {"secretKeyRef": {"name": name, "key": key}}}


def _setting(name: str, key: str) -> dict[str, Any]:
    return {"name": name, "valueFrom": {"configMapKeyRef": {"name": SETTINGS_MAP, "key": key}}}


def service_env(name: str) -> list[dict[str, Any]]:
    """The environment of one service's container: connections, its own secrets, shared settings."""
    prefix = f"RW_{name.upper()}_"
    env: list[dict[str, Any]] = [
        _setting("RW_ENV", "RW_ENV"),
        {"name": f"{prefix}DATABASE_URL", "value": f"postgresql://{name}_app@postgres:5432/raderwerk"},
        _secret(DATABASE_SECRET, f"{prefix}DATABASE_PASSWORD"),
        {"name": f"{prefix}NATS_URL", "value": NATS_URL},
        _secret(NATS_SECRET, f"{prefix}NATS_PASSWORD"),
        {"name": f"{prefix}HTTP_HOST", "value": "0.0.0.0"},  # noqa: S104 - inside a pod
        {"name": f"{prefix}HTTP_PORT", "value": str(HTTP_PORT)},
        _setting("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT"),
        # The public keys of the actor signers (gateway, operator): every command is verified against them.
        {"name": "RW_ACTOR_PUBLIC_KEYS", "value": f"{ACTOR_KEYS_DIR}/actor-public-keys.json"},
    ]
    for field, shared in _DIRECTORS.get(name, {}).items():
        env.append(_setting(f"{prefix}{field}", shared))
    if name == "gateway":
        env += [
            {"name": f"{prefix}API_HOST", "value": "0.0.0.0"},  # noqa: S104 - inside a pod
            {"name": f"{prefix}API_PORT", "value": str(API_PORT)},
            # Behind the ingress's TLS: session cookies are secure-only.
            {"name": f"{prefix}COOKIE_SECURE", "value": "true"},
            _secret(GATEWAY_SECRET, f"{prefix}STATE_SECRET"),
            {"name": f"{prefix}ACTOR_KEY_FILE", "value": f"{GATEWAY_KEY_DIR}/gateway.pem"},
        ]
    return env


def _probe(path: str, *, period: int, failures: int) -> dict[str, Any]:
    return {
        "httpGet": {"path": path, "port": "http"},
        "periodSeconds": period,
        "timeoutSeconds": 3,
        "failureThreshold": failures,
    }


def _deployment(name: str) -> dict[str, Any]:
    labels = {**_LABELS, "app.kubernetes.io/name": name}
    memory = MEMORY_REQUEST_MI[name]
    container: dict[str, Any] = {
        "name": name,
        "image": IMAGE,
        "args": ["-m", f"services.{name}", "run"],
        "ports": [{"name": "http", "containerPort": HTTP_PORT}],
        "env": service_env(name),
        # Started: alive and connected within 2 minutes (migrations run in the migrate job).
        "startupProbe": _probe("/healthz", period=5, failures=24),
        "livenessProbe": _probe("/healthz", period=10, failures=3),
        # Ready: NATS connected, the database answers, the outbox relay is not failing.
        "readinessProbe": _probe("/readyz", period=10, failures=3),
        "resources": {
            "requests": {"cpu": "100m", "memory": f"{memory}Mi"},
            "limits": {"memory": f"{2 * memory}Mi"},
        },
        "securityContext": {"allowPrivilegeEscalation": False, "runAsNonRoot": True, "readOnlyRootFilesystem": True},
    }
    container["volumeMounts"] = [{"name": "actor-keys", "mountPath": ACTOR_KEYS_DIR, "readOnly": True}]
    if name == "audit":
        container["env"] += [
            {"name": "RW_AUDIT_KEYS_DIR", "value": "/var/lib/raderwerk/audit-keys"},
            {"name": "RW_AUDIT_ARCHIVE_DIR", "value": "/var/lib/raderwerk/audit-archive"},
        ]
        container["volumeMounts"] += [
            {"name": "audit-keys", "mountPath": "/var/lib/raderwerk/audit-keys", "readOnly": True},
            {"name": "audit-archive", "mountPath": "/var/lib/raderwerk/audit-archive"},
        ]
    if name == "gateway":
        container["ports"].append({"name": "api", "containerPort": API_PORT})
        container["volumeMounts"].append({"name": "actor-key", "mountPath": GATEWAY_KEY_DIR, "readOnly": True})
    pod: dict[str, Any] = {
        "containers": [container],
        # The graceful stop drains NATS (15 s) and finishes the relay's batch.
        "terminationGracePeriodSeconds": 30,
        "topologySpreadConstraints": [
            {
                "maxSkew": 1,
                "topologyKey": "kubernetes.io/hostname",
                "whenUnsatisfiable": "ScheduleAnyway",
                "labelSelector": {"matchLabels": {"app.kubernetes.io/name": name}},
            }
        ],
    }
    pod["volumes"] = [{"name": "actor-keys", "configMap": {"name": ACTOR_KEYS_MAP}}]
    if name == "audit":
        pod["volumes"] += [
            {"name": "audit-keys", "secret": {"secretName": "raderwerk-audit-keys"}},
            {"name": "audit-archive", "persistentVolumeClaim": {"claimName": "raderwerk-audit-archive"}},
        ]
    if name == "gateway":
        key = {"secretName": GATEWAY_SECRET, "items": [{"key": "gateway.pem", "path": "gateway.pem"}]}
        pod["volumes"].append({"name": "actor-key", "secret": key})
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "labels": labels},
        "spec": {
            "replicas": REPLICAS[name],
            "selector": {"matchLabels": {"app.kubernetes.io/name": name}},
            "template": {"metadata": {"labels": labels}, "spec": pod},
        },
    }


def _service(name: str) -> dict[str, Any]:
    ports = [{"name": "http", "port": HTTP_PORT, "targetPort": "http"}]
    if name == "gateway":
        # The API and console: an ingress of the user's choice terminates TLS in front of it.
        ports.append({"name": "api", "port": API_PORT, "targetPort": "api"})
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name, "labels": {**_LABELS, "app.kubernetes.io/name": name}},
        "spec": {"selector": {"app.kubernetes.io/name": name}, "ports": ports},
    }


def _all_nats_passwords() -> list[dict[str, Any]]:
    return [_secret(NATS_SECRET, f"RW_{user.upper()}_NATS_PASSWORD") for user in users_of(load_districts())]


def _job(name: str, args: list[str], env: list[dict[str, Any]], *, command: list[str] | None = None) -> dict[str, Any]:
    container: dict[str, Any] = {"name": name, "image": IMAGE, "args": args, "env": env}
    if command is not None:
        container["command"] = command
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": f"raderwerk-{name}", "labels": _LABELS},
        "spec": {
            "backoffLimit": 6,
            "template": {
                "metadata": {"labels": _LABELS},
                "spec": {"restartPolicy": "OnFailure", "containers": [container]},
            },
        },
    }


def _jobs() -> list[dict[str, Any]]:
    provision = _job(
        "provision",
        ["-m", "deploy.provision", "--url", NATS_URL, "--replicas", "3"],
        [_secret(NATS_SECRET, "RW_PROVISIONER_NATS_PASSWORD")],
    )
    logins = []
    for name in SERVICE_NAMES:
        prefix = f"RW_{name.upper()}_"
        logins += [
            {"name": f"{prefix}DATABASE_URL", "value": f"postgresql://{name}_app@postgres:5432/raderwerk"},
            _secret(DATABASE_SECRET, f"{prefix}DATABASE_PASSWORD"),
        ]
    services = " ".join(SERVICE_NAMES)
    migrate = _job(
        "migrate",
        [f"for s in {services}; do python -m services.$s migrate || exit 1; done"],
        [
            _setting("RW_ENV", "RW_ENV"),
            *_all_nats_passwords(),
            *logins,
            _secret(DATABASE_SECRET, "RW_MIGRATION_DATABASE_URL"),
            {"name": "RW_NATS_URL", "value": NATS_URL},
        ],
        command=["sh", "-c"],
    )
    return [provision, migrate]


def _settings_map() -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": SETTINGS_MAP, "labels": _LABELS},
        "data": {
            "RW_ENV": "prod",
            # The municipality's directors: an overlay names its own.
            "RW_ALGEMEEN_DIRECTEUR_PERSON_ID": "p-ad",
            "RW_FINANCIAL_DIRECTOR_PERSON_ID": "p-fd",
            # Who records attendance and votes, and who sees social-welfare items beside the committee.
            "RW_MEETINGS_SECRETARIAT_PERSON_IDS": '["p-secr"]',
            "RW_MEETINGS_SOCIAL_SERVICE_PERSON_IDS": '["p-welzijn"]',
            # Empty: no OTLP export; set to the collector's address (http://collector:4318).
            "OTEL_EXPORTER_OTLP_ENDPOINT": "",
        },
    }


def _archive_claim() -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": {"name": "raderwerk-audit-archive", "labels": _LABELS},
        # Both audit replicas mount it: the active writer archives, the standby verifies.
        "spec": {"accessModes": ["ReadWriteMany"], "resources": {"requests": {"storage": "10Gi"}}},
    }


def manifests() -> dict[str, list[dict[str, Any]]]:
    """File name under `deploy/k8s/base/` -> its documents."""
    files: dict[str, list[dict[str, Any]]] = {
        "settings.yaml": [_settings_map()],
        "jobs.yaml": _jobs(),
        "audit-archive.yaml": [_archive_claim()],
    }
    for name in SERVICE_NAMES:
        files[f"{name}.yaml"] = [_deployment(name), _service(name)]
    return files


def nats_values() -> dict[str, Any]:
    """Values of the official NATS chart: 3 servers, JetStream on files, the topology's accounts."""
    districts = load_districts()
    placeholders = {user: f"<< $RW_{user.upper()}_NATS_PASSWORD >>" for user in users_of(districts)}
    rendered = json.loads(
        render_nats_config(
            host="0.0.0.0",  # noqa: S104 - inside a pod
            port=4222,
            http_port=8222,
            store_dir=Path("/data"),
            passwords=placeholders,
            districts=districts,
        )
    )
    return {
        "fullnameOverride": "nats",
        "config": {
            "cluster": {"enabled": True, "replicas": 3},
            "jetstream": {"enabled": True, "fileStore": {"enabled": True, "pvc": {"size": "20Gi"}}},
            "monitor": {"enabled": True},
            # The accounts, users and permissions `make run` uses, from the same topology.
            "merge": {
                "max_payload": rendered["max_payload"],
                "accounts": rendered["accounts"],
                "system_account": rendered["system_account"],
            },
        },
        "container": {
            "image": {"tag": NATS_IMAGE_TAG},
            "env": {
                f"RW_{user.upper()}_NATS_PASSWORD": {
                    "valueFrom": {"secretKeyRef": {"name": NATS_SECRET, "key": f"RW_{user.upper()}_NATS_PASSWORD"}}
                }
                for user in users_of(districts)
            },
            "merge": {
                "resources": {"requests": {"cpu": "1", "memory": "2Gi"}, "limits": {"cpu": "1", "memory": "2Gi"}}
            },
        },
        "podDisruptionBudget": {"enabled": True},
        "promExporter": {"enabled": True},
    }


def _kustomization(files: list[str]) -> dict[str, Any]:
    return {
        "apiVersion": "kustomize.config.k8s.io/v1beta1",
        "kind": "Kustomization",
        "labels": [{"pairs": _LABELS, "includeSelectors": False}],
        "resources": files,
        "images": [{"name": "raderwerk", "newTag": "latest"}],
    }


_HEADER = "# Generated by `python -m deploy.k8s_manifests` from the topology; do not edit by hand.\n"


def rendered_files() -> dict[Path, str]:
    """Every generated file (relative to `deploy/k8s/`) with its text."""
    out: dict[Path, str] = {}
    files = manifests()
    for name, docs in files.items():
        out[Path("base") / name] = _HEADER + "---\n".join(yaml.safe_dump(d, sort_keys=False) for d in docs)
    out[Path("base") / "kustomization.yaml"] = _HEADER + yaml.safe_dump(_kustomization(sorted(files)), sort_keys=False)
    out[Path("nats") / "values.yaml"] = _HEADER + yaml.safe_dump(nats_values(), sort_keys=False, width=200)
    return out


def main(out: Annotated[Path, typer.Option(help="Folder to write into.")] = OUT) -> None:
    """Write the Kubernetes manifests and the NATS chart's values."""
    for path, text in rendered_files().items():
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
        typer.echo(f"wrote {target}")


if __name__ == "__main__":
    typer.run(main)
