"""The launch template's user-data, run in a fresh local host as cloud-init runs it on EC2.

provision.yml builds StartTech (trimmed to what the fleet needs: network, security groups,
secrets, ECR, IAM, load balancer, fleet) with the local inventory's app definition, on an
emulator of its own that the host containers reach (it listens on the Docker bridge's
gateway, as the local registry's hosts listener does). The user-data is read back from the
emulator's launch template, written where cloud-init keeps it
(/var/lib/cloud/instance/scripts/part-001) in a fresh host container and run as a systemd
unit, as cloud-final does. Two stand-ins for what differs from EC2: the emulator's keys for the
instance role's credentials, and /etc/docker/daemon.json naming the local registry as a plain
HTTP one (ECR speaks HTTPS; the local fleet's hosts get the same from docker_host).
"""

from __future__ import annotations

import base64
import http.client
import json
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
import yaml

from tests.support.local_fleet import EMULATOR_CLI, docker_reachable, ensure_images, free_port, sh
from tests.support.playbooks import ROOT, inventory_copy, run_playbook

pytestmark = [
    pytest.mark.slow,
    pytest.mark.docker,
    pytest.mark.skipif(not docker_reachable(), reason="no Docker engine (docker info fails)"),
]

PROJECT = "udtech"
# The parts of StartTech the launch template and its user-data depend on.
FLEET_COMPONENTS = ("project", "network", "security_groups", "secrets", "ecr", "iam", "load_balancer", "app", "fleet")
SECRET = "mongodb://user-data.invalid:27017/app"
SCRIPT = "/var/lib/cloud/instance/scripts/part-001"
RUN_FLAGS = (ROOT / "tools/hosts/run-flags").read_text().split()


@dataclass
class Stack:
    url: str
    user_data: str
    release_parameter: str

    def client(self, service: str):
        return boto3.client(
            service,
            endpoint_url=self.url,
            region_name="us-east-1",
            aws_access_key_id="user-data-test",
            aws_secret_access_key="user-data-test",
        )


def docker(*args: str, timeout: float = 120, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["docker", *args], input=stdin, capture_output=True, text=True, timeout=timeout, check=False)


@pytest.fixture(scope="module")
def registry() -> str:
    """The local registry with v1 and v2 of the demo app; its address for the hosts."""
    return ensure_images("v1", "v2")


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, registry: str) -> Iterator[Stack]:
    gateway = registry.rsplit(":", 1)[0]
    work = tmp_path_factory.mktemp("user-data")
    port = free_port()
    sh(EMULATOR_CLI, "start", "--host", gateway, "--port", str(port), "--state-dir", work / "emulator")
    url = f"http://{gateway}:{port}"
    try:
        local = yaml.safe_load((ROOT / "inventories/local/group_vars/all/stacks.yml").read_text())
        overrides = {k: v for k, v in local["appstack_stacks"]["starttech"].items() if k in FLEET_COMPONENTS}
        overrides.update(project=PROJECT, network={"nat_mode": "none"})
        overrides["secrets"] = {**overrides.get("secrets", {}), "recovery_window_days": 0}
        inventory = inventory_copy(work, "local", {"stacks.yml": {"appstack_stacks": {"starttech": overrides}}})
        catalog = yaml.safe_load((ROOT / "group_vars/all/stacks.yml").read_text())["appstack_stack_catalog"]
        trimmed = {k: v for k, v in catalog["starttech"].items() if k in FLEET_COMPONENTS}
        extra = work / "catalog.yml"
        extra.write_text(yaml.safe_dump({"appstack_stack_catalog": {"starttech": trimmed}}))
        env = {
            "APPSTACK_EMULATOR_URL": url,
            "APPSTACK_FLEET_EMULATOR_URL": url,
            "APPSTACK_REGISTRY_HOST": registry,
            "STARTTECH_MONGODB_URL": SECRET,
        }
        run = run_playbook("playbooks/provision.yml", inventory, "-e", f"@{extra}", env=env)
        assert run.returncode == 0, str(run)
        stack = Stack(url=url, user_data="", release_parameter=f"/{PROJECT}/local/backend/image-tag")
        version = stack.client("ec2").describe_launch_template_versions(
            LaunchTemplateName=f"{PROJECT}-local-fleet", Versions=["$Latest"]
        )["LaunchTemplateVersions"][0]
        stack.user_data = base64.b64decode(version["LaunchTemplateData"]["UserData"]).decode()
        yield stack
    finally:
        subprocess.run([str(EMULATOR_CLI), "stop", "--state-dir", str(work / "emulator")], capture_output=True)


@pytest.fixture(scope="module")
def host(stack: Stack, registry: str) -> Iterator[str]:
    """A fresh host container (the local EC2 instance), booted; removed after."""
    name = f"appstack-user-data-{uuid.uuid4().hex[:8]}"
    started = docker("run", "--detach", "--name", name, "--hostname", name, *RUN_FLAGS, "appstack/host:debian12")
    assert started.returncode == 0, started.stderr
    try:
        deadline = time.monotonic() + 120
        while docker("exec", name, "systemctl", "is-system-running").stdout.strip() not in ("running", "degraded"):
            assert time.monotonic() < deadline, "the host did not boot"
            time.sleep(1)
        put_file(name, "/etc/docker/daemon.json", json.dumps({"insecure-registries": [registry]}), "0644")
        put_file(name, SCRIPT, stack.user_data, "0700")
        yield name
    finally:
        docker("rm", "--force", "--volumes", name, timeout=180)


def put_file(host: str, path: str, content: str, mode: str) -> None:
    script = f"mkdir -p {Path(path).parent} && cat > {path} && chmod {mode} {path}"
    put = docker("exec", "-i", host, "sh", "-c", script, stdin=content)
    assert put.returncode == 0, put.stderr


def run_user_data(host: str) -> subprocess.CompletedProcess[str]:
    """The script as cloud-final runs it: as root, in a unit of its own, with a bare environment."""
    return docker(
        "exec", host, "systemd-run", "--wait", "--collect", "--quiet", "--unit", f"user-data-{uuid.uuid4().hex[:6]}",
        "--setenv=AWS_ACCESS_KEY_ID=user-data-test", "--setenv=AWS_SECRET_ACCESS_KEY=user-data-test", SCRIPT,
        timeout=900,
    )  # fmt: skip


def log(host: str) -> str:
    return docker("exec", host, "cat", "/var/log/appstack-user-data.log").stdout


def get(address: str, path: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection(address, 8080, timeout=5)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read().decode().strip()
    finally:
        conn.close()


def inspect(host: str) -> dict:
    return json.loads(docker("exec", host, "docker", "inspect", "backend").stdout)[0]


def test_user_data_carries_references_not_secrets(stack: Stack) -> None:
    assert stack.user_data.startswith("#!/bin/bash\n")
    assert f"MONGODB_URL={PROJECT}/local/mongodb_url" in stack.user_data
    assert SECRET not in stack.user_data


def test_fresh_host_runs_the_app_from_user_data(stack: Stack, host: str) -> None:
    run = run_user_data(host)
    assert run.returncode == 0, f"{run.stdout}{run.stderr}\n{log(host)[-4000:]}"
    address = docker("inspect", "--format", "{{.NetworkSettings.IPAddress}}", host).stdout.strip()
    assert get(address, "/health") == (200, "ok")
    assert get(address, "/version") == (200, "v1")  # no deploy recorded yet: the stack's default tag
    container = inspect(host)
    assert f"MONGODB_URL={SECRET}" in container["Config"]["Env"]  # read from Secrets Manager at boot
    assert container["HostConfig"]["RestartPolicy"]["Name"] == "unless-stopped"
    assert container["HostConfig"]["LogConfig"]["Type"] == "json-file"
    assert SECRET not in log(host)


def test_rerun_keeps_the_container_and_a_released_tag_wins(stack: Stack, host: str) -> None:
    before = inspect(host)["Id"]
    again = run_user_data(host)
    assert again.returncode == 0, log(host)[-4000:]
    assert inspect(host)["Id"] == before
    assert "is running with this image and configuration" in log(host)

    # What app_container records after a deploy: a host that boots later runs that tag.
    stack.client("ssm").put_parameter(Name=stack.release_parameter, Value="v2", Type="String", Overwrite=True)
    released = run_user_data(host)
    assert released.returncode == 0, log(host)[-4000:]
    address = docker("inspect", "--format", "{{.NetworkSettings.IPAddress}}", host).stdout.strip()
    assert get(address, "/version") == (200, "v2")
    assert get(address, "/health") == (200, "ok")
