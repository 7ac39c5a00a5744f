"""Shim autoscaling_instance_launch_template_version: instances report the version they run."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from .fleet_support import describe_group, group, launch_template, new_version, subnet, use_version
from .support import Emulator

pytestmark = pytest.mark.emulator


def _versions(emu: Emulator, name: str) -> list[str]:
    return [instance["LaunchTemplate"]["Version"] for instance in describe_group(emu, name)["Instances"]]


def test_instances_keep_the_version_they_were_launched_from(emulator: Emulator, unique: Callable[[str], str]) -> None:
    name = unique("ltver")
    template_id = launch_template(emulator, name)
    group(emulator, name, template_id, subnet(emulator, "10.64"))
    new_version(emulator, template_id)
    use_version(emulator, name, template_id, "2")
    emulator.client("autoscaling").set_desired_capacity(AutoScalingGroupName=name, DesiredCapacity=3)
    assert sorted(_versions(emulator, name)) == ["1", "1", "2"]
    instances = emulator.client("autoscaling").describe_auto_scaling_instances()["AutoScalingInstances"]
    ours = [i["LaunchTemplate"]["Version"] for i in instances if i["AutoScalingGroupName"] == name]
    assert sorted(ours) == ["1", "1", "2"]


def test_gap_instances_report_the_default_version(bare_emulator: Emulator, unique: Callable[[str], str]) -> None:
    name = unique("ltver")
    template_id = launch_template(bare_emulator, name)
    group(bare_emulator, name, template_id, subnet(bare_emulator, "10.64"))
    bare_emulator.client("ec2").create_launch_template_version(
        LaunchTemplateId=template_id, LaunchTemplateData={"InstanceType": "t3.small"}
    )
    bare_emulator.client("ec2").modify_launch_template(LaunchTemplateId=template_id, DefaultVersion="2")
    # The instances were launched from version 1, and the group still uses version 1.
    assert _versions(bare_emulator, name) == ["2", "2"]
