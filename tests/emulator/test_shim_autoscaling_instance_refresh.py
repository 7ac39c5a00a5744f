"""Shim autoscaling_instance_refresh: Start/Describe/CancelInstanceRefresh with a rolling replacement."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import botocore.exceptions
import pytest

from .fleet_support import describe_group, group, launch_template, new_version, server_error, subnet, use_version
from .support import Emulator, free_port, run_cli

pytestmark = pytest.mark.emulator


@pytest.fixture(scope="module")
def slow_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    """Every shim on; instance refreshes stay InProgress for 60 s."""
    port = free_port()
    emu = Emulator(f"http://127.0.0.1:{port}", port, tmp_path_factory.mktemp("slow-refresh"))
    env = {"APPSTACK_EMULATOR_INSTANCE_REFRESH_SECONDS": "60"}
    result = run_cli("start", "--port", str(port), "--state-dir", str(emu.state_dir), env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    yield emu
    emu.cli("stop")


def _group_on_version_2(emu: Emulator, name: str, cidr: str) -> dict[str, str]:
    """A group whose two instances run version 1 while the group now uses version 2."""
    template_id = launch_template(emu, name)
    group(emu, name, template_id, subnet(emu, cidr))
    new_version(emu, template_id)
    use_version(emu, name, template_id, "2")
    return {i["InstanceId"]: i["LaunchTemplate"]["Version"] for i in describe_group(emu, name)["Instances"]}


def test_refresh_replaces_instances_on_other_versions(emulator: Emulator, unique: Callable[[str], str]) -> None:
    name = unique("refresh")
    before = _group_on_version_2(emulator, name, "10.65")
    assert set(before.values()) == {"1"}
    autoscaling = emulator.client("autoscaling")
    refresh_id = autoscaling.start_instance_refresh(
        AutoScalingGroupName=name, Preferences={"MinHealthyPercentage": 90, "SkipMatching": True}
    )["InstanceRefreshId"]

    refreshes = autoscaling.describe_instance_refreshes(AutoScalingGroupName=name)["InstanceRefreshes"]
    assert [r["InstanceRefreshId"] for r in refreshes] == [refresh_id]
    assert refreshes[0]["Status"] == "Successful"
    assert refreshes[0]["PercentageComplete"] == 100
    assert refreshes[0]["Preferences"]["MinHealthyPercentage"] == 90
    assert refreshes[0]["Preferences"]["SkipMatching"] is True

    after = {i["InstanceId"]: i["LaunchTemplate"]["Version"] for i in describe_group(emulator, name)["Instances"]}
    assert len(after) == 2
    assert set(after.values()) == {"2"}
    assert not set(after) & set(before)
    states = emulator.client("ec2").describe_instances(InstanceIds=list(before))["Reservations"]
    assert {i["State"]["Name"] for r in states for i in r["Instances"]} == {"terminated"}


def test_skip_matching_leaves_current_instances(emulator: Emulator, unique: Callable[[str], str]) -> None:
    name = unique("refresh")
    template_id = launch_template(emulator, name)
    group(emulator, name, template_id, subnet(emulator, "10.66"))
    before = {i["InstanceId"] for i in describe_group(emulator, name)["Instances"]}
    autoscaling = emulator.client("autoscaling")
    autoscaling.start_instance_refresh(AutoScalingGroupName=name, Preferences={"SkipMatching": True})
    assert {i["InstanceId"] for i in describe_group(emulator, name)["Instances"]} == before
    # Without skip matching every instance is replaced.
    autoscaling.start_instance_refresh(AutoScalingGroupName=name)
    assert not {i["InstanceId"] for i in describe_group(emulator, name)["Instances"]} & before
    assert len(autoscaling.describe_instance_refreshes(AutoScalingGroupName=name)["InstanceRefreshes"]) == 2


def test_refresh_in_progress_blocks_another_and_can_be_cancelled(
    slow_emulator: Emulator, unique: Callable[[str], str]
) -> None:
    name = unique("refresh")
    before = _group_on_version_2(slow_emulator, name, "10.67")
    autoscaling = slow_emulator.client("autoscaling")
    refresh_id = autoscaling.start_instance_refresh(AutoScalingGroupName=name)["InstanceRefreshId"]
    refresh = autoscaling.describe_instance_refreshes(AutoScalingGroupName=name)["InstanceRefreshes"][0]
    assert refresh["Status"] == "InProgress"
    assert refresh["InstancesToUpdate"] == 2

    with pytest.raises(botocore.exceptions.ClientError) as error:
        autoscaling.start_instance_refresh(AutoScalingGroupName=name)
    assert error.value.response["Error"]["Code"] == "InstanceRefreshInProgress"

    assert autoscaling.cancel_instance_refresh(AutoScalingGroupName=name)["InstanceRefreshId"] == refresh_id
    refresh = autoscaling.describe_instance_refreshes(AutoScalingGroupName=name)["InstanceRefreshes"][0]
    assert refresh["Status"] == "Cancelled"
    assert {i["InstanceId"] for i in describe_group(slow_emulator, name)["Instances"]} == set(before)

    with pytest.raises(botocore.exceptions.ClientError) as error:
        autoscaling.cancel_instance_refresh(AutoScalingGroupName=name)
    assert error.value.response["Error"]["Code"] == "ActiveInstanceRefreshNotFound"


def test_deleting_the_group_forgets_its_refreshes(emulator: Emulator, unique: Callable[[str], str]) -> None:
    name = unique("refresh")
    _group_on_version_2(emulator, name, "10.68")
    autoscaling = emulator.client("autoscaling")
    autoscaling.start_instance_refresh(AutoScalingGroupName=name)
    autoscaling.delete_auto_scaling_group(AutoScalingGroupName=name, ForceDelete=True)
    assert autoscaling.describe_instance_refreshes(AutoScalingGroupName=name)["InstanceRefreshes"] == []
    with pytest.raises(botocore.exceptions.ClientError) as error:
        autoscaling.start_instance_refresh(AutoScalingGroupName=name)
    assert error.value.response["Error"]["Code"] == "ValidationError"


@pytest.mark.parametrize("action", ["start_instance_refresh", "describe_instance_refreshes", "cancel_instance_refresh"])
def test_gap_not_implemented(bare_emulator: Emulator, unique: Callable[[str], str], action: str) -> None:
    name = unique("refresh")
    group(bare_emulator, name, launch_template(bare_emulator, name), subnet(bare_emulator, "10.65"))
    call = getattr(bare_emulator.client("autoscaling"), action)
    assert server_error(lambda: call(AutoScalingGroupName=name))
