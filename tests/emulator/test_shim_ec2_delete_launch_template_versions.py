"""Shim ec2_delete_launch_template_versions: DeleteLaunchTemplateVersions, as on AWS."""

from __future__ import annotations

from collections.abc import Callable

import botocore.exceptions
import pytest

from .fleet_support import launch_template, new_version, server_error
from .support import Emulator

pytestmark = pytest.mark.emulator


def test_deletes_versions_but_not_the_default(emulator: Emulator, unique: Callable[[str], str]) -> None:
    ec2 = emulator.client("ec2")
    template_id = launch_template(emulator, unique("ltv"))
    new_version(emulator, template_id)
    new_version(emulator, template_id, "t3.medium")
    reply = ec2.delete_launch_template_versions(LaunchTemplateId=template_id, Versions=["1", "3", "9"])
    assert [v["VersionNumber"] for v in reply["SuccessfullyDeletedLaunchTemplateVersions"]] == [3]
    failed = {
        v["VersionNumber"]: v["ResponseError"]["Code"] for v in reply["UnsuccessfullyDeletedLaunchTemplateVersions"]
    }
    assert failed == {1: "unexpectedError", 9: "launchTemplateVersionDoesNotExist"}

    versions = ec2.describe_launch_template_versions(LaunchTemplateId=template_id)["LaunchTemplateVersions"]
    assert sorted(v["VersionNumber"] for v in versions) == [1, 2]
    template = ec2.describe_launch_templates(LaunchTemplateIds=[template_id])["LaunchTemplates"][0]
    assert template["LatestVersionNumber"] == 2
    with pytest.raises(botocore.exceptions.ClientError):
        ec2.describe_launch_template_versions(LaunchTemplateId=template_id, Versions=["3"])
    # Numbers are never reused.
    assert new_version(emulator, template_id) == "4"


def test_gap_not_implemented(bare_emulator: Emulator, unique: Callable[[str], str]) -> None:
    template_id = launch_template(bare_emulator, unique("ltv"))
    new_version(bare_emulator, template_id)
    ec2 = bare_emulator.client("ec2")
    assert server_error(lambda: ec2.delete_launch_template_versions(LaunchTemplateId=template_id, Versions=["2"]))
