"""appstack-emulator start|stop|status|reset, against a server of its own."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from .support import Emulator, run_cli, start_emulator

pytestmark = pytest.mark.emulator

START_OPTIONS = (
    "--faults",
    "rate=1.0,modes=throttle,seed=3,actions=DescribeKeyPairs",
    "--latency",
    "nat_gateway=30",
)


@pytest.fixture(scope="module")
def own(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    emu = start_emulator(tmp_path_factory.mktemp("cli"), *START_OPTIONS)
    yield emu
    emu.cli("stop")


def pid_of(emu: Emulator) -> int:
    return int((emu.state_dir / "emulator.pid").read_text())


def test_start_prints_url_and_runs_the_venv_moto(own: Emulator) -> None:
    health = own.get("/_appstack/health")
    assert health["pid"] == pid_of(own)
    assert health["python"] == sys.executable
    assert Path(health["moto_path"]).is_relative_to(Path(sys.prefix))
    assert (own.state_dir / "emulator.log").exists()


def test_start_options_configure_faults_and_latency(own: Emulator) -> None:
    assert own.get("/_appstack/faults")["config"] == {
        "rate": 1.0,
        "modes": ["throttle"],
        "seed": 3,
        "actions": ["DescribeKeyPairs"],
    }
    assert own.get("/_appstack/latency") == {"delays": {"nat_gateway": 30.0}}


def test_start_twice_starts_no_second_copy(own: Emulator) -> None:
    before = pid_of(own)
    result = own.cli("start", *START_OPTIONS)
    assert result.returncode == 0
    assert f"already running at {own.url}" in result.stdout
    assert pid_of(own) == before


def test_status_running(own: Emulator) -> None:
    result = own.cli("status")
    assert result.returncode == 0
    assert f"running at {own.url}" in result.stdout


def test_reset_clears_resources_and_fault_counters(own: Emulator) -> None:
    own.post("/_appstack/faults", {"rate": 0})
    ec2 = own.client("ec2")
    vpc_id = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    assert own.get("/_appstack/faults")["counters"]["total"] > 0
    result = own.cli("reset")
    assert result.returncode == 0, result.stderr
    vpcs = ec2.describe_vpcs(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Vpcs"]
    assert vpcs == []
    assert own.get("/_appstack/faults")["counters"]["seen_by_action"] == {"DescribeVpcs": 1}


def test_stale_pid_file_start_stop_status(tmp_path: Path) -> None:
    dead = subprocess.Popen(["true"])
    dead.wait()
    (tmp_path / "emulator.pid").write_text(f"{dead.pid}\n")
    emu = start_emulator(tmp_path)  # the stale pid file is replaced
    pid = pid_of(emu)
    assert pid != dead.pid
    assert emu.get("/_appstack/health")["pid"] == pid

    stop = emu.cli("stop")
    assert stop.returncode == 0
    assert f"stopped (pid {pid})" in stop.stdout
    assert not (tmp_path / "emulator.pid").exists()
    assert not Path(f"/proc/{pid}").exists() or " Z " in Path(f"/proc/{pid}/stat").read_text()

    status = emu.cli("status")
    assert (status.returncode, "not running" in status.stdout) == (3, True)
    again = emu.cli("stop")
    assert (again.returncode, "not running" in again.stdout) == (0, True)
    assert emu.cli("reset").returncode == 3


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--faults", "rate=2", "fault rate must be between 0 and 1"),
        ("--faults", "modes=throttle+timeout", "unknown fault modes ['timeout']"),
        ("--latency", "nat=3", "unknown latency kinds ['nat']"),
        ("--disable-shim", "no_such_shim", "unknown shims ['no_such_shim']"),
    ],
)
def test_bad_start_options_fail_fast(tmp_path: Path, option: str, value: str, message: str) -> None:
    result = run_cli("start", "--state-dir", str(tmp_path), option, value)
    assert result.returncode == 2
    assert message in result.stderr
    assert not (tmp_path / "emulator.pid").exists()
