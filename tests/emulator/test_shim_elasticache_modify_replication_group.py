"""Shim elasticache_modify_replication_group: every modification applies; replica counts change."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from .elasticache_support import TOKEN, describe, error_code, members, network, replication_group
from .fleet_support import server_error
from .support import Emulator

pytestmark = pytest.mark.emulator


def test_modifications_reach_the_group_and_its_clusters(emulator: Emulator, unique: Callable[[str], str]) -> None:
    name = unique("modify")
    replication_group(emulator, name, AuthToken=None)
    _, other_sg = network(emulator)
    elasticache = emulator.client("elasticache")
    elasticache.create_cache_parameter_group(
        CacheParameterGroupName=name, CacheParameterGroupFamily="redis7", Description="d"
    )
    assert describe(emulator, name)["AuthTokenEnabled"] is False

    elasticache.modify_replication_group(
        ReplicationGroupId=name,
        ApplyImmediately=True,
        CacheParameterGroupName=name,
        SecurityGroupIds=[other_sg],
        EngineVersion="7.2",
        SnapshotWindow="01:00-02:00",
        PreferredMaintenanceWindow="mon:01:00-mon:02:00",
        CacheNodeType="cache.t4g.small",
        AutoMinorVersionUpgrade=False,
        AuthToken=TOKEN,
        AuthTokenUpdateStrategy="ROTATE",
    )

    group = describe(emulator, name)
    assert group["CacheNodeType"] == "cache.t4g.small"
    assert group["SnapshotWindow"] == "01:00-02:00"
    assert group["AuthTokenEnabled"] is True
    for cluster in members(emulator, name):
        assert cluster["CacheParameterGroup"]["CacheParameterGroupName"] == name
        assert [sg["SecurityGroupId"] for sg in cluster["SecurityGroups"]] == [other_sg]
        assert cluster["EngineVersion"] == "7.2.0"
        assert cluster["PreferredMaintenanceWindow"] == "mon:01:00-mon:02:00"
        assert cluster["CacheNodeType"] == "cache.t4g.small"
        assert cluster["AutoMinorVersionUpgrade"] is False


def test_replica_counts(emulator: Emulator, unique: Callable[[str], str]) -> None:
    name = unique("replicas")
    replication_group(emulator, name)
    elasticache = emulator.client("elasticache")

    elasticache.increase_replica_count(ReplicationGroupId=name, NewReplicaCount=3, ApplyImmediately=True)
    assert len(members(emulator, name)) == 4

    # The last replica stays while automatic failover is on.
    decrease = lambda count: elasticache.decrease_replica_count(  # noqa: E731
        ReplicationGroupId=name, NewReplicaCount=count, ApplyImmediately=True
    )
    assert error_code(lambda: decrease(0)) == "InvalidParameterCombination"
    elasticache.modify_replication_group(
        ReplicationGroupId=name, ApplyImmediately=True, AutomaticFailoverEnabled=False, MultiAZEnabled=False
    )
    decrease(0)
    group = describe(emulator, name)
    assert group["MemberClusters"] == [f"{name}-001"]
    assert (
        error_code(lambda: elasticache.describe_cache_clusters(CacheClusterId=f"{name}-002")) == "CacheClusterNotFound"
    )
    # Automatic failover needs a replica again.
    enable = lambda: elasticache.modify_replication_group(  # noqa: E731
        ReplicationGroupId=name, ApplyImmediately=True, AutomaticFailoverEnabled=True
    )
    assert error_code(enable) == "InvalidParameterCombination"
    assert error_code(
        lambda: elasticache.increase_replica_count(ReplicationGroupId=name, NewReplicaCount=6, ApplyImmediately=True)
    ) == ("InvalidParameterValue")


def test_a_group_being_created_is_not_modified(emulator: Emulator, unique: Callable[[str], str]) -> None:
    emulator.post("/_appstack/latency", {"elasticache_replication_group": 60})
    name = unique("busy")
    replication_group(emulator, name)
    elasticache = emulator.client("elasticache")
    modify = lambda: elasticache.modify_replication_group(  # noqa: E731
        ReplicationGroupId=name, ApplyImmediately=True, CacheNodeType="cache.t4g.small"
    )
    assert error_code(modify) == "InvalidReplicationGroupState"
    emulator.post("/_appstack/latency", {})
    assert error_code(modify) is None


def test_gap_modifications_ignored(bare_emulator: Emulator, unique: Callable[[str], str]) -> None:
    name = unique("modify")
    replication_group(bare_emulator, name)
    elasticache = bare_emulator.client("elasticache")
    assert server_error(
        lambda: elasticache.increase_replica_count(ReplicationGroupId=name, NewReplicaCount=2, ApplyImmediately=True)
    )
    # A group still being created is modified, and an unknown parameter group is accepted.
    bare_emulator.post("/_appstack/latency", {"elasticache_replication_group": 60})
    busy = unique("busy")
    replication_group(bare_emulator, busy)
    assert describe(bare_emulator, busy)["Status"] == "creating"
    modify = lambda: elasticache.modify_replication_group(  # noqa: E731
        ReplicationGroupId=busy, ApplyImmediately=True, CacheParameterGroupName="no-such-group"
    )
    assert error_code(modify) is None
