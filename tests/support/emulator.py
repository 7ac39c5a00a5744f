"""Start and stop emulators of our own, each on a free port with its own state directory, so
that tests running whole playbooks in parallel never share an account."""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.support.playbooks import ROOT

CLI = ROOT / ".venv" / "bin" / "appstack-emulator"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def own_emulator(state_dir: Path) -> Iterator[str]:
    """The URL of a fresh emulator (every shim on), stopped on exit."""
    port = free_port()
    started = subprocess.run(
        [str(CLI), "start", "--port", str(port), "--state-dir", str(state_dir)],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert started.returncode == 0, started.stdout + started.stderr
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        subprocess.run([str(CLI), "stop", "--state-dir", str(state_dir)], capture_output=True, timeout=60, check=False)
