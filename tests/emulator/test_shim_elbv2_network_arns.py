"""Shim elbv2_network_arns: NLB ARNs say net/, as AWS's do (the CloudWatch dimension)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from .support import Emulator

pytestmark = pytest.mark.emulator


def _network_balancer(emu: Emulator, name: str, balancer_type: str = "network") -> tuple[Any, dict[str, Any]]:
    ec2 = emu.client("ec2")
    elbv2 = emu.client("elbv2")
    vpc = ec2.create_vpc(CidrBlock="10.77.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.77.{i}.0/24", AvailabilityZone=f"us-east-1{zone}")["Subnet"][
            "SubnetId"
        ]
        for i, zone in enumerate("ab", start=1)
    ]
    balancer = elbv2.create_load_balancer(
        Name=name, Subnets=subnets, Type=balancer_type, Tags=[{"Key": "Component", "Value": "load_balancer"}]
    )["LoadBalancers"][0]
    return elbv2, balancer


@pytest.mark.parametrize(("balancer_type", "segment"), [("network", "net"), ("application", "app")])
def test_load_balancer_arn_names_its_type(
    emulator: Emulator, unique: Callable[[str], str], balancer_type: str, segment: str
) -> None:
    elbv2, balancer = _network_balancer(emulator, unique("arn"), balancer_type)
    arn = balancer["LoadBalancerArn"]
    assert f":loadbalancer/{segment}/{balancer['LoadBalancerName']}/" in arn
    # The renamed balancer is found, tagged and listened on under its new ARN.
    assert elbv2.describe_load_balancers(LoadBalancerArns=[arn])["LoadBalancers"][0]["LoadBalancerArn"] == arn
    tags = elbv2.describe_tags(ResourceArns=[arn])["TagDescriptions"][0]["Tags"]
    assert tags == [{"Key": "Component", "Value": "load_balancer"}]
    listener = elbv2.create_listener(
        LoadBalancerArn=arn,
        Port=80,
        Protocol="TCP" if balancer_type == "network" else "HTTP",
        DefaultActions=[{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "200"}}]
        if balancer_type == "application"
        else [{"Type": "forward", "TargetGroupArn": _tcp_group(elbv2, balancer["VpcId"], unique("tg"))}],
    )["Listeners"][0]
    assert f":listener/{segment}/" in listener["ListenerArn"]
    elbv2.delete_load_balancer(LoadBalancerArn=arn)
    assert arn not in [lb["LoadBalancerArn"] for lb in elbv2.describe_load_balancers()["LoadBalancers"]]


def _tcp_group(elbv2: Any, vpc_id: str, name: str) -> str:
    return elbv2.create_target_group(Name=name, Protocol="TCP", Port=8080, VpcId=vpc_id, TargetType="ip")[
        "TargetGroups"
    ][0]["TargetGroupArn"]


def test_gap_moto_names_every_balancer_app(bare_emulator: Emulator, unique: Callable[[str], str]) -> None:
    _, balancer = _network_balancer(bare_emulator, unique("arn"))
    assert ":loadbalancer/app/" in balancer["LoadBalancerArn"]
