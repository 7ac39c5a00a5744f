"""End-to-end tests run the real playbooks against the local AWS emulator."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

import pytest
import requests

from tests.support import aws
from tests.support.playbooks import ROOT


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        return requests.get(f"{url}/_appstack/health", timeout=2).ok
    except requests.RequestException:
        return False


@pytest.fixture(scope="session")
def emulator(tmp_path_factory):
    """The emulator `make integration` started, or one of our own on a free port."""
    url = os.environ.get("APPSTACK_EMULATOR_URL")
    if url and _answers(url):
        yield url
        return
    port = _free_port()
    state = tmp_path_factory.mktemp("emulator")
    cli = [str(ROOT / ".venv/bin/appstack-emulator")]
    subprocess.run([*cli, "start", "--port", str(port), "--state-dir", str(state)], check=True)
    url = f"http://127.0.0.1:{port}"
    os.environ["APPSTACK_EMULATOR_URL"] = url
    yield url
    subprocess.run([*cli, "stop", "--state-dir", str(state)], check=False)


@pytest.fixture
def clean_account(emulator):
    """An empty emulated account for the test."""
    aws.reset(emulator)
    return emulator


@pytest.fixture
def tmp_inventory_dir(tmp_path) -> Path:
    return tmp_path
