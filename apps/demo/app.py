#!/usr/bin/env python3
"""appstack demo app: a tiny HTTP server for health-gated, zero-downtime rollouts.

Endpoints:
  /health   200 "ok"; 500 "failing" when DEMO_FAIL_HEALTH=1 (a bad release); 503 "draining"
            once SIGTERM arrived and while SHUTDOWN_DRAIN_SECONDS run
  /version  the version string (APP_VERSION, baked into the image by apps/demo/build.sh)
  /         a short page with the host name and the version
  /sleep    ?seconds=N (at most 30): answers after N seconds; shows graceful shutdown at work

Environment: PORT (default 8080), APP_VERSION (default "dev"), DEMO_FAIL_HEALTH ("1" fails
/health), SHUTDOWN_DRAIN_SECONDS (default 0).

On SIGTERM (docker stop) or SIGINT: /health answers 503 for SHUTDOWN_DRAIN_SECONDS while
everything else is still served (load balancers stop sending traffic), then the server stops
accepting connections, finishes the requests in flight and exits 0. Python standard library only.

`app.py --healthcheck` exits 0 when this container's /health answers 200 (Docker HEALTHCHECK).
"""

from __future__ import annotations

import html
import json
import os
import signal
import socket
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import FrameType
from urllib.parse import parse_qs, urlsplit

MAX_SLEEP_SECONDS = 30.0


def env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


class DemoServer(ThreadingHTTPServer):
    """Threaded server whose close waits for the requests in flight."""

    # Non-daemon request threads are tracked, and server_close() joins them.
    daemon_threads = False
    block_on_close = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], version: str, fail_health: bool) -> None:
        super().__init__(address, DemoHandler)
        self.version = version
        self.fail_health = fail_health
        self.hostname = socket.gethostname()
        self.draining = threading.Event()


class DemoHandler(BaseHTTPRequestHandler):
    server: DemoServer
    server_version = "appstack-demo"
    # HTTP/1.0: one request per connection, so no idle keep-alive connection delays a shutdown.
    protocol_version = "HTTP/1.0"

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path == "/health":
            self.health()
        elif url.path == "/version":
            self.send_text(200, self.server.version + "\n")
        elif url.path == "/":
            self.index()
        elif url.path == "/sleep":
            self.sleep(parse_qs(url.query))
        else:
            self.send_text(404, "not found\n")

    def do_HEAD(self) -> None:
        self.do_GET()

    def health(self) -> None:
        if self.server.fail_health:
            self.send_text(500, "failing\n")
        elif self.server.draining.is_set():
            self.send_text(503, "draining\n")
        else:
            self.send_text(200, "ok\n")

    def index(self) -> None:
        host = html.escape(self.server.hostname)
        version = html.escape(self.server.version)
        page = (
            "<!doctype html>\n<html><head><title>appstack demo</title></head><body>\n"
            f"<h1>appstack demo</h1>\n<p>host: <code>{host}</code></p>\n"
            f"<p>version: <code>{version}</code></p>\n</body></html>\n"
        )
        self.send_text(200, page, "text/html; charset=utf-8")

    def sleep(self, query: dict[str, list[str]]) -> None:
        try:
            seconds = float(query.get("seconds", ["1"])[0])
        except ValueError:
            self.send_text(400, "seconds must be a number\n")
            return
        seconds = min(max(seconds, 0.0), MAX_SLEEP_SECONDS)
        time.sleep(seconds)
        self.send_text(200, f"slept {seconds:g}s\n")

    def send_text(self, status: int, body: str, content_type: str = "text/plain; charset=utf-8") -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-App-Version", self.server.version)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        status = code if isinstance(code, str) else int(code)
        log({"client": self.client_address[0], "request": self.requestline, "status": status})

    def log_message(self, format: str, *args: object) -> None:
        log({"client": self.client_address[0], "message": format % args})


def log(record: dict[str, object]) -> None:
    """One JSON line per event on stdout (docker logs / awslogs)."""
    record = {"time": time.strftime("%Y-%m-%dT%H:%M:%S%z"), **record}
    print(json.dumps(record), flush=True)


def install_signal_handlers(server: DemoServer, drain_seconds: float) -> None:
    stopping = threading.Event()

    def stop() -> None:
        server.draining.set()
        if drain_seconds > 0:
            log({"event": "draining", "seconds": drain_seconds})
            time.sleep(drain_seconds)
        # shutdown() waits for serve_forever() to return: never call it from the serving thread.
        server.shutdown()

    def handler(signum: int, _frame: FrameType | None) -> None:
        if stopping.is_set():
            return
        stopping.set()
        log({"event": "stopping", "signal": signal.Signals(signum).name})
        threading.Thread(target=stop, name="stopper", daemon=True).start()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


def healthcheck(port: int) -> int:
    """Exit status for Docker's HEALTHCHECK: 0 when /health answers 200."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=3) as response:
            return 0 if response.status == 200 else 1
    except OSError as error:  # URLError and HTTPError (e.g. 500) are OSErrors
        print(f"unhealthy: {error}", file=sys.stderr)
        return 1


def main(argv: list[str]) -> int:
    port = int(os.environ.get("PORT", "8080"))
    version = os.environ.get("APP_VERSION", "").strip() or "dev"
    fail_health = env_flag("DEMO_FAIL_HEALTH")
    drain_seconds = float(os.environ.get("SHUTDOWN_DRAIN_SECONDS", "0"))
    if argv == ["--healthcheck"]:
        return healthcheck(port)

    server = DemoServer(("0.0.0.0", port), version, fail_health)
    install_signal_handlers(server, drain_seconds)
    log({"event": "listening", "port": port, "version": version, "fail_health": fail_health})
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        # Joins the request threads: requests in flight are finished before the process exits.
        server.server_close()
    log({"event": "stopped"})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
