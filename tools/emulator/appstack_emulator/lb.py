"""Local load balancer: a real HTTP reverse proxy in front of an emulated target group.

It behaves like an Application Load Balancer's listener forwarding to one target group:

- Every ``--poll-interval`` (1 s) it reads the target group (health check settings) and its
  targets (DescribeTargetHealth) from the emulator through boto3.  Registered targets receive
  traffic once healthy; ``draining`` targets (deregistered, within the target group's
  deregistration delay, see the ``elbv2_target_health`` shim) get no new requests while their
  in-flight requests finish; targets that are gone are forgotten.
- It health-checks every registered target itself with the target group's protocol, path,
  port, matcher, interval, timeout and healthy/unhealthy thresholds, and reports the result
  to the emulator (``POST /moto-api/appstack/target-health``), so ``describe_target_health``
  shows ``initial``/``healthy``/``unhealthy`` as this load balancer sees it.
- Round robin over the healthy targets; when none is healthy it fails open to every
  registered target, as an ALB does; with no target at all it answers 503.
- Threaded, HTTP/1.1 keep-alive to clients (idle timeout), one connection per request to the
  target, ``X-Forwarded-For/-Proto/-Port`` added.  Retry-free, like an ALB: a target that
  fails a request yields 502 (504 on timeout) to that client.
- Loopback only.

``python -m appstack_emulator.lb run|start|stop|status`` (see ``--help``); ``start`` runs it
detached with ``lb.pid``, ``lb.json`` (its settings), ``lb.log`` and ``lb-status.json``
(targets, their states, request counts; rewritten every poll) in ``--state-dir``.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import ipaddress
import itertools
import json
import logging
import os
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from .shims.elbv2_target_health import REPORT_PATH

LOG = logging.getLogger("appstack_emulator.lb")
PROBE_HEADER = "X-Appstack-Probe"
HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "proxy-connection",
    "te",
    "trailer",
    "trailers",
    "transfer-encoding",
    "upgrade",
    # Answered by this proxy (BaseHTTPRequestHandler sends "100 Continue" itself).
    "expect",
}
CHUNK = 64 * 1024
PACKAGE_PARENT = str(Path(__file__).resolve().parent.parent)


# -- model -----------------------------------------------------------------------------------
@dataclass
class HealthCheck:
    """A target group's health check, in DescribeTargetGroups' terms."""

    protocol: str = "HTTP"
    port: str = "traffic-port"
    path: str = "/"
    interval: float = 30.0
    timeout: float = 5.0
    healthy_threshold: int = 5
    unhealthy_threshold: int = 2
    matcher: str = "200"

    @classmethod
    def from_target_group(cls, group: dict[str, Any]) -> HealthCheck:
        return cls(
            protocol=(group.get("HealthCheckProtocol") or group.get("Protocol") or "HTTP").upper(),
            port=str(group.get("HealthCheckPort") or "traffic-port"),
            path=group.get("HealthCheckPath") or "/",
            interval=float(group.get("HealthCheckIntervalSeconds") or 30),
            timeout=float(group.get("HealthCheckTimeoutSeconds") or 5),
            healthy_threshold=int(group.get("HealthyThresholdCount") or 5),
            unhealthy_threshold=int(group.get("UnhealthyThresholdCount") or 2),
            matcher=str((group.get("Matcher") or {}).get("HttpCode") or "200"),
        )

    def port_for(self, target_port: int) -> int:
        return target_port if self.port == "traffic-port" else int(self.port)


def code_matches(code: int, matcher: str) -> bool:
    """``matcher`` is an ALB HttpCode: ``200``, ``200,202`` or ``200-299``."""
    for part in matcher.replace(" ", "").split(","):
        if "-" in part:
            low, high = part.split("-", 1)
            if int(low) <= code <= int(high):
                return True
        elif part and int(part) == code:
            return True
    return False


@dataclass
class Target:
    id: str
    port: int
    state: str = "initial"  # initial, healthy, unhealthy (our checks)
    reason: str | None = "Elb.RegistrationInProgress"
    description: str | None = "Target registration is in progress"
    draining: bool = False
    successes: int = 0
    failures: int = 0
    in_flight: int = 0
    requests: int = 0
    stop: threading.Event = field(default_factory=threading.Event)

    @property
    def key(self) -> tuple[str, int]:
        return (self.id, self.port)

    def snapshot(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "port": self.port,
            "state": "draining" if self.draining else self.state,
            "health": self.state,
            "reason": self.reason,
            "in_flight": self.in_flight,
            "requests": self.requests,
        }


def check_target(target: Target, check: HealthCheck) -> tuple[bool, str | None, str | None]:
    """One health check: (passed, reason, description) as ELB words them."""
    port = check.port_for(target.port)
    try:
        if check.protocol in ("HTTP", "HTTPS"):
            if check.protocol == "HTTPS":
                context = ssl._create_unverified_context()  # targets use self-signed certificates
                conn: http.client.HTTPConnection = http.client.HTTPSConnection(
                    target.id, port, timeout=check.timeout, context=context
                )
            else:
                conn = http.client.HTTPConnection(target.id, port, timeout=check.timeout)
            try:
                conn.request(
                    "GET",
                    check.path,
                    headers={"User-Agent": "ELB-HealthChecker/2.0", "Connection": "close"},
                )
                response = conn.getresponse()
                response.read()
                code = response.status
            finally:
                conn.close()
            if code_matches(code, check.matcher):
                return True, None, None
            return False, "Target.ResponseCodeMismatch", f"Health checks failed with these codes: [{code}]"
        with socket.create_connection((target.id, port), timeout=check.timeout):
            return True, None, None
    except TimeoutError:
        return False, "Target.Timeout", "Request timed out"
    except (OSError, http.client.HTTPException):
        return False, "Target.FailedHealthChecks", "Health checks failed"


# -- the load balancer -----------------------------------------------------------------------
class LoadBalancer:
    """Proxy + target group watcher + health checker.  ``start()``/``stop()``, or ``serve()``."""

    def __init__(
        self,
        endpoint_url: str,
        listen: tuple[str, int],
        target_group_arn: str = "",
        target_group_name: str = "",
        region: str = "",
        poll_interval: float = 1.0,
        idle_timeout: float = 60.0,
        target_timeout: float = 60.0,
        report_ttl: float = 5.0,
        status_file: Path | None = None,
        check_interval: float | None = None,
    ) -> None:
        if not (target_group_arn or target_group_name):
            raise ValueError("a target group ARN or name is required")
        self.endpoint_url = endpoint_url.rstrip("/")
        self.listen = listen
        self.target_group_arn = target_group_arn
        self.target_group_name = target_group_name
        self.region = region or region_of(target_group_arn) or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
        self.poll_interval = poll_interval
        self.idle_timeout = idle_timeout
        self.target_timeout = target_timeout
        self.report_ttl = report_ttl
        self.status_file = status_file
        # Seconds between health checks instead of the target group's (AWS allows 5 or more):
        # lets tests run checks faster than AWS can.
        self.check_interval = check_interval
        self.check = HealthCheck()
        self.resolved_arn = target_group_arn
        self.targets: dict[tuple[str, int], Target] = {}
        self.lock = threading.Lock()
        self.counter = itertools.count()
        self.stats: dict[str, int] = {"requests": 0, "502": 0, "503": 0, "504": 0}
        self.stopping = threading.Event()
        self.report_now = threading.Event()
        self.report_supported = True
        self.last_poll_error = ""
        self._client: Any = None
        self.server = ProxyServer(listen, ProxyHandler, self)
        self.threads: list[threading.Thread] = []

    # -- AWS side ------------------------------------------------------------------------
    def client(self) -> Any:
        if self._client is None:
            import boto3
            from botocore.config import Config

            self._client = boto3.client(
                "elbv2",
                endpoint_url=self.endpoint_url,
                region_name=self.region,
                aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID", "local-emulator"),
                aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY", "local-emulator"),
                config=Config(
                    connect_timeout=2,
                    read_timeout=5,
                    retries={"total_max_attempts": 2, "mode": "standard"},
                ),
            )

            # The load balancer is part of the emulated infrastructure, not an API caller:
            # its calls are marked as probes so that fault injection leaves them alone.
            def mark(request: Any, **kwargs: Any) -> None:
                request.headers[PROBE_HEADER] = "1"

            self._client.meta.events.register("before-send.elasticloadbalancing", mark)
        return self._client

    def describe(self) -> tuple[str, HealthCheck, list[dict[str, Any]]] | None:
        """(ARN, health check, target health descriptions), or None if the group is gone."""
        client = self.client()
        try:
            if self.target_group_arn:
                groups = client.describe_target_groups(TargetGroupArns=[self.target_group_arn])
            else:
                groups = client.describe_target_groups(Names=[self.target_group_name])
        except client.exceptions.TargetGroupNotFoundException:
            return None
        group = groups["TargetGroups"][0]
        arn = group["TargetGroupArn"]
        health = client.describe_target_health(TargetGroupArn=arn)["TargetHealthDescriptions"]
        check = HealthCheck.from_target_group(group)
        if self.check_interval:
            check.interval = self.check_interval
            check.timeout = min(check.timeout, self.check_interval)
        return arn, check, health

    def poll_once(self) -> None:
        found = self.describe()
        if found is None:
            self.resolved_arn = ""
            self.sync([])
            return
        self.resolved_arn, self.check, described = found
        self.sync(described)

    def sync(self, described: list[dict[str, Any]]) -> None:
        """Make our targets follow the target group's registered and draining targets."""
        seen: dict[tuple[str, int], bool] = {}
        for item in described:
            state = item.get("TargetHealth", {}).get("State")
            if state in ("unused",):
                continue
            key = (item["Target"]["Id"], int(item["Target"].get("Port") or 0))
            seen[key] = state == "draining"
        started = []
        with self.lock:
            for key, draining in seen.items():
                target = self.targets.get(key)
                if target is None:
                    if draining:
                        continue  # deregistered before we ever saw it
                    target = Target(*key)
                    self.targets[key] = target
                    started.append(target)
                if draining and not target.draining:
                    LOG.info("target %s:%s draining", *key)
                elif target.draining and not draining:
                    LOG.info("target %s:%s registered again", *key)
                    target.state, target.successes, target.failures = "initial", 0, 0
                target.draining = draining
            for key in [k for k in self.targets if k not in seen]:
                LOG.info("target %s:%s gone", *key)
                self.targets.pop(key).stop.set()
        for target in started:
            LOG.info("target %s:%s registered", *target.key)
            self._thread(self.health_loop, target, name=f"health-{target.id}:{target.port}")

    def report(self) -> None:
        """Tell the emulator what our health checks see (the elbv2_target_health shim)."""
        if not (self.report_supported and self.resolved_arn):
            return
        with self.lock:
            targets = [
                {"Id": t.id, "Port": t.port, "State": t.state, "Reason": t.reason, "Description": t.description}
                for t in self.targets.values()
                if not t.draining
            ]
        body = json.dumps({"TargetGroupArn": self.resolved_arn, "Ttl": self.report_ttl, "Targets": targets})
        request = urllib.request.Request(
            f"{self.endpoint_url}{REPORT_PATH}",
            data=body.encode(),
            method="POST",
            headers={"Content-Type": "application/json", PROBE_HEADER: "1"},
        )
        try:
            with urllib.request.urlopen(request, timeout=5) as reply:
                reply.read()
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                LOG.warning("the emulator has no %s (shim elbv2_target_health off): not reporting", REPORT_PATH)
                self.report_supported = False
            else:
                LOG.warning("health report failed: %s", exc)
        except OSError as exc:
            LOG.warning("health report failed: %s", exc)

    def watch_loop(self) -> None:
        while not self.stopping.is_set():
            try:
                self.poll_once()
                self.last_poll_error = ""
            except Exception as exc:  # keep the last known targets while the emulator is away
                if str(exc) != self.last_poll_error:
                    LOG.warning("cannot read the target group: %s", exc)
                self.last_poll_error = str(exc)
            self.report()
            self.write_status()
            self.report_now.wait(self.poll_interval)
            self.report_now.clear()

    # -- health checks -------------------------------------------------------------------
    def health_loop(self, target: Target) -> None:
        while not (target.stop.is_set() or self.stopping.is_set()):
            check = self.check
            started = time.monotonic()
            passed, reason, description = check_target(target, check)
            if target.stop.is_set():
                return
            self.record_check(target, check, passed, reason, description)
            target.stop.wait(max(0.0, check.interval - (time.monotonic() - started)))

    def record_check(
        self, target: Target, check: HealthCheck, passed: bool, reason: str | None, description: str | None
    ) -> None:
        with self.lock:
            before = target.state
            if passed:
                target.successes, target.failures = target.successes + 1, 0
                if target.state != "healthy" and target.successes >= check.healthy_threshold:
                    target.state, target.reason, target.description = "healthy", None, None
            else:
                target.successes, target.failures = 0, target.failures + 1
                if target.state == "initial" or target.state == "healthy":
                    target.reason, target.description = reason, description
                if target.state != "unhealthy" and target.failures >= check.unhealthy_threshold:
                    target.state, target.reason, target.description = "unhealthy", reason, description
            changed = before != target.state
        if changed:
            LOG.info("target %s:%s %s -> %s (%s)", target.id, target.port, before, target.state, reason or "ok")
            self.report_now.set()

    # -- routing -------------------------------------------------------------------------
    def pick(self) -> Target | None:
        """Round robin over healthy targets; fail open to every registered one if none is."""
        with self.lock:
            active = [t for t in self.targets.values() if not t.draining]
            healthy = [t for t in active if t.state == "healthy"]
            pool = sorted(healthy or active, key=lambda t: t.key)
            if not pool:
                return None
            target = pool[next(self.counter) % len(pool)]
            target.in_flight += 1
            target.requests += 1
            return target

    def done(self, target: Target) -> None:
        with self.lock:
            target.in_flight -= 1

    def count(self, status: int) -> None:
        with self.lock:
            self.stats["requests"] += 1
            if str(status) in self.stats:
                self.stats[str(status)] += 1

    # -- status --------------------------------------------------------------------------
    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {
                "url": self.url,
                "pid": os.getpid(),
                "target_group_arn": self.resolved_arn,
                "target_group_name": self.target_group_name,
                "updated": time.time(),
                "targets": [t.snapshot() for t in sorted(self.targets.values(), key=lambda t: t.key)],
                "stats": dict(self.stats),
                "error": self.last_poll_error,
            }

    def write_status(self) -> None:
        if self.status_file is None:
            return
        tmp = self.status_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.snapshot(), indent=2) + "\n")
        tmp.replace(self.status_file)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    # -- life cycle ----------------------------------------------------------------------
    def _thread(self, function: Any, *args: Any, name: str) -> None:
        thread = threading.Thread(target=function, args=args, name=name, daemon=True)
        thread.start()
        self.threads.append(thread)

    def start(self) -> LoadBalancer:
        self._thread(self.watch_loop, name="watch")
        self._thread(self.server.serve_forever, name="proxy")
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.report_now.set()
        self.server.shutdown()
        self.server.server_close()
        with self.lock:
            for target in self.targets.values():
                target.stop.set()

    def serve(self) -> None:
        self._thread(self.watch_loop, name="watch")
        try:
            self.server.serve_forever()
        finally:
            self.stop()


class ProxyServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], handler: type, balancer: LoadBalancer) -> None:
        self.balancer = balancer
        super().__init__(address, handler)


class ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "appstack-lb"
    sys_version = ""
    server: ProxyServer

    def setup(self) -> None:
        self.timeout = self.server.balancer.idle_timeout  # idle keep-alive connections
        super().setup()

    def log_message(self, format: str, *args: Any) -> None:
        LOG.debug("%s %s", self.address_string(), format % args)

    def do_GET(self) -> None:
        self.forward()

    do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_GET

    # -- request -------------------------------------------------------------------------
    def read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            parts = []
            while True:
                size = int(self.rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    break
                parts.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(parts)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def upstream_headers(self, body: bytes) -> dict[str, str]:
        balancer = self.server.balancer
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        headers.pop("Content-Length", None)
        if body or self.command in ("POST", "PUT", "PATCH"):
            headers["Content-Length"] = str(len(body))
        client_ip = self.client_address[0]
        forwarded = self.headers.get("X-Forwarded-For")
        headers["X-Forwarded-For"] = f"{forwarded}, {client_ip}" if forwarded else client_ip
        headers["X-Forwarded-Proto"] = "http"
        headers["X-Forwarded-Port"] = str(balancer.server.server_address[1])
        headers["Connection"] = "close"
        return headers

    def forward(self) -> None:
        balancer = self.server.balancer
        try:
            body = self.read_body()
        except (ValueError, OSError):
            self.error(400, "Bad Request")
            return
        target = balancer.pick()
        if target is None:
            self.error(503, "Service Temporarily Unavailable")
            return
        try:
            self.proxy_to(target, body)
        finally:
            balancer.done(target)

    def proxy_to(self, target: Target, body: bytes) -> None:
        balancer = self.server.balancer
        conn = http.client.HTTPConnection(target.id, target.port, timeout=balancer.target_timeout)
        try:
            try:
                conn.request(self.command, self.path, body=body or None, headers=self.upstream_headers(body))
                response = conn.getresponse()
            except TimeoutError:
                self.error(504, "Gateway Time-out")
                return
            except (OSError, http.client.HTTPException):
                self.error(502, "Bad Gateway")
                return
            self.relay(response)
        finally:
            conn.close()

    # -- response ------------------------------------------------------------------------
    def relay(self, response: http.client.HTTPResponse) -> None:
        balancer = self.server.balancer
        no_body = self.command == "HEAD" or response.status in (204, 304) or 100 <= response.status < 200
        length = response.getheader("Content-Length")
        chunked = not no_body and length is None
        self.send_response_only(response.status, response.reason)
        for key, value in response.getheaders():
            if key.lower() not in HOP_BY_HOP and key.lower() not in ("server", "date"):
                self.send_header(key, value)
        self.send_header("Server", "awselb/2.0")
        self.send_header("Date", self.date_time_string())
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        balancer.count(response.status)
        if no_body:
            return
        try:
            while True:
                data = response.read1(CHUNK) if chunked else response.read(CHUNK)
                if not data:
                    break
                self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data) if chunked else data)
            if chunked:
                self.wfile.write(b"0\r\n\r\n")
        except (OSError, http.client.HTTPException):
            # The target broke off mid-body: the client cannot be told otherwise.
            self.close_connection = True

    def error(self, status: int, reason: str) -> None:
        self.server.balancer.count(status)
        body = f"<html><body><center><h1>{status} {reason}</h1></center></body></html>\n".encode()
        self.send_response_only(status, reason)
        self.send_header("Server", "awselb/2.0")
        self.send_header("Date", self.date_time_string())
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def region_of(arn: str) -> str:
    parts = arn.split(":")
    return parts[3] if len(parts) > 3 else ""


def parse_listen(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    host = host.strip("[]") or "127.0.0.1"
    if host == "localhost":
        host = "127.0.0.1"
    if not ipaddress.ip_address(host).is_loopback:
        raise argparse.ArgumentTypeError(f"{value}: the local load balancer listens on loopback addresses only")
    return host, int(port)


# -- detached process management (start/stop/status) -----------------------------------------
def state_paths(state_dir: Path) -> dict[str, Path]:
    return {
        "pid": state_dir / "lb.pid",
        "config": state_dir / "lb.json",
        "log": state_dir / "lb.log",
        "status": state_dir / "lb-status.json",
    }


def read_json(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def running_pid(state_dir: Path) -> int | None:
    try:
        pid = int(state_paths(state_dir)["pid"].read_text().strip())
    except (OSError, ValueError):
        return None
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        return pid
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return pid
    return pid if state != "Z" and b"appstack_emulator.lb" in cmdline else None


def wanted_config(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "listen": f"{args.listen[0]}:{args.listen[1]}",
        "endpoint_url": args.endpoint_url,
        "target_group_arn": args.target_group_arn or "",
        "target_group_name": args.target_group_name or "",
        "poll_interval": args.poll_interval,
        "idle_timeout": args.idle_timeout,
        "check_interval": args.check_interval,
    }


def listening(host: str, port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.5):
        return True
    return False


def cmd_start(args: argparse.Namespace, state_dir: Path) -> int:
    files = state_paths(state_dir)
    state_dir.mkdir(parents=True, exist_ok=True)
    config = wanted_config(args)
    pid = running_pid(state_dir)
    verb = "started"
    if pid:
        if read_json(files["config"]) == config:
            print(f"already running at http://{config['listen']} (pid {pid})")
            return 0
        stop_pid(pid)
        verb = "restarted"
    if listening(*args.listen):
        print(f"appstack-lb: {config['listen']} is in use by another process", file=sys.stderr)
        return 1
    command = [sys.executable, "-m", "appstack_emulator.lb", "run", *run_arguments(config)]
    command += ["--status-file", str(files["status"])]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [PACKAGE_PARENT, env.get("PYTHONPATH")]))
    files["status"].unlink(missing_ok=True)
    with open(files["log"], "ab") as log:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=state_dir,
            env=env,
            start_new_session=True,
        )
    files["pid"].write_text(f"{process.pid}\n")
    files["config"].write_text(json.dumps(config, indent=2) + "\n")
    deadline = time.monotonic() + args.timeout
    while time.monotonic() < deadline and process.poll() is None:
        if files["status"].exists() and listening(*args.listen):
            print(f"{verb} at http://{config['listen']} (pid {process.pid})")
            return 0
        time.sleep(0.1)
    if process.poll() is None:
        stop_pid(process.pid)
    print(f"appstack-lb did not start; see {files['log']}", file=sys.stderr)
    return 1


def run_arguments(config: dict[str, Any]) -> list[str]:
    arguments = ["--listen", config["listen"], "--endpoint-url", config["endpoint_url"]]
    if config["target_group_arn"]:
        arguments += ["--target-group-arn", config["target_group_arn"]]
    if config["target_group_name"]:
        arguments += ["--target-group-name", config["target_group_name"]]
    arguments += ["--poll-interval", str(config["poll_interval"]), "--idle-timeout", str(config["idle_timeout"])]
    if config["check_interval"]:
        arguments += ["--check-interval", str(config["check_interval"])]
    return arguments


def alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie waiting for its parent counts as gone)."""
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return not Path("/proc/self").exists()


def stop_pid(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if not alive(pid):
            return
        time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def cmd_stop(args: argparse.Namespace, state_dir: Path) -> int:
    pid = running_pid(state_dir)
    if pid:
        stop_pid(pid)
    for key in ("pid", "config"):
        state_paths(state_dir)[key].unlink(missing_ok=True)
    print(f"stopped (pid {pid})" if pid else "not running")
    return 0


def cmd_status(args: argparse.Namespace, state_dir: Path) -> int:
    pid = running_pid(state_dir)
    if not pid:
        print("not running")
        return 3
    status = read_json(state_paths(state_dir)["status"])
    print(json.dumps(status, indent=2) if args.json else f"running at {status.get('url')} (pid {pid})")
    if not args.json:
        for target in status.get("targets", []):
            print(f"  {target['id']}:{target['port']} {target['state']} in-flight {target['in_flight']}")
    return 0


def cmd_run(args: argparse.Namespace, state_dir: Path) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    balancer = LoadBalancer(
        endpoint_url=args.endpoint_url,
        listen=args.listen,
        target_group_arn=args.target_group_arn or "",
        target_group_name=args.target_group_name or "",
        poll_interval=args.poll_interval,
        idle_timeout=args.idle_timeout,
        status_file=Path(args.status_file) if args.status_file else None,
        check_interval=args.check_interval,
    )

    def finish(signum: int, frame: Any) -> None:
        threading.Thread(target=balancer.server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, finish)
    signal.signal(signal.SIGINT, finish)
    LOG.info("listening at %s for %s", balancer.url, args.target_group_arn or args.target_group_name)
    balancer.serve()
    return 0


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--state-dir",
        default=os.environ.get("APPSTACK_LB_STATE_DIR") or str(Path.cwd() / ".emulator" / "lb"),
        help="pid, settings, log and status files (default: $APPSTACK_LB_STATE_DIR or ./.emulator/lb)",
    )
    target = argparse.ArgumentParser(add_help=False)
    target.add_argument("--listen", type=parse_listen, default=parse_listen("127.0.0.1:8000"), help="HOST:PORT")
    group = target.add_mutually_exclusive_group(required=True)
    group.add_argument("--target-group-arn")
    group.add_argument("--target-group-name", help="looked up again on every poll")
    target.add_argument(
        "--endpoint-url",
        default=os.environ.get("APPSTACK_EMULATOR_URL")
        or os.environ.get("AWS_ENDPOINT_URL")
        or "http://127.0.0.1:4566",
        help="the emulator (default: $APPSTACK_EMULATOR_URL)",
    )
    target.add_argument("--poll-interval", type=float, default=1.0, help="seconds between target group reads")
    target.add_argument("--idle-timeout", type=float, default=60.0, help="client keep-alive idle seconds")
    target.add_argument(
        "--check-interval", type=float, help="health check every N seconds instead of the target group's (tests)"
    )
    parser = argparse.ArgumentParser(prog="python -m appstack_emulator.lb", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", parents=[common, target], help="run in the foreground")
    run.add_argument("--status-file")
    start = sub.add_parser("start", parents=[common, target], help="start detached (restart if settings differ)")
    start.add_argument("--timeout", type=float, default=15.0)
    sub.add_parser("stop", parents=[common], help="stop it")
    status = sub.add_parser("status", parents=[common], help="exit 0 if running, 3 if not")
    status.add_argument("--json", action="store_true", help="print the full status")
    return parser


COMMANDS = {"run": cmd_run, "start": cmd_start, "stop": cmd_stop, "status": cmd_status}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return COMMANDS[args.command](args, Path(args.state_dir).resolve())


if __name__ == "__main__":
    sys.exit(main())
