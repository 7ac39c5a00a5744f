"""The local registry (tools/hosts/registry.sh): push, pull back, the hosts' read-only listener.

Each test module run gets its own registry (free ports, a temporary storage directory), so the
project's registry on 127.0.0.1:5000 and its images are never touched.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import socket
import subprocess
import tarfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SCRIPT = REPO_ROOT / "tools" / "hosts" / "registry.sh"
BUILD_HOST_IMAGE = REPO_ROOT / "tools" / "hosts" / "build-host-image.sh"

pytestmark = pytest.mark.docker


def free_port(address: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((address, 0))
        return sock.getsockname()[1]


def docker(*args: str, input: bytes | None = None, timeout: float = 180) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["docker", *args], input=input, capture_output=True, timeout=timeout, check=False)


def bridge_gateway() -> str:
    """The address the default bridge's containers reach this machine on (docker0)."""
    result = subprocess.run(
        ["bash", str(SCRIPT), "address"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().rsplit(":", 1)[0]


class Registry:
    def __init__(self, state_dir: Path) -> None:
        self.local = f"127.0.0.1:{free_port()}"
        gateway = bridge_gateway()
        self.hosts = f"{gateway}:{free_port(gateway)}"
        self.env = {
            **os.environ,
            "REGISTRY_ADDR": self.local,
            "REGISTRY_HOST_ADDR": self.hosts,
            "REGISTRY_DIR": str(state_dir),
        }

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["bash", str(SCRIPT), *args], capture_output=True, text=True, timeout=300, check=False, env=self.env
        )


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    if shutil.which("docker") is None or docker("info", timeout=30).returncode != 0:
        pytest.skip("no Docker engine reachable (`docker info` fails); run tools/hosts/ensure-docker.sh as root")
    if shutil.which("docker-registry") is None and os.geteuid() != 0:
        pytest.skip("docker-registry is not installed (apt-get install docker-registry, or run as root)")
    reg = Registry(tmp_path_factory.mktemp("registry"))
    started = reg.run("start")
    assert started.returncode == 0, started.stderr
    try:
        yield reg
    finally:
        reg.run("stop")


@pytest.fixture(scope="module")
def tiny_image(registry: Registry) -> Iterator[str]:
    """A one-file image made with `docker import` (no base image, no registry)."""
    ref = f"appstack/registry-test:{uuid.uuid4().hex[:8]}"
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        data = f"appstack registry test {ref}\n".encode()
        info = tarfile.TarInfo("hello.txt")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    imported = docker("import", "-", ref, input=buffer.getvalue())
    assert imported.returncode == 0, imported.stderr
    yield ref
    docker("rmi", "--force", ref, f"{registry.local}/{ref}")


def test_status_reports_both_listeners(registry: Registry) -> None:
    status = registry.run("status")
    assert status.returncode == 0, status.stdout + status.stderr
    assert f"local http://{registry.local}" in status.stdout
    assert f"hosts http://{registry.hosts}" in status.stdout and "read-only" in status.stdout


def test_start_is_idempotent(registry: Registry) -> None:
    before = registry.run("status").stdout
    again = registry.run("start")
    assert again.returncode == 0, again.stderr
    assert registry.run("status").stdout == before  # same pids


def test_push_then_pull_round_trip(registry: Registry, tiny_image: str) -> None:
    image_id = docker("image", "inspect", "--format", "{{.Id}}", tiny_image).stdout.strip()
    pushed = registry.run("push", tiny_image)
    assert pushed.returncode == 0, pushed.stderr
    assert pushed.stdout.strip() == f"{registry.hosts}/{tiny_image}"  # what hosts pull

    local_ref = f"{registry.local}/{tiny_image}"
    removed = docker("rmi", local_ref)
    assert removed.returncode == 0, removed.stderr
    pulled = docker("pull", local_ref)
    assert pulled.returncode == 0, pulled.stderr
    assert docker("image", "inspect", "--format", "{{.Id}}", local_ref).stdout.strip() == image_id


def test_hosts_listener_serves_containers_read_only(registry: Registry, tiny_image: str) -> None:
    """A container on the default bridge sees the pushed tag on the hosts' address; pushes are refused."""
    pushed = registry.run("push", tiny_image)
    assert pushed.returncode == 0, pushed.stderr
    host_image = subprocess.run(
        ["bash", str(BUILD_HOST_IMAGE)], capture_output=True, text=True, timeout=1200, check=False
    )
    if host_image.returncode != 0:
        pytest.skip(f"no host image to run curl in: {host_image.stderr[-500:]}")
    repo, tag = tiny_image.split(":")
    script = (
        f"curl -fsS http://{registry.hosts}/v2/{repo}/tags/list; echo; "
        f"curl -s -o /dev/null -w '%{{http_code}}' -X POST http://{registry.hosts}/v2/{repo}/blobs/uploads/"
    )
    result = docker("run", "--rm", "--entrypoint", "sh", host_image.stdout.strip(), "-c", script, timeout=120)
    assert result.returncode == 0, result.stderr
    tags_line, upload_status = [line for line in result.stdout.decode().splitlines() if line.strip()]
    assert tag in json.loads(tags_line)["tags"]
    assert upload_status == "405"  # read-only: hosts can pull, never push


def test_push_refuses_a_registry_reference(registry: Registry) -> None:
    refused = registry.run("push", "example.com/some/image:v1")
    assert refused.returncode != 0
    assert "without a registry host" in refused.stderr


def test_stop_then_status(registry: Registry, tmp_path: Path) -> None:
    # A second registry in its own directory, so the module's one keeps running.
    other = Registry(tmp_path)
    assert other.run("start").returncode == 0
    assert other.run("status").returncode == 0
    stopped = other.run("stop")
    assert stopped.returncode == 0, stopped.stderr
    status = other.run("status")
    assert status.returncode == 3 and "not running" in status.stdout
    assert (tmp_path / "data").is_dir() and (tmp_path / "local.log").is_file()
