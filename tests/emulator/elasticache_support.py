"""Helpers for the ElastiCache shim tests: a VPC with two subnets, a subnet group, a replication group."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import botocore.exceptions

from .support import Emulator

_CIDRS = itertools.count(1)
TOKEN = "emulator-test-token-0123456789"


def network(emu: Emulator) -> tuple[list[str], str]:
    """A fresh VPC (10.8x.0.0/16) with subnets in us-east-1a and us-east-1b and a security group."""
    ec2 = emu.client("ec2")
    prefix = f"10.{80 + next(_CIDRS) % 100}"
    vpc = ec2.create_vpc(CidrBlock=f"{prefix}.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"{prefix}.{i}.0/24", AvailabilityZone=zone)["Subnet"]["SubnetId"]
        for i, zone in enumerate(["us-east-1a", "us-east-1b"], start=1)
    ]
    sg = ec2.create_security_group(GroupName=f"redis-{prefix}", Description="redis", VpcId=vpc)["GroupId"]
    return subnets, sg


def subnet_group(emu: Emulator, name: str) -> tuple[list[str], str]:
    """A subnet group over a fresh network; returns its subnets and security group."""
    subnets, sg = network(emu)
    emu.client("elasticache").create_cache_subnet_group(
        CacheSubnetGroupName=name, CacheSubnetGroupDescription=name, SubnetIds=subnets
    )
    return subnets, sg


def replication_group(emu: Emulator, name: str, **kwargs: Any) -> dict[str, Any]:
    """A cluster-mode-disabled group in its own subnet group (made unless it exists); returns the reply."""
    elasticache = emu.client("elasticache")
    try:
        vpc = elasticache.describe_cache_subnet_groups(CacheSubnetGroupName=name)["CacheSubnetGroups"][0]["VpcId"]
        sg = emu.client("ec2").describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc]}])
        sg = next(g["GroupId"] for g in sg["SecurityGroups"] if g["GroupName"] != "default")
    except botocore.exceptions.ClientError:
        _, sg = subnet_group(emu, name)
    request = {
        "ReplicationGroupId": name,
        "ReplicationGroupDescription": "shim test",
        "Engine": "redis",
        "EngineVersion": "7.1",
        "CacheNodeType": "cache.t4g.micro",
        "NumCacheClusters": 2,
        "AutomaticFailoverEnabled": True,
        "MultiAZEnabled": True,
        "CacheSubnetGroupName": name,
        "SecurityGroupIds": [sg],
        "TransitEncryptionEnabled": True,
        "AtRestEncryptionEnabled": True,
        "AuthToken": TOKEN,
        **kwargs,
    }
    # None leaves a setting out.
    request = {key: value for key, value in request.items() if value is not None}
    return emu.client("elasticache").create_replication_group(**request)["ReplicationGroup"]


def describe(emu: Emulator, name: str) -> dict[str, Any]:
    return emu.client("elasticache").describe_replication_groups(ReplicationGroupId=name)["ReplicationGroups"][0]


def members(emu: Emulator, name: str) -> list[dict[str, Any]]:
    """The group's member clusters as DescribeCacheClusters shows them."""
    elasticache = emu.client("elasticache")
    return [
        elasticache.describe_cache_clusters(CacheClusterId=member)["CacheClusters"][0]
        for member in describe(emu, name)["MemberClusters"]
    ]


def error_code(call: Callable[[], Any]) -> str | None:
    """The error code AWS (or moto) answers the call with; None when it succeeds."""
    try:
        call()
    except botocore.exceptions.ClientError as exc:
        return exc.response["Error"]["Code"]
    return None
