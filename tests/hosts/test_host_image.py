"""The local Debian 12 fleet host image: build, cache, boot with systemd as PID 1."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
HOSTS_DIR = REPO_ROOT / "tools" / "hosts"
BUILD_SCRIPT = HOSTS_DIR / "build-host-image.sh"
ENSURE_SCRIPT = HOSTS_DIR / "ensure-docker.sh"
RUN_FLAGS_FILE = HOSTS_DIR / "run-flags"
CONTAINER_PREFIX = "appstack-test-"
TAG_RE = re.compile(r"^appstack/host:debian12-[0-9a-f]{12}$")
BOOT_TIMEOUT = 60


def docker_reachable() -> bool:
    """True when the docker CLI exists and `docker info` answers."""
    if shutil.which("docker") is None:
        return False
    try:
        result = subprocess.run(["docker", "info"], capture_output=True, timeout=30, check=False)
    except subprocess.TimeoutExpired:
        return False
    return result.returncode == 0


def run_flags() -> list[str]:
    """The documented `docker run` flags for a fleet host, one per line."""
    lines = RUN_FLAGS_FILE.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip()]


@pytest.fixture(scope="module")
def docker_engine() -> None:
    if not docker_reachable():
        pytest.skip(
            "no Docker engine reachable (`docker info` fails); "
            "run tools/hosts/ensure-docker.sh (as root) to install and start one"
        )


@pytest.fixture(scope="module")
def host_image(docker_engine: None) -> str:
    """Build the host image (or find it cached); its hashed tag."""
    result = subprocess.run(["bash", str(BUILD_SCRIPT)], capture_output=True, text=True, timeout=1200, check=False)
    assert result.returncode == 0, f"build-host-image.sh failed:\n{result.stderr[-4000:]}"
    return result.stdout.strip().splitlines()[-1]


@pytest.fixture
def container_name(docker_engine: None) -> Iterator[str]:
    """A unique container name; the container and its anonymous volumes are removed after."""
    name = f"{CONTAINER_PREFIX}{uuid.uuid4().hex[:12]}"
    yield name
    subprocess.run(
        ["docker", "rm", "--force", "--volumes", name],
        capture_output=True,
        timeout=60,
        check=False,
    )


def docker(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["docker", *args], capture_output=True, text=True, timeout=timeout, check=False)


def test_run_flags_file_is_one_flag_per_line() -> None:
    flags = run_flags()
    assert flags, "tools/hosts/run-flags is empty"
    for flag in flags:
        assert flag.startswith("--"), flag
        assert " " not in flag, f"one argument per line, no spaces: {flag!r}"
    assert "--privileged" not in flags  # fails on these machines (CAP_SYS_RESOURCE is missing)


@pytest.mark.docker
def test_ensure_docker_is_quiet_and_idempotent(docker_engine: None) -> None:
    result = subprocess.run(["bash", str(ENSURE_SCRIPT)], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ensure-docker: using Docker engine"), lines


@pytest.mark.docker
def test_image_exists_after_build(host_image: str) -> None:
    assert TAG_RE.match(host_image), host_image
    inspected = docker("image", "inspect", host_image, "appstack/host:debian12")
    assert inspected.returncode == 0, inspected.stderr
    hashed, latest = json.loads(inspected.stdout)
    assert hashed["Id"] == latest["Id"], "appstack/host:debian12 must point at the current build"
    config = hashed["Config"]
    assert config["Cmd"] == ["/sbin/init"]
    assert config["StopSignal"] == "SIGRTMIN+3"
    assert "container=docker" in config["Env"]


@pytest.mark.docker
def test_host_boots_systemd_with_tools(host_image: str, container_name: str) -> None:
    started = docker("run", "--detach", "--name", container_name, *run_flags(), host_image)
    assert started.returncode == 0, started.stderr

    state = ""
    deadline = time.monotonic() + BOOT_TIMEOUT
    while time.monotonic() < deadline:
        state = docker("exec", container_name, "systemctl", "is-system-running").stdout.strip()
        if state in ("running", "degraded"):
            break
        time.sleep(0.5)
    else:
        logs = docker("logs", "--tail", "40", container_name)
        failed = docker("exec", container_name, "systemctl", "--failed", "--no-pager")
        pytest.fail(f"systemd state {state!r} after {BOOT_TIMEOUT}s\n{failed.stdout}\n{logs.stdout}{logs.stderr}")

    assert docker("exec", container_name, "cat", "/proc/1/comm").stdout.strip() == "systemd"
    for command in (
        ["python3", "-c", "import apt, sys; print(sys.version_info[:2])"],
        ["sudo", "-n", "true"],
        ["/usr/sbin/sshd", "-t"],
        ["systemctl", "is-active", "ssh.service"],
    ):
        result = docker("exec", container_name, *command)
        assert result.returncode == 0, f"{command}: {result.stdout}{result.stderr}"


@pytest.mark.docker
def test_second_build_is_cached(host_image: str) -> None:
    started = time.monotonic()
    result = subprocess.run(["bash", str(BUILD_SCRIPT)], capture_output=True, text=True, timeout=60, check=False)
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == host_image
    assert elapsed < 5, f"cached build took {elapsed:.1f}s"
