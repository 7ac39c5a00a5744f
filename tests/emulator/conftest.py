"""Fixtures: emulators started through the CLI on free ports, each with its own state dir."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest
from appstack_emulator import shims

from .support import Emulator, start_emulator


@pytest.fixture(scope="session")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    """The emulator as the project runs it: every shim on."""
    emu = start_emulator(tmp_path_factory.mktemp("emulator"))
    yield emu
    emu.cli("stop")


@pytest.fixture(scope="session")
def bare_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    """Every shim disabled: plain moto behind our middleware, to prove each gap still exists."""
    disabled = [arg for name in shims.names() for arg in ("--disable-shim", name)]
    emu = start_emulator(tmp_path_factory.mktemp("bare"), *disabled)
    yield emu
    emu.cli("stop")


@pytest.fixture(autouse=True)
def _quiet_emulators(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test starts and ends without faults or latency on the servers it uses."""
    used = [request.getfixturevalue(name) for name in ("emulator", "bare_emulator") if name in request.fixturenames]
    for emu in used:
        emu.post("/_appstack/faults", {"rate": 0})
        emu.post("/_appstack/latency", {})
    yield
    for emu in used:
        emu.post("/_appstack/faults", {"rate": 0})
        emu.post("/_appstack/latency", {})


@pytest.fixture
def unique() -> Callable[[str], str]:
    counter = iter(range(1_000_000))
    token = os.urandom(3).hex()
    return lambda prefix: f"{prefix}-{token}-{next(counter)}"
