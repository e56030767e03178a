"""deploy/k8s: generated from the topology, valid Kubernetes, valid chart values, in step with compose."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
import yaml

from deploy.k8s_manifests import IMAGE, NATS_IMAGE_TAG, REPLICAS, rendered_files
from shared.topology import SERVICE_NAMES

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
#: The Kubernetes version the manifests are checked against (schemas shipped by kubernetes-validate).
KUBERNETES = "1.33.0"
#: Settings only Kubernetes sets: compose runs dev, where audit's folders default under .rw.
K8S_ONLY = {"audit": {"RW_AUDIT_KEYS_DIR", "RW_AUDIT_ARCHIVE_DIR"}}


def _documents(folder: Path) -> list[dict[str, Any]]:
    docs: list[dict[str, Any]] = []
    for path in sorted(folder.glob("*.yaml")):
        if path.name != "kustomization.yaml":
            docs += [d for d in yaml.safe_load_all(path.read_text()) if d]
    return docs


def test_the_committed_files_are_what_the_topology_generates() -> None:
    for path, text in rendered_files().items():
        committed = K8S / path
        assert committed.exists(), f"{path} is missing: run `python -m deploy.k8s_manifests`"
        assert committed.read_text() == text, f"{path} is stale: run `python -m deploy.k8s_manifests`"


@pytest.mark.parametrize("doc", _documents(K8S / "base"), ids=lambda d: f"{d['kind']}/{d['metadata']['name']}")
def test_every_manifest_validates_against_the_kubernetes_schema(doc: dict[str, Any]) -> None:
    kubernetes_validate.validate(doc, KUBERNETES, strict=True)


def test_an_unknown_field_is_refused_by_the_validator() -> None:
    (deployment,) = [d for d in _documents(K8S / "base") if d["kind"] == "Deployment"][:1]
    broken = json.loads(json.dumps(deployment))
    broken["spec"]["template"]["spec"]["containers"][0]["livenesProbe"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES, strict=True)


def test_kustomization_lists_every_manifest() -> None:
    kustomization = yaml.safe_load((K8S / "base" / "kustomization.yaml").read_text())
    files = {p.name for p in (K8S / "base").glob("*.yaml")} - {"kustomization.yaml"}
    assert set(kustomization["resources"]) == files


def test_the_nats_values_validate_against_the_charts_schema() -> None:
    schema = json.loads((K8S / "nats" / "values.schema.json").read_text())
    assert "2.14.2" in schema["title"]
    values = yaml.safe_load((K8S / "nats" / "values.yaml").read_text())
    jsonschema.validate(values, schema)
    assert values["config"]["cluster"] == {"enabled": True, "replicas": 3}
    assert values["config"]["jetstream"]["fileStore"]["enabled"] is True
    # A key the chart does not read (Helm would ignore it silently) is refused.
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"config": {"jetstream": {"filestore": {}}}}, schema)


def test_every_nats_password_is_a_variable_from_a_secret() -> None:
    values = yaml.safe_load((K8S / "nats" / "values.yaml").read_text())
    text = json.dumps(values["config"]["merge"])
    variables = {v["valueFrom"]["secretKeyRef"]["key"] for v in values["container"]["env"].values()}
    for account in values["config"]["merge"]["accounts"].values():
        for user in account["users"]:
            name = user["password"].removeprefix("<< $").removesuffix(" >>")
            assert name in variables, user["user"]
    assert "dev-" not in text


def _compose() -> dict[str, Any]:
    compose: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return compose


def _deployments() -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in _documents(K8S / "base") if d["kind"] == "Deployment"}


def test_every_service_is_deployed_with_probes_secrets_and_requests() -> None:
    deployments = _deployments()
    assert set(deployments) == set(SERVICE_NAMES)
    for name, deployment in deployments.items():
        assert deployment["spec"]["replicas"] == REPLICAS[name] == 2
        (container,) = deployment["spec"]["template"]["spec"]["containers"]
        assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
        assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
        assert container["resources"]["requests"]["memory"].endswith("Mi")
        secrets = {e["name"] for e in container["env"] if "secretKeyRef" in e.get("valueFrom", {})}
        own = {"gateway": {"RW_GATEWAY_STATE_SECRET"}}.get(name, set())
        assert secrets == {f"RW_{name.upper()}_NATS_PASSWORD", f"RW_{name.upper()}_DATABASE_PASSWORD", *own}
        assert not [e for e in container["env"] if "PASSWORD" in e["name"] and "value" in e]


def test_compose_and_the_manifests_name_the_same_images_and_settings() -> None:
    compose = _compose()
    deployments = _deployments()
    assert compose["x-image"]["image"] == IMAGE
    assert compose["services"]["nats"]["image"] == f"nats:{NATS_IMAGE_TAG}"
    values = yaml.safe_load((K8S / "nats" / "values.yaml").read_text())
    assert values["container"]["image"]["tag"] == NATS_IMAGE_TAG
    for name in SERVICE_NAMES:
        service = compose["services"][name]
        (container,) = deployments[name]["spec"]["template"]["spec"]["containers"]
        assert container["image"] == IMAGE
        assert container["args"] == service["command"]
        in_compose = set(service["environment"])
        in_k8s = {e["name"] for e in container["env"]} - K8S_ONLY.get(name, set())
        assert in_k8s == in_compose, name
    jobs = {d["metadata"]["name"]: d for d in _documents(K8S / "base") if d["kind"] == "Job"}
    (migrate,) = jobs["raderwerk-migrate"]["spec"]["template"]["spec"]["containers"]
    assert migrate["image"] == IMAGE
    # The migrate job's settings: compose's, with the logins and passwords it lists by anchor.
    compose_migrate = compose["services"]["migrate"]["environment"]
    names = set(compose_migrate) - {"<<"}
    for anchor in ("x-passwords", "x-database-logins"):
        names |= set(compose[anchor])
    assert {e["name"] for e in migrate["env"]} == names - {
        "RW_ALGEMEEN_DIRECTEUR_PERSON_ID",
        "RW_FINANCIAL_DIRECTOR_PERSON_ID",
    }
