"""The demo app (apps/demo): its HTTP endpoints and graceful stop, as a process and as an image."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
APP = REPO_ROOT / "apps" / "demo" / "app.py"
BUILD_SCRIPT = REPO_ROOT / "apps" / "demo" / "build.sh"
REPO = "appstack/demo"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str, timeout: float = 5) -> tuple[int, str]:
    """Status and body of a GET; HTTP errors are answers too."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def wait_until_up(base: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            get(f"{base}/version", timeout=1)
            return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"{base} did not answer within {timeout}s")


def docker(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["docker", *args], capture_output=True, text=True, timeout=timeout, check=False)


# --- the app as a local process (no Docker needed) ---


@pytest.fixture
def app_process(request: pytest.FixtureRequest) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """app.py on a free port; indirect parametrisation adds environment variables."""
    port = free_port()
    env = {**os.environ, "PORT": str(port), "APP_VERSION": "t1", **getattr(request, "param", {})}
    process = subprocess.Popen(
        [sys.executable, str(APP)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base)
        yield process, base
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)
        if process.stdout:
            process.stdout.close()


def test_endpoints(app_process: tuple[subprocess.Popen[str], str]) -> None:
    _, base = app_process
    assert get(f"{base}/health") == (200, "ok\n")
    assert get(f"{base}/version") == (200, "t1\n")
    status, page = get(f"{base}/")
    assert status == 200
    assert socket.gethostname() in page and "t1" in page
    assert get(f"{base}/nowhere")[0] == 404


@pytest.mark.parametrize("app_process", [{"DEMO_FAIL_HEALTH": "1"}], indirect=True)
def test_bad_release_fails_health(app_process: tuple[subprocess.Popen[str], str]) -> None:
    _, base = app_process
    assert get(f"{base}/health") == (500, "failing\n")
    assert get(f"{base}/version") == (200, "t1\n")


@pytest.mark.parametrize("app_process", [{"SHUTDOWN_DRAIN_SECONDS": "1"}], indirect=True)
def test_sigterm_drains_and_finishes_requests_in_flight(app_process: tuple[subprocess.Popen[str], str]) -> None:
    process, base = app_process
    results: dict[str, tuple[int, str]] = {}
    slow = threading.Thread(target=lambda: results.update(slow=get(f"{base}/sleep?seconds=2")))
    slow.start()
    time.sleep(0.3)  # the slow request is in flight
    process.send_signal(signal.SIGTERM)
    time.sleep(0.3)
    # Draining: load balancers see the health check fail, other requests are still served.
    assert get(f"{base}/health") == (503, "draining\n")
    assert get(f"{base}/version") == (200, "t1\n")
    slow.join(timeout=10)
    assert results["slow"] == (200, "slept 2s\n")
    assert process.wait(timeout=10) == 0
    output = process.stdout.read() if process.stdout else ""
    events = [json.loads(line).get("event") for line in output.splitlines() if line.startswith("{")]
    assert events[0] == "listening" and "stopping" in events and events[-1] == "stopped", output


# --- the image (Docker) ---


@pytest.fixture(scope="module")
def docker_engine() -> None:
    if shutil.which("docker") is None or docker("info", timeout=30).returncode != 0:
        pytest.skip("no Docker engine reachable (`docker info` fails); run tools/hosts/ensure-docker.sh as root")


def build(version: str, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(BUILD_SCRIPT), version, *options], capture_output=True, text=True, timeout=1200, check=False
    )


@pytest.fixture(scope="module")
def images(docker_engine: None) -> Iterator[dict[str, str]]:
    """A good and a bad build under unique tags (removed after)."""
    suffix = uuid.uuid4().hex[:8]
    tags = {"good": f"pytest-{suffix}", "bad": f"pytest-{suffix}-bad"}
    try:
        for kind, version in tags.items():
            result = build(version, *(["--fail-health"] if kind == "bad" else []))
            assert result.returncode == 0, result.stderr
            assert result.stdout.strip() == f"{REPO}:{version}"
        yield tags
    finally:
        docker("rmi", *(f"{REPO}:{version}" for version in tags.values()))


@pytest.fixture
def run_image(docker_engine: None) -> Iterator:
    """Start a container of an image with a random local port; its base URL and name."""
    names: list[str] = []

    def start(version: str) -> tuple[str, str]:
        name = f"appstack-test-demo-{uuid.uuid4().hex[:8]}"
        names.append(name)
        started = docker("run", "--detach", "--name", name, "--publish", "127.0.0.1::8080", f"{REPO}:{version}")
        assert started.returncode == 0, started.stderr
        port = docker("port", name, "8080/tcp").stdout.strip().splitlines()[0].rsplit(":", 1)[1]
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base)
        return base, name

    yield start
    for name in names:
        docker("rm", "--force", "--volumes", name)


@pytest.mark.docker
def test_image_answers(images: dict[str, str], run_image) -> None:
    version = images["good"]
    base, name = run_image(version)
    assert get(f"{base}/health") == (200, "ok\n")
    assert get(f"{base}/version") == (200, f"{version}\n")
    status, page = get(f"{base}/")
    container_id = docker("inspect", "--format", "{{.Config.Hostname}}", name).stdout.strip()
    assert status == 200 and version in page and container_id in page


@pytest.mark.docker
def test_image_config(images: dict[str, str]) -> None:
    config = json.loads(docker("image", "inspect", f"{REPO}:{images['good']}").stdout)[0]["Config"]
    assert config["Cmd"] == ["python3", "/app/app.py"]
    assert config["StopSignal"] == "SIGTERM"  # not the base's systemd SIGRTMIN+3
    assert config["User"] == "65534:65534"
    assert config["Healthcheck"]["Test"] == ["CMD", "python3", "/app/app.py", "--healthcheck"]
    assert f"APP_VERSION={images['good']}" in config["Env"]


@pytest.mark.docker
def test_bad_image_fails_health(images: dict[str, str], run_image) -> None:
    base, name = run_image(images["bad"])
    assert get(f"{base}/health") == (500, "failing\n")
    assert get(f"{base}/version") == (200, f"{images['bad']}\n")
    # Docker's own health check (what `docker ps` and a rollout can wait on) says so too.
    check = docker("exec", name, "python3", "/app/app.py", "--healthcheck")
    assert check.returncode == 1


@pytest.mark.docker
def test_docker_stop_is_graceful(images: dict[str, str], run_image) -> None:
    base, name = run_image(images["good"])
    results: dict[str, tuple[int, str]] = {}
    slow = threading.Thread(target=lambda: results.update(slow=get(f"{base}/sleep?seconds=2")))
    slow.start()
    time.sleep(0.3)
    stopped = docker("stop", "--time", "20", name)
    assert stopped.returncode == 0, stopped.stderr
    slow.join(timeout=10)
    assert results["slow"] == (200, "slept 2s\n")
    assert docker("inspect", "--format", "{{.State.ExitCode}}", name).stdout.strip() == "0"


@pytest.mark.docker
def test_rebuild_is_cached(images: dict[str, str]) -> None:
    started = time.monotonic()
    result = build(images["good"])
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - started < 10
