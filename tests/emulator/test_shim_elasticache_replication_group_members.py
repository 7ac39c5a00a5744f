"""Shim elasticache_replication_group_members: NumCacheClusters, member clusters, reader endpoint, rules."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from appstack_emulator.shims.elasticache_replication_group_members import default_parameter_group, engine_version

from .elasticache_support import TOKEN, describe, error_code, members, replication_group
from .support import Emulator

pytestmark = pytest.mark.emulator


@pytest.mark.parametrize(("asked", "reported"), [("7.1", "7.1.0"), ("7", "7.0.0"), ("7.1.0", "7.1.0"), (None, "7.1.0")])
def test_engine_version(asked: str | None, reported: str) -> None:
    assert engine_version(asked) == reported


@pytest.mark.parametrize(
    ("engine", "version", "group"),
    [
        ("redis", "7.1.0", "default.redis7"),
        ("redis", "6.2.6", "default.redis6.x"),
        ("valkey", "8.0.0", "default.valkey8"),
    ],
)
def test_default_parameter_group(engine: str, version: str, group: str) -> None:
    assert default_parameter_group(engine, version) == group


def test_clusters_carry_the_group_settings(emulator: Emulator, unique: Callable[[str], str]) -> None:
    name = unique("members")
    replication_group(emulator, name, NumCacheClusters=3, PreferredMaintenanceWindow="Sun:04:30-Sun:05:30")

    group = describe(emulator, name)
    clusters = members(emulator, name)

    assert group["MemberClusters"] == [f"{name}-001", f"{name}-002", f"{name}-003"]
    roles = [m["CurrentRole"] for m in group["NodeGroups"][0]["NodeGroupMembers"]]
    assert roles == ["primary", "replica", "replica"]
    assert group["NodeGroups"][0]["ReaderEndpoint"]["Address"].startswith(f"replica.{name}.")
    assert group["NodeGroups"][0]["ReaderEndpoint"]["Port"] == 6379
    assert {c["ReplicationGroupId"] for c in clusters} == {name}
    assert {c["EngineVersion"] for c in clusters} == {"7.1.0"}
    assert {c["CacheParameterGroup"]["CacheParameterGroupName"] for c in clusters} == {"default.redis7"}
    assert {c["CacheSubnetGroupName"] for c in clusters} == {name}
    assert {c["PreferredMaintenanceWindow"] for c in clusters} == {"sun:04:30-sun:05:30"}
    assert all(c["TransitEncryptionEnabled"] and c["AtRestEncryptionEnabled"] for c in clusters)
    assert all(len(c["SecurityGroups"]) == 1 for c in clusters)
    # Spread over the subnet group's zones.
    assert [c["PreferredAvailabilityZone"] for c in clusters] == ["us-east-1a", "us-east-1b", "us-east-1a"]


def test_preferred_zones_and_replicas_per_node_group(emulator: Emulator, unique: Callable[[str], str]) -> None:
    name = unique("zones")
    replication_group(
        emulator,
        name,
        NumCacheClusters=None,
        ReplicasPerNodeGroup=1,
        PreferredCacheClusterAZs=["us-east-1b", "us-east-1a"],
    )
    assert [c["PreferredAvailabilityZone"] for c in members(emulator, name)] == ["us-east-1b", "us-east-1a"]


@pytest.mark.parametrize(
    ("request_overrides", "code"),
    [
        pytest.param({"NumCacheClusters": 1}, "InvalidParameterCombination", id="failover-needs-a-replica"),
        pytest.param({"AutomaticFailoverEnabled": False}, "InvalidParameterCombination", id="multi-az-needs-failover"),
        pytest.param({"TransitEncryptionEnabled": False}, "InvalidParameterCombination", id="token-needs-tls"),
        pytest.param({"NumCacheClusters": 7}, "InvalidParameterValue", id="at-most-six"),
    ],
)
def test_rules_of_aws(emulator: Emulator, unique: Callable[[str], str], request_overrides: dict, code: str) -> None:
    name = unique("rules")
    assert error_code(lambda: replication_group(emulator, name, **request_overrides)) == code
    assert error_code(lambda: describe(emulator, name)) == "ReplicationGroupNotFoundFault"


def test_gap_one_cluster_and_no_members(bare_emulator: Emulator, unique: Callable[[str], str]) -> None:
    name = unique("members")
    replication_group(bare_emulator, name, NumCacheClusters=3, AuthToken=TOKEN)
    group = describe(bare_emulator, name)
    assert group["MemberClusters"] == [f"{name}-001"]
    assert "ReaderEndpoint" not in group["NodeGroups"][0]
    elasticache = bare_emulator.client("elasticache")
    assert (
        error_code(lambda: elasticache.describe_cache_clusters(CacheClusterId=f"{name}-001")) == "CacheClusterNotFound"
    )
    # Accepted although AWS refuses automatic failover with one cluster.
    assert error_code(lambda: replication_group(bare_emulator, unique("rules"), NumCacheClusters=1)) is None
