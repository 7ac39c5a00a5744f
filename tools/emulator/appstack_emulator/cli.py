"""appstack-emulator start|stop|status|reset: manage one detached emulator per state directory.

Files in the state directory: ``emulator.pid`` (the server's pid), ``emulator.json`` (its URL
and command line), ``emulator.log`` (its output) and ``emulator.lock`` (serialises starts).
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from . import latency, shims
from .faults import FaultConfig
from .server import DEFAULT_HOST, DEFAULT_PORT

PROBE_HEADER = "X-Appstack-Probe"
EXIT_NOT_RUNNING = 3
PACKAGE_PARENT = str(Path(__file__).resolve().parent.parent)


# -- state files -----------------------------------------------------------------------------
def paths(state_dir: Path) -> dict[str, Path]:
    names = {"pid": "emulator.pid", "state": "emulator.json", "log": "emulator.log"}
    return {key: state_dir / name for key, name in names.items()} | {"lock": state_dir / "emulator.lock"}


def read_pid(state_dir: Path) -> int | None:
    try:
        return int(paths(state_dir)["pid"].read_text().strip())
    except (OSError, ValueError):
        return None


def read_state(state_dir: Path) -> dict[str, Any]:
    try:
        return json.loads(paths(state_dir)["state"].read_text())
    except (OSError, ValueError):
        return {}


def remove_state(state_dir: Path) -> None:
    for key in ("pid", "state"):
        with contextlib.suppress(FileNotFoundError):
            paths(state_dir)[key].unlink()


@contextlib.contextmanager
def start_lock(state_dir: Path) -> Iterator[None]:
    with open(paths(state_dir)["lock"], "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


# -- processes -------------------------------------------------------------------------------
def is_alive(pid: int) -> bool:
    """True if ``pid`` runs (zombies do not count) and, where /proc exists, is an emulator."""
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)  # reap it if it is our own finished child
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    proc = Path(f"/proc/{pid}")
    if not proc.exists():
        return True
    try:
        state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
        cmdline = (proc / "cmdline").read_bytes()
    except OSError:
        return False
    # An empty cmdline is a process between fork and exec: cannot tell, count it as ours.
    return state != "Z" and (not cmdline or b"appstack_emulator" in cmdline)


def url_for(host: str, port: int) -> str:
    return f"http://{host}:{port}"


def health(url: str, timeout: float = 2.0) -> dict[str, Any] | None:
    try:
        with urllib.request.urlopen(f"{url}/_appstack/health", timeout=timeout) as reply:
            return json.loads(reply.read())
    except (OSError, ValueError):
        return None


def sts_answers(url: str) -> bool:
    """``sts get-caller-identity`` through boto3 (marked as a probe: never faulted)."""
    import boto3
    from botocore.config import Config

    client = boto3.client(
        "sts",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(connect_timeout=2, read_timeout=5, retries={"total_max_attempts": 1, "mode": "standard"}),
    )

    def mark(request: Any, **kwargs: Any) -> None:
        request.headers[PROBE_HEADER] = "1"

    client.meta.events.register("before-send.sts.GetCallerIdentity", mark)
    try:
        return "Account" in client.get_caller_identity()
    except Exception:  # any failure means "not ready yet"
        return False


def ready(url: str, pid: int) -> bool:
    info = health(url)
    return bool(info) and info.get("pid") == pid and sts_answers(url)


def wait_ready(url: str, pid: int, timeout: float, alive: Callable[[], bool] | None = None) -> bool:
    """Wait until the server ``pid`` answers at ``url``; False if it dies or times out."""
    alive = alive or (lambda: is_alive(pid))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive():
            return False
        if ready(url, pid):
            return True
        time.sleep(0.2)
    return False


def log_tail(state_dir: Path, lines: int = 20) -> str:
    try:
        return "\n".join(paths(state_dir)["log"].read_text().splitlines()[-lines:])
    except OSError:
        return ""


def server_command(args: argparse.Namespace) -> list[str]:
    cmd = [sys.executable, "-m", "appstack_emulator.server"]
    cmd += ["--host", args.host, "--port", str(args.port)]
    if args.faults:
        cmd += ["--faults", args.faults]
    if args.latency:
        cmd += ["--latency", args.latency]
    for name in args.disable_shim:
        cmd += ["--disable-shim", name]
    return cmd


def spawn(args: argparse.Namespace, state_dir: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    # The child must import this very package (and the moto next to it), installed or not.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [PACKAGE_PARENT, env.get("PYTHONPATH")]))
    with open(paths(state_dir)["log"], "ab") as log:
        return subprocess.Popen(
            server_command(args),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=state_dir,
            env=env,
            start_new_session=True,
        )


# -- commands --------------------------------------------------------------------------------
def validate_start_options(args: argparse.Namespace) -> str | None:
    """Check the specs here, so that a typo fails fast instead of in the detached child."""
    try:
        FaultConfig.from_spec(args.faults)
        latency.parse_spec(args.latency)
    except ValueError as exc:
        return str(exc)
    unknown = sorted(set(args.disable_shim) - set(shims.names()))
    if unknown:
        return f"unknown shims {unknown}; known: {shims.names()}"
    return None


def cmd_start(args: argparse.Namespace, state_dir: Path) -> int:
    error = validate_start_options(args)
    if error:
        print(f"appstack-emulator: {error}", file=sys.stderr)
        return 2
    state_dir.mkdir(parents=True, exist_ok=True)
    with start_lock(state_dir):
        pid = read_pid(state_dir)
        if pid and is_alive(pid):
            url = read_state(state_dir).get("url", url_for(args.host, args.port))
            if wait_ready(url, pid, args.timeout):
                print(f"already running at {url} (pid {pid})")
                return 0
            print(f"emulator pid {pid} is alive but does not answer at {url}", file=sys.stderr)
            return 1
        remove_state(state_dir)
        url = url_for(args.host, args.port)
        process = spawn(args, state_dir)
        paths(state_dir)["pid"].write_text(f"{process.pid}\n")
        state = {"pid": process.pid, "url": url, "host": args.host, "port": args.port}
        state["command"] = server_command(args)
        paths(state_dir)["state"].write_text(json.dumps(state, indent=2) + "\n")
        if wait_ready(url, process.pid, args.timeout, alive=lambda: process.poll() is None):
            print(url)
            return 0
        if process.poll() is None:
            process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(5)
        remove_state(state_dir)
        print(f"emulator did not start at {url}; log tail:", file=sys.stderr)
        print(log_tail(state_dir), file=sys.stderr)
        return 1


def cmd_stop(args: argparse.Namespace, state_dir: Path) -> int:
    pid = read_pid(state_dir)
    if not pid or not is_alive(pid):
        remove_state(state_dir)
        print("not running")
        return 0
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    while is_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    if is_alive(pid):
        os.kill(pid, signal.SIGKILL)
        while is_alive(pid):
            time.sleep(0.1)
    remove_state(state_dir)
    print(f"stopped (pid {pid})")
    return 0


def cmd_status(args: argparse.Namespace, state_dir: Path) -> int:
    pid = read_pid(state_dir)
    url = read_state(state_dir).get("url", url_for(args.host, args.port))
    if pid and is_alive(pid) and (health(url) or {}).get("pid") == pid:
        print(f"running at {url} (pid {pid})")
        return 0
    print(f"not running ({url})")
    return EXIT_NOT_RUNNING


def post(url: str, body: bytes = b"") -> Any:
    request = urllib.request.Request(url, data=body, method="POST")
    with urllib.request.urlopen(request, timeout=30) as reply:
        return json.loads(reply.read() or b"{}")


def cmd_reset(args: argparse.Namespace, state_dir: Path) -> int:
    pid = read_pid(state_dir)
    url = read_state(state_dir).get("url", url_for(args.host, args.port))
    if not (pid and is_alive(pid)):
        print(f"not running ({url})", file=sys.stderr)
        return EXIT_NOT_RUNNING
    try:
        post(f"{url}/moto-api/reset")
        post(f"{url}/_appstack/faults/reset")
    except (OSError, urllib.error.URLError) as exc:
        print(f"reset failed at {url}: {exc}", file=sys.stderr)
        return 1
    print(f"reset {url}")
    return 0


COMMANDS = {"start": cmd_start, "stop": cmd_stop, "status": cmd_status, "reset": cmd_reset}


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("APPSTACK_EMULATOR_PORT") or DEFAULT_PORT),
        help="default: $APPSTACK_EMULATOR_PORT or %(default)s",
    )
    common.add_argument("--host", default=DEFAULT_HOST)
    common.add_argument(
        "--state-dir",
        default=os.environ.get("APPSTACK_EMULATOR_STATE_DIR") or str(Path.cwd() / ".emulator"),
        help="pid, state and log files (default: $APPSTACK_EMULATOR_STATE_DIR or ./.emulator)",
    )
    parser = argparse.ArgumentParser(prog="appstack-emulator", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    start = sub.add_parser("start", parents=[common], help="start detached; print the URL")
    start.add_argument("--latency", default="", metavar="SPEC", help="nat_gateway=20,...")
    start.add_argument("--faults", default="", metavar="SPEC", help="rate=0.3,modes=...")
    start.add_argument("--disable-shim", action="append", default=[], metavar="NAME")
    start.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for it")
    sub.add_parser("stop", parents=[common], help="stop it (exit 0 if not running)")
    sub.add_parser("status", parents=[common], help="exit 0 if running, 3 if not")
    sub.add_parser("reset", parents=[common], help="drop all resources, zero fault counters")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    state_dir = Path(args.state_dir).resolve()
    return COMMANDS[args.command](args, state_dir)


if __name__ == "__main__":
    sys.exit(main())
