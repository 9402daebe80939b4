"""deploy/kubernetes: the kustomize base and its CronJob component parse, fit together and stay locked down."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REPO

BASE = REPO / "deploy" / "kubernetes"
CRON = BASE / "components" / "tick-cronjob"
POD_LABELS = {"app.kubernetes.io/name": "raci-bot", "app.kubernetes.io/component": "slack-app"}


def documents(path: Path) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc is not None]


def resources(folder: Path) -> dict[str, dict[str, Any]]:
    """The resources a kustomization lists, by kind."""
    kustomization = documents(folder / "kustomization.yaml")[0]
    found = {}
    for name in kustomization["resources"]:
        for doc in documents(folder / name):
            found[doc["kind"]] = doc
    return found


def pod_spec(workload: dict[str, Any]) -> dict[str, Any]:
    spec = workload["spec"]
    if workload["kind"] == "CronJob":
        spec = spec["jobTemplate"]["spec"]
    return spec["template"]["spec"]


def env_literals() -> dict[str, str]:
    [generator] = [g for g in documents(BASE / "kustomization.yaml")[0]["configMapGenerator"]
                   if g["name"] == "raci-bot-env"]
    return dict(literal.split("=", 1) for literal in generator["literals"])


WORKLOADS = [pytest.param(lambda: resources(BASE)["Deployment"], id="deployment"),
             pytest.param(lambda: resources(CRON)["CronJob"], id="cronjob")]


@pytest.mark.parametrize("path", sorted(BASE.rglob("*.yaml")), ids=lambda p: str(p.relative_to(BASE)))
def test_every_yaml_file_parses(path: Path) -> None:
    assert documents(path)


@pytest.mark.parametrize("folder", [BASE, CRON], ids=["base", "tick-cronjob"])
def test_everything_a_kustomization_names_exists(folder: Path) -> None:
    kustomization = documents(folder / "kustomization.yaml")[0]
    named = list(kustomization.get("resources", []))
    named += [f.split("=")[-1] for g in kustomization.get("configMapGenerator", []) for f in g.get("files", [])]
    assert named
    for name in named:
        assert (folder / name).is_file(), f"{folder / 'kustomization.yaml'} names {name}, which does not exist"


def test_the_cronjob_is_optional() -> None:
    listed = documents(BASE / "kustomization.yaml")[0]["resources"]
    assert not any("cronjob" in name for name in listed)
    assert documents(CRON / "kustomization.yaml")[0]["kind"] == "Component"


def test_the_base_ships_the_default_matrix() -> None:
    """The ConfigMap's raci.yaml is data/raci.yaml (cp data/raci.yaml deploy/kubernetes/ after changing it)."""
    assert (BASE / "raci.yaml").read_text() == (REPO / "data" / "raci.yaml").read_text()


def test_the_app_runs_two_replicas_with_probes_on_its_port() -> None:
    deployment = resources(BASE)["Deployment"]
    assert deployment["spec"]["replicas"] == 2
    [container] = pod_spec(deployment)["containers"]
    assert container["ports"] == [{"name": "http", "containerPort": 3000, "protocol": "TCP"}]
    assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
    assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
    assert pod_spec(deployment)["terminationGracePeriodSeconds"] >= 15  # preStop 5 s + a 10 s drain
    annotations = deployment["spec"]["template"]["metadata"]["annotations"]
    assert annotations["prometheus.io/scrape"] == "true" and annotations["prometheus.io/path"] == "/metrics"


@pytest.mark.parametrize("workload", WORKLOADS)
def test_workloads_are_locked_down(workload: Any) -> None:
    workload = workload()
    spec = pod_spec(workload)
    dockerfile_uid = int(re.search(r"--uid (\d+)", (REPO / "Dockerfile").read_text()).group(1))
    assert spec["automountServiceAccountToken"] is False
    assert spec["serviceAccountName"] == resources(BASE)["ServiceAccount"]["metadata"]["name"]
    assert spec["securityContext"]["runAsNonRoot"] is True
    assert spec["securityContext"]["runAsUser"] == dockerfile_uid
    assert spec["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
    for container in spec["containers"]:
        context = container["securityContext"]
        assert context["allowPrivilegeEscalation"] is False
        assert context["readOnlyRootFilesystem"] is True
        assert context["capabilities"] == {"drop": ["ALL"]}
        assert context["runAsNonRoot"] is True and context.get("privileged") is False
        for kind in ("requests", "limits"):
            assert set(container["resources"][kind]) == {"cpu", "memory"}
        assert container["imagePullPolicy"] == "Always"


@pytest.mark.parametrize("workload", WORKLOADS)
def test_workloads_read_the_matrix_and_write_only_to_tmp(workload: Any) -> None:
    spec = pod_spec(workload())
    volumes = {v["name"]: v for v in spec["volumes"]}
    [container] = spec["containers"]
    mounts = {m["mountPath"]: volumes[m["name"]] for m in container["volumeMounts"]}
    assert "emptyDir" in mounts["/tmp"]
    raci_file = Path(env_literals()["RACI_FILE"])
    assert mounts[str(raci_file.parent)]["configMap"]["name"] == "raci-bot-matrix"
    assert all(m.get("readOnly") for m in container["volumeMounts"] if m["mountPath"] != "/tmp")
    sources = {next(iter(s)): next(iter(s.values()))["name"] for s in container["envFrom"]}
    assert sources == {"configMapRef": "raci-bot-env", "secretRef": "raci-bot"}


def test_settings_are_ones_the_app_reads() -> None:
    env = env_literals()
    assert env["RACI_SYNC_ON_START"] == "true" and env["LOG_FORMAT"] == "json" and env["PORT"] == "3000"
    settings = (REPO / "bot" / "settings.py").read_text()
    for name in env:
        assert f'"{name}"' in settings, f"{name} is not read by bot/settings.py"


def test_the_cronjob_runs_raci_tick_every_minute_one_at_a_time() -> None:
    cronjob = resources(CRON)["CronJob"]
    [container] = pod_spec(cronjob)["containers"]
    assert container["command"] == ["raci", "tick"]
    assert cronjob["spec"]["schedule"] == "* * * * *" and cronjob["spec"]["concurrencyPolicy"] == "Forbid"
    assert pod_spec(cronjob)["restartPolicy"] == "Never"


def test_service_budget_and_network_policy_select_the_pods() -> None:
    found = resources(BASE)
    assert found["Service"]["spec"]["selector"] == POD_LABELS
    assert found["Service"]["spec"]["ports"][0]["targetPort"] == "http"
    assert found["PodDisruptionBudget"]["spec"]["selector"]["matchLabels"] == POD_LABELS
    assert found["Deployment"]["spec"]["template"]["metadata"]["labels"] == POD_LABELS
    policy = found["NetworkPolicy"]["spec"]
    assert policy["podSelector"]["matchLabels"].items() <= POD_LABELS.items()
    assert [p["port"] for rule in policy["ingress"] for p in rule["ports"]] == [3000]
    egress = {(p["port"], p["protocol"]) for rule in policy["egress"] for p in rule["ports"]}
    assert egress == {(53, "UDP"), (53, "TCP"), (5432, "TCP"), (443, "TCP")}


@pytest.mark.parametrize("workload", WORKLOADS)
def test_every_checkov_skip_gives_its_reason(workload: Any) -> None:
    skips = {k: v for k, v in workload()["metadata"].get("annotations", {}).items() if k.startswith("checkov.io/")}
    assert skips
    for value in skips.values():
        check, _, reason = value.partition("=")
        assert re.fullmatch(r"CKV2?_[A-Z0-9]+_\d+", check) and len(reason.split()) >= 3, value


def kustomize(folder: Path) -> list[dict[str, Any]]:
    result = subprocess.run(["kubectl", "kustomize", str(folder)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


needs_kubectl = pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed")


@needs_kubectl
def test_kustomize_builds_the_base() -> None:
    kinds = sorted(doc["kind"] for doc in kustomize(BASE))
    assert kinds == ["ConfigMap", "ConfigMap", "Deployment", "NetworkPolicy", "PodDisruptionBudget", "Service",
                     "ServiceAccount"]


@needs_kubectl
def test_an_overlay_with_the_cronjob_builds(tmp_path: Path) -> None:
    overlay = {"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization",
               "resources": [os.path.relpath(BASE, tmp_path)], "components": [os.path.relpath(CRON, tmp_path)],
               "images": [{"name": "raci-bot", "newName": "registry.example.com/raci-bot",
                           "digest": "sha256:" + "0" * 64}],
               "configMapGenerator": [{"name": "raci-bot-env", "behavior": "merge",
                                       "literals": ["RACI_TICK_SECONDS=0"]}]}
    (tmp_path / "kustomization.yaml").write_text(yaml.safe_dump(overlay))
    docs = kustomize(tmp_path)
    built = {doc["kind"]: doc for doc in docs if doc["kind"] != "ConfigMap"}
    [env] = [doc for doc in docs if doc["metadata"]["name"].startswith("raci-bot-env-")]
    assert env["data"]["RACI_TICK_SECONDS"] == "0"
    deployment, cronjob = pod_spec(built["Deployment"]), pod_spec(built["CronJob"])
    # both use the generated (hash-suffixed) ConfigMaps
    assert deployment["volumes"][0]["configMap"]["name"] == cronjob["volumes"][0]["configMap"]["name"]
    assert cronjob["volumes"][0]["configMap"]["name"].startswith("raci-bot-matrix-")
    assert deployment["containers"][0]["envFrom"] == cronjob["containers"][0]["envFrom"]
    assert env["metadata"]["name"] in str(cronjob["containers"][0]["envFrom"])
    assert cronjob["containers"][0]["image"] == f"registry.example.com/raci-bot@sha256:{'0' * 64}"
    assert built["CronJob"]["metadata"]["namespace"] == "raci-bot"
