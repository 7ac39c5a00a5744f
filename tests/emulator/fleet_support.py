"""Helpers for the aws_fleet shim tests: a launch template and an Auto Scaling group on it."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import botocore.exceptions
import botocore.parsers

from .support import Emulator

USER_DATA = base64.b64encode(b"#!/bin/bash\necho fleet\n").decode()


def template_data(instance_type: str = "t3.micro") -> dict[str, Any]:
    return {
        "ImageId": "ami-0a5c1e7b3f2d40927",
        "InstanceType": instance_type,
        "UserData": USER_DATA,
        "MetadataOptions": {"HttpTokens": "required", "HttpPutResponseHopLimit": 2},
        "TagSpecifications": [{"ResourceType": "volume", "Tags": [{"Key": "Name", "Value": "fleet"}]}],
    }


def launch_template(emu: Emulator, name: str) -> str:
    """A launch template tagged Name=<name> (its own tags); returns its id."""
    return emu.client("ec2").create_launch_template(
        LaunchTemplateName=name,
        LaunchTemplateData=template_data(),
        TagSpecifications=[{"ResourceType": "launch-template", "Tags": [{"Key": "Name", "Value": name}]}],
    )["LaunchTemplate"]["LaunchTemplateId"]


def new_version(emu: Emulator, template_id: str, instance_type: str = "t3.small") -> str:
    return str(
        emu.client("ec2").create_launch_template_version(
            LaunchTemplateId=template_id, LaunchTemplateData=template_data(instance_type)
        )["LaunchTemplateVersion"]["VersionNumber"]
    )


def subnet(emu: Emulator, cidr: str) -> str:
    ec2 = emu.client("ec2")
    vpc = ec2.create_vpc(CidrBlock=f"{cidr}.0.0/16")["Vpc"]["VpcId"]
    return ec2.create_subnet(VpcId=vpc, CidrBlock=f"{cidr}.1.0/24", AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]


def group(emu: Emulator, name: str, template_id: str, subnet_id: str, version: str = "1", **extra: Any) -> None:
    """An Auto Scaling group of two instances on the template version."""
    emu.client("autoscaling").create_auto_scaling_group(
        AutoScalingGroupName=name,
        MinSize=2,
        MaxSize=4,
        DesiredCapacity=2,
        VPCZoneIdentifier=subnet_id,
        LaunchTemplate={"LaunchTemplateId": template_id, "Version": version},
        **extra,
    )


def describe_group(emu: Emulator, name: str) -> dict[str, Any]:
    return emu.client("autoscaling").describe_auto_scaling_groups(AutoScalingGroupNames=[name])["AutoScalingGroups"][0]


def use_version(emu: Emulator, name: str, template_id: str, version: str) -> None:
    emu.client("autoscaling").update_auto_scaling_group(
        AutoScalingGroupName=name, LaunchTemplate={"LaunchTemplateId": template_id, "Version": version}
    )


def server_error(call: Callable[[], Any]) -> bool:
    """True when moto answers the call with HTTP 500 (an action it does not implement or a crash)."""
    try:
        call()
    except botocore.parsers.ResponseParserError as exc:  # moto's HTML error page
        return "500 Internal Server Error" in str(exc)
    except botocore.exceptions.ClientError as exc:
        return exc.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    return False
