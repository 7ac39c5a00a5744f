"""Helpers for the emulator tests: start emulators through the CLI, talk to them."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

EMULATOR_DIR = Path(__file__).resolve().parents[2] / "tools" / "emulator"
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
REGION = "us-east-1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m appstack_emulator.cli ARGS`` with the test interpreter (the venv's)."""
    full_env = dict(os.environ, APPSTACK_EMULATOR_QUIET="1", **(env or {}))
    full_env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(EMULATOR_DIR), full_env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "appstack_emulator.cli", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=120,
        check=False,
    )


@dataclass
class Emulator:
    url: str
    port: int
    state_dir: Path

    def client(self, service: str, attempts: int = 1, **kwargs: Any) -> Any:
        """A boto3 client for the emulator; ``attempts=1`` disables retries."""
        config = Config(
            retries={"total_max_attempts": attempts, "mode": "standard"},
            connect_timeout=5,
            read_timeout=30,
        )
        return boto3.client(
            service,
            endpoint_url=self.url,
            region_name=REGION,
            config=config,
            **CREDENTIALS,
            **kwargs,
        )

    def get(self, path: str) -> Any:
        with urllib.request.urlopen(f"{self.url}{path}", timeout=10) as reply:
            return json.loads(reply.read())

    def post(self, path: str, data: Any = None) -> Any:
        body = json.dumps(data).encode() if data is not None else b""
        request = urllib.request.Request(f"{self.url}{path}", data=body, method="POST")
        with urllib.request.urlopen(request, timeout=30) as reply:
            return json.loads(reply.read() or b"{}")

    def post_status(self, path: str, data: Any) -> int:
        try:
            self.post(path, data)
        except urllib.error.HTTPError as exc:
            return exc.code
        return 200

    def cli(self, command: str, *args: str) -> subprocess.CompletedProcess[str]:
        return run_cli(command, "--port", str(self.port), "--state-dir", str(self.state_dir), *args)


def start_emulator(state_dir: Path, *args: str) -> Emulator:
    port = free_port()
    emulator = Emulator(f"http://127.0.0.1:{port}", port, state_dir)
    result = emulator.cli("start", *args)
    assert result.returncode == 0, result.stdout + result.stderr
    return emulator
