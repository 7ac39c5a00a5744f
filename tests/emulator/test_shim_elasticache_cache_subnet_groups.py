"""Shim elasticache_cache_subnet_groups: Modify/DeleteCacheSubnetGroup and subnet zones."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from .elasticache_support import error_code, replication_group, subnet_group
from .fleet_support import server_error
from .support import Emulator

pytestmark = pytest.mark.emulator


def describe(emu: Emulator, name: str) -> dict:
    return emu.client("elasticache").describe_cache_subnet_groups(CacheSubnetGroupName=name)["CacheSubnetGroups"][0]


def test_modify_and_delete(emulator: Emulator, unique: Callable[[str], str]) -> None:
    name = unique("subnets")
    subnets, _ = subnet_group(emulator, name)
    elasticache = emulator.client("elasticache")
    arn = describe(emulator, name)["ARN"]
    elasticache.add_tags_to_resource(ResourceName=arn, Tags=[{"Key": "Project", "Value": "p"}])
    assert [s["SubnetAvailabilityZone"] for s in describe(emulator, name)["Subnets"]] == [
        {"Name": "us-east-1a"},
        {"Name": "us-east-1b"},
    ]

    elasticache.modify_cache_subnet_group(
        CacheSubnetGroupName=name, SubnetIds=subnets[:1], CacheSubnetGroupDescription="one"
    )

    group = describe(emulator, name)
    assert [s["SubnetIdentifier"] for s in group["Subnets"]] == subnets[:1]
    assert group["CacheSubnetGroupDescription"] == "one"
    assert group["ARN"] == arn
    assert elasticache.list_tags_for_resource(ResourceName=arn)["TagList"] == [{"Key": "Project", "Value": "p"}]

    elasticache.delete_cache_subnet_group(CacheSubnetGroupName=name)
    assert error_code(lambda: describe(emulator, name)) == "CacheSubnetGroupNotFoundFault"
    assert error_code(lambda: elasticache.delete_cache_subnet_group(CacheSubnetGroupName=name)) == (
        "CacheSubnetGroupNotFoundFault"
    )


def test_a_group_in_use_stays(emulator: Emulator, unique: Callable[[str], str]) -> None:
    name = unique("used")
    replication_group(emulator, name)
    elasticache = emulator.client("elasticache")
    assert (
        error_code(lambda: elasticache.delete_cache_subnet_group(CacheSubnetGroupName=name)) == "CacheSubnetGroupInUse"
    )
    elasticache.delete_replication_group(ReplicationGroupId=name)
    elasticache.delete_cache_subnet_group(CacheSubnetGroupName=name)  # free once the group is gone


def test_gap_not_implemented(bare_emulator: Emulator, unique: Callable[[str], str]) -> None:
    name = unique("subnets")
    subnets, _ = subnet_group(bare_emulator, name)
    elasticache = bare_emulator.client("elasticache")
    assert describe(bare_emulator, name)["Subnets"][0]["SubnetAvailabilityZone"] == {}
    assert server_error(lambda: elasticache.modify_cache_subnet_group(CacheSubnetGroupName=name, SubnetIds=subnets[:1]))
    assert server_error(lambda: elasticache.delete_cache_subnet_group(CacheSubnetGroupName=name))
