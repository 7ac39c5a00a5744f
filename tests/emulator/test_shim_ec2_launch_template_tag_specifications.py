"""Shim ec2_launch_template_tag_specifications: a template's own tags stay out of its data."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from .fleet_support import launch_template, template_data
from .support import Emulator

pytestmark = pytest.mark.emulator


def _stored_data(emu: Emulator, name: str) -> dict:
    template_id = launch_template(emu, name)
    ec2 = emu.client("ec2")
    return ec2.describe_launch_template_versions(LaunchTemplateId=template_id)["LaunchTemplateVersions"][0][
        "LaunchTemplateData"
    ]


def test_launch_data_is_what_was_sent(emulator: Emulator, unique: Callable[[str], str]) -> None:
    name = unique("lt-tags")
    data = _stored_data(emulator, name)
    assert data == template_data()
    template = emulator.client("ec2").describe_launch_templates(LaunchTemplateNames=[name])["LaunchTemplates"][0]
    assert template["Tags"] == [{"Key": "Name", "Value": name}]


def test_template_without_launch_tags_gets_no_tag_specifications(
    emulator: Emulator, unique: Callable[[str], str]
) -> None:
    ec2 = emulator.client("ec2")
    name = unique("lt-notags")
    template_id = ec2.create_launch_template(
        LaunchTemplateName=name,
        LaunchTemplateData={"InstanceType": "t3.micro"},
        TagSpecifications=[{"ResourceType": "launch-template", "Tags": [{"Key": "Name", "Value": name}]}],
    )["LaunchTemplate"]["LaunchTemplateId"]
    data = ec2.describe_launch_template_versions(LaunchTemplateId=template_id)["LaunchTemplateVersions"][0][
        "LaunchTemplateData"
    ]
    assert data == {"InstanceType": "t3.micro"}


def test_gap_moto_copies_the_template_tags_into_its_data(bare_emulator: Emulator, unique: Callable[[str], str]) -> None:
    name = unique("lt-tags")
    data = _stored_data(bare_emulator, name)
    assert {"ResourceType": "launch-template", "Tags": [{"Key": "Name", "Value": name}]} in data["TagSpecifications"]
    assert data != template_data()
