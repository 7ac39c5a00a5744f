"""Shim ec2_launch_template_version_user_data: groups launch from versions >= 2 with user data."""

from __future__ import annotations

from collections.abc import Callable

import botocore.exceptions
import pytest

from .fleet_support import USER_DATA, describe_group, group, launch_template, new_version, server_error, subnet
from .support import Emulator

pytestmark = pytest.mark.emulator


def test_group_launches_from_version_2(emulator: Emulator, unique: Callable[[str], str]) -> None:
    name = unique("ud")
    template_id = launch_template(emulator, name)
    assert new_version(emulator, template_id) == "2"
    group(emulator, name, template_id, subnet(emulator, "10.61"), version="2")
    instances = describe_group(emulator, name)["Instances"]
    assert len(instances) == 2
    ec2 = emulator.client("ec2")
    attribute = ec2.describe_instance_attribute(InstanceId=instances[0]["InstanceId"], Attribute="userData")
    assert attribute["UserData"]["Value"] == USER_DATA
    version = ec2.describe_launch_template_versions(LaunchTemplateId=template_id, Versions=["2"])
    assert version["LaunchTemplateVersions"][0]["LaunchTemplateData"]["UserData"] == USER_DATA


def test_malformed_user_data_is_refused(emulator: Emulator, unique: Callable[[str], str]) -> None:
    ec2 = emulator.client("ec2")
    template_id = launch_template(emulator, unique("ud-bad"))
    with pytest.raises(botocore.exceptions.ClientError):
        ec2.create_launch_template_version(LaunchTemplateId=template_id, LaunchTemplateData={"UserData": "not base64!"})


def test_gap_group_on_version_2_fails(bare_emulator: Emulator, unique: Callable[[str], str]) -> None:
    name = unique("ud")
    template_id = launch_template(bare_emulator, name)
    new_version(bare_emulator, template_id)
    subnet_id = subnet(bare_emulator, "10.61")
    assert server_error(lambda: group(bare_emulator, name, template_id, subnet_id, version="2"))
