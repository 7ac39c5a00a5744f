"""The local load balancer (appstack_emulator.lb) in front of an emulated target group.

Backends are small HTTP servers on 127.0.0.1; targets are registered with the AWS API, as a
deploy does, and traffic follows them the way it follows an ALB's target group.
"""

from __future__ import annotations

import http.client
import itertools
import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from appstack_emulator import lb

from .support import EMULATOR_DIR, Emulator, free_port

pytestmark = pytest.mark.emulator


class Backend(ThreadingHTTPServer):
    """A target: ``/`` answers its name, ``/health`` its health status, ``/slow`` after a while.

    Each one listens on its own loopback address: ELBv2 (and moto) key targets by their Id.
    """

    daemon_threads = True
    allow_reuse_address = True
    addresses = (f"127.0.{i // 250}.{i % 250 + 2}" for i in itertools.count(os.getpid() % 200 * 50))

    def __init__(self, name: str) -> None:
        self.name = name
        self.health_status = 200
        self.slow_seconds = 2.0
        self.served = 0
        super().__init__((next(self.addresses), 0), BackendHandler)
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    @property
    def address(self) -> str:
        return self.server_address[0]

    @property
    def port(self) -> int:
        return self.server_address[1]

    @property
    def target(self) -> dict[str, Any]:
        return {"Id": self.address, "Port": self.port}

    def close(self) -> None:
        self.shutdown()
        self.server_close()


class BackendHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Backend

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/health":
            self.reply(self.server.health_status, b"health")
            return
        self.server.served += 1
        if self.path == "/slow":
            time.sleep(self.server.slow_seconds)
        if self.path == "/headers":
            self.reply(200, json.dumps(dict(self.headers)).encode())
            return
        self.reply(200, self.server.name.encode())

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.reply(200, self.server.name.encode() + b":" + body)

    def reply(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def backends() -> Iterator[Callable[[str], Backend]]:
    made: list[Backend] = []

    def make(name: str) -> Backend:
        made.append(Backend(name))
        return made[-1]

    yield make
    for backend in made:
        backend.close()


@pytest.fixture
def target_group(emulator: Emulator, unique: Callable[[str], str]) -> Iterator[str]:
    ec2, elbv2 = emulator.client("ec2"), emulator.client("elbv2")
    vpc = ec2.create_vpc(CidrBlock="10.42.0.0/16")["Vpc"]["VpcId"]
    arn = elbv2.create_target_group(
        Name=unique("lb"),
        Protocol="HTTP",
        Port=8080,
        VpcId=vpc,
        TargetType="ip",
        HealthCheckPath="/health",
        HealthCheckIntervalSeconds=5,
        HealthCheckTimeoutSeconds=2,
        HealthyThresholdCount=2,
        UnhealthyThresholdCount=2,
    )["TargetGroups"][0]["TargetGroupArn"]
    elbv2.modify_target_group_attributes(
        TargetGroupArn=arn, Attributes=[{"Key": "deregistration_delay.timeout_seconds", "Value": "6"}]
    )
    yield arn
    elbv2.delete_target_group(TargetGroupArn=arn)
    ec2.delete_vpc(VpcId=vpc)


@pytest.fixture
def balancer(emulator: Emulator, target_group: str) -> Iterator[lb.LoadBalancer]:
    proxy = lb.LoadBalancer(
        emulator.url,
        ("127.0.0.1", 0),
        target_group_arn=target_group,
        poll_interval=0.2,
        idle_timeout=5,
        check_interval=0.3,  # AWS's minimum is 5 s: faster checks keep the tests short
    ).start()
    yield proxy
    proxy.stop()


def get(balancer: lb.LoadBalancer, path: str = "/") -> tuple[int, str]:
    host, port = balancer.server.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read().decode()
    finally:
        conn.close()


def states(emulator: Emulator, arn: str) -> dict[str, str]:
    described = emulator.client("elbv2").describe_target_health(TargetGroupArn=arn)["TargetHealthDescriptions"]
    return {d["Target"]["Id"]: d["TargetHealth"]["State"] for d in described}


def wait_for(condition: Callable[[], bool], timeout: float = 15.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def register(emulator: Emulator, arn: str, *servers: Backend) -> None:
    emulator.client("elbv2").register_targets(TargetGroupArn=arn, Targets=[s.target for s in servers])


def wait_healthy(emulator: Emulator, arn: str, *servers: Backend) -> None:
    wait_for(
        lambda: all(states(emulator, arn).get(s.address) == "healthy" for s in servers),
        what=f"{[s.name for s in servers]} healthy",
    )


def test_round_robin_over_healthy_targets(emulator, target_group, balancer, backends) -> None:
    servers = [backends(name) for name in ("a", "b", "c")]
    register(emulator, target_group, *servers)
    wait_healthy(emulator, target_group, *servers)
    time.sleep(0.5)  # the proxy routes by its own view, reported a moment before
    answers = Counter(get(balancer)[1] for _ in range(30))
    assert answers == {"a": 10, "b": 10, "c": 10}


def test_new_target_is_initial_until_checked_then_reported_healthy(emulator, target_group, balancer, backends) -> None:
    server = backends("a")
    server.health_status = 503
    register(emulator, target_group, server)
    wait_for(lambda: states(emulator, target_group).get(server.address) == "unhealthy", what="unhealthy")
    described = emulator.client("elbv2").describe_target_health(TargetGroupArn=target_group)
    health = described["TargetHealthDescriptions"][0]["TargetHealth"]
    assert health["Reason"] == "Target.ResponseCodeMismatch"
    assert "[503]" in health["Description"]
    server.health_status = 200
    wait_healthy(emulator, target_group, server)


def test_unhealthy_target_gets_no_traffic(emulator, target_group, balancer, backends) -> None:
    good, bad = backends("good"), backends("bad")
    register(emulator, target_group, good, bad)
    wait_healthy(emulator, target_group, good, bad)
    bad.health_status = 500
    wait_for(lambda: states(emulator, target_group).get(bad.address) == "unhealthy", what="bad unhealthy")
    served_before = bad.served
    assert {get(balancer)[1] for _ in range(20)} == {"good"}
    assert bad.served == served_before


def test_no_healthy_target_fails_open_and_no_target_is_503(emulator, target_group, balancer, backends) -> None:
    assert get(balancer)[0] == 503
    server = backends("only")
    server.health_status = 500
    register(emulator, target_group, server)
    wait_for(lambda: states(emulator, target_group).get(server.address) == "unhealthy", what="unhealthy")
    time.sleep(0.3)
    assert get(balancer) == (200, "only")  # an ALB with no healthy target routes to all of them


def test_failed_target_is_502_without_retry(emulator, target_group, balancer, backends) -> None:
    dead_port = free_port()  # nothing listens there
    emulator.client("elbv2").register_targets(
        TargetGroupArn=target_group, Targets=[{"Id": "127.0.0.1", "Port": dead_port}]
    )
    wait_for(lambda: any(t.port == dead_port for t in balancer.targets.values()), what="target seen")
    status, _ = get(balancer)
    assert status == 502


def test_deregistration_drains_in_flight_requests(emulator, target_group, balancer, backends) -> None:
    leaving, staying = backends("leaving"), backends("staying")
    register(emulator, target_group, leaving, staying)
    wait_healthy(emulator, target_group, leaving, staying)
    time.sleep(0.3)
    # A slow request in flight on the leaving target (round robin: try until it lands there).
    results: list[tuple[int, str]] = []
    slow = None
    for _ in range(4):
        before = leaving.served
        slow = threading.Thread(target=lambda: results.append(get(balancer, "/slow")))
        slow.start()
        time.sleep(0.2)
        if leaving.served > before:
            break
        slow.join()
        results.clear()
    assert leaving.served > 0 and slow is not None
    emulator.client("elbv2").deregister_targets(TargetGroupArn=target_group, Targets=[leaving.target])
    assert states(emulator, target_group)[leaving.address] == "draining"
    time.sleep(0.5)  # one poll
    assert {get(balancer)[1] for _ in range(10)} == {"staying"}  # no new requests to it
    slow.join()
    assert results == [(200, "leaving")]  # the in-flight request finished
    # After the target group's deregistration delay (6 s: room for a loaded CI machine) it is gone.
    wait_for(lambda: leaving.address not in states(emulator, target_group), timeout=12, what="drained")
    explicit = emulator.client("elbv2").describe_target_health(TargetGroupArn=target_group, Targets=[leaving.target])
    assert explicit["TargetHealthDescriptions"][0]["TargetHealth"]["State"] == "unused"


def test_swapping_targets_under_load_fails_no_request(emulator, target_group, balancer, backends) -> None:
    old = backends("old")
    register(emulator, target_group, old)
    wait_healthy(emulator, target_group, old)
    time.sleep(0.3)
    failures: list[Any] = []
    answers: Counter[str] = Counter()
    stop = threading.Event()
    host, port = balancer.server.server_address[:2]

    def load() -> None:
        conn = http.client.HTTPConnection(host, port, timeout=10)  # one keep-alive connection
        while not stop.is_set():
            try:
                conn.request("GET", "/")
                response = conn.getresponse()
                body = response.read().decode()
                if response.status != 200:
                    failures.append((response.status, body))
                answers[body] += 1
            except (OSError, http.client.HTTPException) as exc:
                failures.append(repr(exc))
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=10)
        conn.close()

    workers = [threading.Thread(target=load) for _ in range(4)]
    for worker in workers:
        worker.start()
    try:
        new = backends("new")
        register(emulator, target_group, new)
        wait_healthy(emulator, target_group, new)
        emulator.client("elbv2").deregister_targets(TargetGroupArn=target_group, Targets=[old.target])
        # the deregistration delay is 6 s; the margin is for a loaded machine (4 load threads here)
        wait_for(lambda: old.address not in states(emulator, target_group), timeout=20, what="old drained")
        old.close()  # the old container goes away only once drained
        time.sleep(0.5)
    finally:
        stop.set()
        for worker in workers:
            worker.join()
    assert failures == []
    assert answers["old"] > 0 and answers["new"] > 0
    assert balancer.stats["502"] == 0 and balancer.stats["503"] == 0


def test_keep_alive_post_and_forwarded_headers(emulator, target_group, balancer, backends) -> None:
    server = backends("a")
    register(emulator, target_group, server)
    wait_healthy(emulator, target_group, server)
    time.sleep(0.3)
    host, port = balancer.server.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=10)
    conn.request("POST", "/echo", body=b"hello")
    response = conn.getresponse()
    assert (response.status, response.read()) == (200, b"a:hello")
    sock = conn.sock
    conn.request("GET", "/headers")
    headers = json.loads(conn.getresponse().read())
    assert conn.sock is sock  # the same client connection
    assert headers["X-Forwarded-For"] == "127.0.0.1"
    assert headers["X-Forwarded-Proto"] == "http"
    assert headers["X-Forwarded-Port"] == str(port)
    conn.close()


def test_cli_start_status_stop(emulator, target_group, backends, tmp_path) -> None:
    server = backends("cli")
    register(emulator, target_group, server)
    port = free_port()
    common = ["--state-dir", str(tmp_path)]
    args = ["--listen", f"127.0.0.1:{port}", "--target-group-arn", target_group, "--endpoint-url", emulator.url]
    args += ["--check-interval", "0.3"]

    def cli(*argv: str) -> subprocess.CompletedProcess[str]:
        env = dict(os.environ, PYTHONPATH=str(EMULATOR_DIR))
        command = [sys.executable, "-m", "appstack_emulator.lb", *argv]
        return subprocess.run(command, capture_output=True, text=True, env=env, timeout=60, check=False)

    started = cli("start", *common, *args)
    assert started.returncode == 0, started.stderr
    assert started.stdout.startswith("started at http://127.0.0.1:")
    try:
        again = cli("start", *common, *args)
        assert again.stdout.startswith("already running"), again.stdout + again.stderr
        wait_healthy(emulator, target_group, server)
        status = json.loads(cli("status", *common, "--json").stdout)
        assert status["targets"][0]["port"] == server.port
        wait_for(lambda: get_url(f"http://127.0.0.1:{port}/") == (200, "cli"), what="traffic through the CLI's proxy")
        # Other settings (a target group made again has a new ARN): the proxy restarts.
        other = [*args[:2], "--target-group-name", "not-there", "--endpoint-url", emulator.url, *args[-2:]]
        assert cli("start", *common, *other).stdout.startswith("restarted at")
        assert get_url(f"http://127.0.0.1:{port}/")[0] == 503
    finally:
        stopped = cli("stop", *common)
    assert stopped.stdout.startswith("stopped")
    assert cli("status", *common).returncode == 3


def test_refuses_non_loopback_addresses() -> None:
    with pytest.raises(Exception, match="loopback"):
        lb.parse_listen("0.0.0.0:8080")


def get_url(url: str) -> tuple[int, str]:
    host, port = url.split("//", 1)[1].split("/", 1)[0].split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=5)
    try:
        conn.request("GET", "/")
        response = conn.getresponse()
        return response.status, response.read().decode()
    except OSError:
        return 0, ""
    finally:
        conn.close()
