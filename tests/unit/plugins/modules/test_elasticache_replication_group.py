"""Unit tests for appstack.cloud.elasticache_replication_group: a stubbed ElastiCache client, no network."""

from __future__ import annotations

import copy
import json
from typing import Any
from unittest import mock

import pytest
from ansible_collections.appstack.cloud.plugins.modules import elasticache_replication_group as mod

from tests.unit.conftest import ElastiCacheTags, client_error

GROUP_ID = "civstart-test-redis"
ARN = f"arn:aws:elasticache:us-east-1:123456789012:replicationgroup:{GROUP_ID}"
TOKEN = "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6"
DOMAIN = f"{GROUP_ID}.abc123.use1.cache.amazonaws.com"


class StubElastiCache(ElastiCacheTags):
    """The replication group calls over one stored group (as AWS returns it) and its primary.

    ``statuses``: the statuses the group reports on its next describes (then ``available``);
    ``deleted_after``: describes a deleted group still answers (``deleting``) before it is gone.
    """

    def __init__(self, group: dict[str, Any] | None = None, primary: dict[str, Any] | None = None, tags=None):
        self.group = copy.deepcopy(group)
        self.primary = copy.deepcopy(primary)
        self.tags: dict[str, str] = dict(tags or {})
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.statuses: list[str] = []
        self.deleted_after = 0

    def names(self) -> list[str]:
        return [name for name, _ in self.calls]

    def kwargs(self, name: str) -> dict[str, Any]:
        return next(kwargs for called, kwargs in self.calls if called == name)

    # -- reads
    def describe_replication_groups(self, ReplicationGroupId: str, aws_retry: bool = False):
        self.calls.append(("describe_replication_groups", {}))
        if self.group is None or self.group["ReplicationGroupId"] != ReplicationGroupId:
            raise client_error("ReplicationGroupNotFoundFault", "DescribeReplicationGroups")
        if self.group["Status"] == "deleting":
            if self.deleted_after <= 0:
                self.group = None
                raise client_error("ReplicationGroupNotFoundFault", "DescribeReplicationGroups")
            self.deleted_after -= 1
        elif self.statuses:
            self.group["Status"] = self.statuses.pop(0)
        else:
            self.group["Status"] = "available"
        return {"ReplicationGroups": [copy.deepcopy(self.group)]}

    def describe_cache_clusters(self, CacheClusterId: str, aws_retry: bool = False):
        self.calls.append(("describe_cache_clusters", {"CacheClusterId": CacheClusterId}))
        if self.primary is None or self.primary["CacheClusterId"] != CacheClusterId:
            raise client_error("CacheClusterNotFound", "DescribeCacheClusters")
        return {"CacheClusters": [copy.deepcopy(self.primary)]}

    # -- writes
    def create_replication_group(self, aws_retry: bool = False, **kwargs: Any):
        self.calls.append(("create_replication_group", kwargs))
        self.group, self.primary = make_group(
            replicas=kwargs["NumCacheClusters"] - 1,
            failover=kwargs["AutomaticFailoverEnabled"],
            multi_az=kwargs["MultiAZEnabled"],
            node_type=kwargs["CacheNodeType"],
            auth="AuthToken" in kwargs,
        )
        self.group["Status"] = "creating"
        self.tags = {t["Key"]: t["Value"] for t in kwargs.get("Tags", [])}
        return {"ReplicationGroup": copy.deepcopy(self.group)}

    def modify_replication_group(self, aws_retry: bool = False, **kwargs: Any):
        self.calls.append(("modify_replication_group", kwargs))
        assert self.group["Status"] == "available", "AWS modifies available groups only"
        if "CacheNodeType" in kwargs:
            self.group["CacheNodeType"] = kwargs["CacheNodeType"]
        if "AutomaticFailoverEnabled" in kwargs:
            self.group["AutomaticFailover"] = "enabled" if kwargs["AutomaticFailoverEnabled"] else "disabled"
        if "MultiAZEnabled" in kwargs:
            self.group["MultiAZ"] = "enabled" if kwargs["MultiAZEnabled"] else "disabled"
        if "AuthToken" in kwargs:
            self.group["AuthTokenEnabled"] = True
        self.group["Status"] = "modifying"
        self.statuses = ["modifying"]
        return {"ReplicationGroup": copy.deepcopy(self.group)}

    def _replicas(self, name: str, count: int) -> dict[str, Any]:
        self.calls.append((name, {"NewReplicaCount": count}))
        assert self.group["Status"] == "available", "AWS changes replicas of available groups only"
        self.group["MemberClusters"] = [f"{GROUP_ID}-{i:03d}" for i in range(1, count + 2)]
        self.group["Status"] = "modifying"
        self.statuses = ["modifying"]
        return {"ReplicationGroup": copy.deepcopy(self.group)}

    def increase_replica_count(self, aws_retry: bool = False, **kwargs: Any):
        return self._replicas("increase_replica_count", kwargs["NewReplicaCount"])

    def decrease_replica_count(self, aws_retry: bool = False, **kwargs: Any):
        return self._replicas("decrease_replica_count", kwargs["NewReplicaCount"])

    def delete_replication_group(self, aws_retry: bool = False, **kwargs: Any):
        self.calls.append(("delete_replication_group", kwargs))
        assert self.group["Status"] == "available", "AWS deletes available groups only"
        self.group["Status"] = "deleting"
        return {"ReplicationGroup": copy.deepcopy(self.group)}


def make_group(
    replicas: int = 1,
    failover: bool = True,
    multi_az: bool = True,
    node_type: str = "cache.t4g.small",
    auth: bool = True,
    cluster_enabled: bool = False,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A group and its primary cluster as AWS describes them."""
    members = [f"{GROUP_ID}-{i:03d}" for i in range(1, replicas + 2)]
    group = {
        "ReplicationGroupId": GROUP_ID,
        "Description": "Redis of civstart-test",
        "Status": "available",
        "MemberClusters": members,
        "NodeGroups": [
            {
                "NodeGroupId": "0001",
                "PrimaryEndpoint": {"Address": f"master.{DOMAIN}", "Port": 6379},
                "ReaderEndpoint": {"Address": f"replica.{DOMAIN}", "Port": 6379},
                "NodeGroupMembers": [
                    {"CacheClusterId": m, "CurrentRole": "primary" if i == 0 else "replica"}
                    for i, m in enumerate(members)
                ],
            }
        ],
        "AutomaticFailover": "enabled" if failover else "disabled",
        "MultiAZ": "enabled" if multi_az else "disabled",
        "SnapshotRetentionLimit": 7,
        "SnapshotWindow": "03:00-04:00",
        "ClusterEnabled": cluster_enabled,
        "CacheNodeType": node_type,
        "AuthTokenEnabled": auth,
        "TransitEncryptionEnabled": True,
        "AtRestEncryptionEnabled": True,
        "ARN": ARN,
        "AutoMinorVersionUpgrade": True,
        "Engine": "redis",
    }
    primary = {
        "CacheClusterId": members[0],
        "EngineVersion": "7.1.0",
        "PreferredMaintenanceWindow": "sun:04:30-sun:05:30",
        "CacheParameterGroup": {"CacheParameterGroupName": GROUP_ID, "ParameterApplyStatus": "in-sync"},
        "CacheSubnetGroupName": GROUP_ID,
        "SecurityGroups": [{"SecurityGroupId": "sg-2", "Status": "active"}, {"SecurityGroupId": "sg-1"}],
    }
    return group, primary


def params(**overrides: Any) -> dict[str, Any]:
    """The module's parameters as the role passes them (defaults as in argument_spec)."""
    base = {
        "replication_group_id": GROUP_ID,
        "state": "present",
        "description": "Redis of civstart-test",
        "engine": "redis",
        "engine_version": "7.1",
        "cache_node_type": "cache.t4g.small",
        "replicas": 1,
        "automatic_failover": True,
        "multi_az": True,
        "port": 6379,
        "cache_parameter_group_name": GROUP_ID,
        "cache_subnet_group_name": GROUP_ID,
        "security_group_ids": ["sg-1", "sg-2"],
        "preferred_cache_cluster_azs": None,
        "snapshot_retention_limit": 7,
        "snapshot_window": "03:00-04:00",
        "preferred_maintenance_window": "Sun:04:30-Sun:05:30",
        "auto_minor_version_upgrade": None,
        "transit_encryption_enabled": True,
        "at_rest_encryption_enabled": True,
        "kms_key_id": None,
        "auth_token": TOKEN,
        "auth_token_update_strategy": None,
        "apply_immediately": True,
        "final_snapshot_identifier": None,
        "tags": {"Project": "civstart", "Component": "redis"},
        "purge_tags": True,
        "wait": True,
        "wait_timeout": 600,
    }
    base.update(overrides)
    return base


class Clock:
    """A clock that moves only when the module sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps = 0

    def sleep(self, seconds: float) -> None:
        self.sleeps += 1
        self.now += seconds

    def __call__(self) -> float:
        return self.now


def runner(client: StubElastiCache, check_mode: bool = False, **overrides: Any) -> tuple[mod.Runner, Clock]:
    clock = Clock()
    return mod.Runner(client, params(**overrides), check_mode, sleep=clock.sleep, clock=clock), clock


def existing(**group_args: Any) -> StubElastiCache:
    group, primary = make_group(**group_args)
    return StubElastiCache(group, primary, tags={"Project": "civstart", "Component": "redis"})


WRITES = {
    "create_replication_group",
    "modify_replication_group",
    "increase_replica_count",
    "decrease_replica_count",
    "delete_replication_group",
    "add_tags_to_resource",
    "remove_tags_from_resource",
}


# -- validation ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        pytest.param({"replicas": 6}, "between 0 and 5", id="too-many-replicas"),
        pytest.param({"replicas": 0, "multi_az": False}, "at least one replica", id="failover-without-replica"),
        pytest.param(
            {"automatic_failover": False}, "multi_az needs automatic_failover", id="multi-az-without-failover"
        ),
        pytest.param({"transit_encryption_enabled": False}, "needs transit_encryption", id="token-without-tls"),
        pytest.param({"auth_token": "short-token"}, "16 to 128", id="token-too-short"),
        pytest.param({"auth_token": "has spaces and @ signs in it!"}, "16 to 128", id="token-bad-characters"),
        pytest.param({"auth_token": None, "auth_token_update_strategy": "rotate"}, "needs auth_token", id="strategy"),
        pytest.param({"replication_group_id": "1redis"}, "starting with a letter", id="id-digit"),
        pytest.param({"replication_group_id": "a--b"}, "single hyphens", id="id-double-hyphen"),
        pytest.param({"replication_group_id": "a" * 41}, "1 to 40", id="id-too-long"),
    ],
)
def test_invalid_parameters_fail_before_any_call(overrides, message):
    client = StubElastiCache()
    run, _ = runner(client, **overrides)
    with pytest.raises(mod.ModuleError, match=message) as caught:
        run.run()
    assert TOKEN not in str(caught.value)
    assert client.calls == []


# -- create ----------------------------------------------------------------------------------
def test_create_in_check_mode_plans_and_calls_nothing():
    client = StubElastiCache()
    run, _ = runner(client, check_mode=True)

    outcome = run.run()

    assert outcome["changed"] is True
    assert outcome["changes"] == ["replication_group"]
    assert outcome["planned"]["status"] == "creating"
    assert outcome["planned"]["auth_token_enabled"] is True
    assert not WRITES & set(client.names())


@pytest.mark.parametrize(("wait", "sleeps"), [(True, 2), (False, 0)])
def test_create_sends_the_settings_and_waits_when_asked(wait, sleeps):
    client = StubElastiCache()
    client.statuses = ["creating", "creating"]
    run, clock = runner(client, replicas=2, wait=wait)

    outcome = run.run()

    request = client.kwargs("create_replication_group")
    assert request["NumCacheClusters"] == 3
    assert request["AutomaticFailoverEnabled"] is True
    assert request["MultiAZEnabled"] is True
    assert request["TransitEncryptionEnabled"] is True
    assert request["AtRestEncryptionEnabled"] is True
    assert request["AuthToken"] == TOKEN
    assert request["EngineVersion"] == "7.1"
    assert request["SecurityGroupIds"] == ["sg-1", "sg-2"]
    assert request["Tags"] == [{"Key": "Project", "Value": "civstart"}, {"Key": "Component", "Value": "redis"}]
    assert "KmsKeyId" not in request
    assert outcome["changed"] is True
    assert clock.sleeps == sleeps
    assert outcome["group"]["Status"] == ("available" if wait else "creating")


def test_create_needs_a_node_type():
    client = StubElastiCache()
    run, _ = runner(client, cache_node_type=None)
    with pytest.raises(mod.ModuleError, match="cache_node_type"):
        run.run()
    assert "create_replication_group" not in client.names()


# -- no-op and updates -----------------------------------------------------------------------
@pytest.mark.parametrize(
    "overrides",
    [
        pytest.param({}, id="all-settings-equal"),
        pytest.param({"security_group_ids": ["sg-2", "sg-1", "sg-1"]}, id="security-groups-any-order"),
        pytest.param({"engine_version": "7"}, id="major-version-prefix"),
        pytest.param({"engine_version": "7.1.0"}, id="full-version"),
        pytest.param({"description": None, "snapshot_window": None, "replicas": None}, id="unset-left-alone"),
        pytest.param({"tags": None}, id="tags-left-alone"),
    ],
)
def test_an_equal_group_is_not_changed(overrides):
    client = existing()
    run, _ = runner(client, **overrides)

    outcome = run.run()

    assert outcome["changed"] is False
    assert outcome["changes"] == []
    assert not WRITES & set(client.names())


@pytest.mark.parametrize(
    ("overrides", "key", "value"),
    [
        pytest.param({"cache_node_type": "cache.m7g.large"}, "CacheNodeType", "cache.m7g.large", id="node-type"),
        pytest.param({"description": "other"}, "ReplicationGroupDescription", "other", id="description"),
        pytest.param({"engine_version": "7.2"}, "EngineVersion", "7.2", id="engine-version"),
        pytest.param({"cache_parameter_group_name": "other"}, "CacheParameterGroupName", "other", id="parameter-group"),
        pytest.param({"security_group_ids": ["sg-3"]}, "SecurityGroupIds", ["sg-3"], id="security-groups"),
        pytest.param({"snapshot_retention_limit": 1}, "SnapshotRetentionLimit", 1, id="snapshot-retention"),
        pytest.param({"snapshot_window": "01:00-02:00"}, "SnapshotWindow", "01:00-02:00", id="snapshot-window"),
        pytest.param(
            {"preferred_maintenance_window": "mon:01:00-mon:02:00"},
            "PreferredMaintenanceWindow",
            "mon:01:00-mon:02:00",
            id="maintenance-window",
        ),
        pytest.param({"multi_az": False}, "MultiAZEnabled", False, id="multi-az-off"),
        pytest.param({"auto_minor_version_upgrade": False}, "AutoMinorVersionUpgrade", False, id="minor-upgrades"),
    ],
)
@pytest.mark.parametrize("check_mode", [False, True])
def test_one_setting_changes_with_one_modify(overrides, key, value, check_mode):
    client = existing()
    run, _ = runner(client, check_mode=check_mode, **overrides)

    outcome = run.run()

    assert outcome["changed"] is True
    assert len(outcome["changes"]) == 1
    if check_mode:
        assert not WRITES & set(client.names())
        return
    request = client.kwargs("modify_replication_group")
    assert request == {"ReplicationGroupId": GROUP_ID, "ApplyImmediately": True, key: value}
    assert [n for n in client.names() if n in WRITES] == ["modify_replication_group"]


def test_growing_adds_replicas_before_enabling_failover():
    client = existing(replicas=0, failover=False, multi_az=False)
    run, clock = runner(client, replicas=2)

    outcome = run.run()

    writes = [n for n in client.names() if n in WRITES]
    assert writes == ["increase_replica_count", "modify_replication_group"]
    assert client.kwargs("increase_replica_count") == {"NewReplicaCount": 2}
    modify = client.kwargs("modify_replication_group")
    assert modify["AutomaticFailoverEnabled"] is True and modify["MultiAZEnabled"] is True
    assert sorted(outcome["changes"]) == ["automatic_failover", "multi_az", "replicas"]
    # Waited for the replicas before the modification, and for the modification at the end.
    assert clock.sleeps >= 2
    assert client.group["Status"] == "available"


def test_shrinking_disables_failover_before_removing_replicas():
    client = existing(replicas=2)
    run, _ = runner(client, replicas=0, automatic_failover=False, multi_az=False)

    run.run()

    writes = [n for n in client.names() if n in WRITES]
    assert writes == ["modify_replication_group", "decrease_replica_count"]
    assert client.kwargs("decrease_replica_count") == {"NewReplicaCount": 0}


@pytest.mark.parametrize(("wait", "status"), [(True, "available"), (False, "creating")])
def test_an_unchanged_group_being_made_is_waited_for_when_asked(wait, status):
    client = existing()
    client.statuses = ["creating", "creating", "creating"]
    run, clock = runner(client, wait=wait)

    outcome = run.run()

    assert outcome["changed"] is False
    assert outcome["group"]["Status"] == status
    assert (clock.sleeps > 0) is wait
    assert not WRITES & set(client.names())


def test_a_busy_group_is_waited_for_before_it_is_modified():
    client = existing()
    client.statuses = ["creating", "creating", "creating"]
    run, clock = runner(client, cache_node_type="cache.m7g.large", wait=False)

    run.run()

    assert "modify_replication_group" in client.names()
    assert clock.sleeps >= 2


@pytest.mark.parametrize(
    ("overrides", "setting"),
    [
        pytest.param({"port": 6380}, "port", id="port"),
        pytest.param({"transit_encryption_enabled": False, "auth_token": None}, "transit_encryption_enabled", id="tls"),
        pytest.param({"at_rest_encryption_enabled": False}, "at_rest_encryption_enabled", id="at-rest"),
        pytest.param({"cache_subnet_group_name": "other"}, "cache_subnet_group_name", id="subnet-group"),
    ],
)
def test_settings_fixed_at_creation_fail_and_change_nothing(overrides, setting):
    client = existing()
    run, _ = runner(client, cache_node_type="cache.m7g.large", **overrides)

    with pytest.raises(mod.ModuleError, match=f"cannot be changed in place \\({setting}"):
        run.run()
    assert not WRITES & set(client.names())


def test_failover_cannot_stay_on_without_replicas():
    client = existing(replicas=1)
    run, _ = runner(client, replicas=0, automatic_failover=None, multi_az=None)

    with pytest.raises(mod.ModuleError, match="at least one replica"):
        run.run()
    assert not WRITES & set(client.names())


def test_cluster_mode_groups_are_refused():
    client = existing(cluster_enabled=True)
    run, _ = runner(client)
    with pytest.raises(mod.ModuleError, match="cluster mode"):
        run.run()


def test_a_group_being_deleted_is_not_recreated():
    client = existing()
    client.group["Status"] = "deleting"
    client.deleted_after = 5
    run, _ = runner(client)
    with pytest.raises(mod.ModuleError, match="being deleted"):
        run.run()
    assert not WRITES & set(client.names())


# -- auth token ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("auth_enabled", "strategy", "expected"),
    [
        pytest.param(True, None, None, id="token-assumed-current"),
        pytest.param(False, None, "ROTATE", id="token-added"),
        pytest.param(True, "rotate", "ROTATE", id="rotate"),
        pytest.param(True, "set", "SET", id="set"),
    ],
)
def test_auth_token(auth_enabled, strategy, expected):
    client = existing(auth=auth_enabled)
    run, _ = runner(client, auth_token_update_strategy=strategy)

    outcome = run.run()

    if expected is None:
        assert outcome["changed"] is False
        assert "modify_replication_group" not in client.names()
    else:
        assert outcome["changes"] == ["auth_token"]
        request = client.kwargs("modify_replication_group")
        assert request["AuthToken"] == TOKEN
        assert request["AuthTokenUpdateStrategy"] == expected
        assert "auth_token" not in outcome["diff"]["after"]


# -- tags ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("tags", "purge", "added", "removed"),
    [
        pytest.param({"Project": "civstart", "Component": "redis", "Owner": "ops"}, True, ["Owner"], [], id="add"),
        pytest.param({"Project": "other", "Component": "redis"}, True, ["Project"], [], id="update"),
        pytest.param({"Project": "civstart"}, True, [], ["Component"], id="purge"),
        pytest.param({"Project": "civstart"}, False, [], [], id="no-purge"),
    ],
)
def test_tags(tags, purge, added, removed):
    client = existing()
    run, _ = runner(client, tags=tags, purge_tags=purge)

    outcome = run.run()

    assert outcome["changed"] is bool(added or removed)
    assert ("tags" in outcome["changes"]) is bool(added or removed)
    sent = [t["Key"] for n, kw in client.calls if n == "add_tags_to_resource" for t in kw["Tags"]]
    dropped = [k for n, kw in client.calls if n == "remove_tags_from_resource" for k in kw["TagKeys"]]
    assert sent == added
    assert dropped == removed
    assert "modify_replication_group" not in client.names()


# -- delete ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("state_of_group", "check_mode", "changed", "deleted"),
    [
        pytest.param("available", False, True, True, id="delete"),
        pytest.param("available", True, True, False, id="delete-check-mode"),
        pytest.param("deleting", False, False, False, id="already-deleting"),
        pytest.param(None, False, False, False, id="already-absent"),
    ],
)
def test_absent(state_of_group, check_mode, changed, deleted):
    client = existing()
    if state_of_group is None:
        client.group = None
    else:
        client.group["Status"] = state_of_group
    client.deleted_after = 2
    run, clock = runner(client, check_mode=check_mode, state="absent", final_snapshot_identifier="last")

    outcome = run.run()

    assert outcome["changed"] is changed
    assert ("delete_replication_group" in client.names()) is deleted
    if deleted:
        assert client.kwargs("delete_replication_group") == {
            "ReplicationGroupId": GROUP_ID,
            "RetainPrimaryCluster": False,
            "FinalSnapshotIdentifier": "last",
        }
    if not check_mode and state_of_group is not None:
        assert client.group is None  # waited until it was gone
        assert outcome["group"] is None
        # The stub answers "deleting" twice more after the first look: one poll fewer when the
        # first look already saw the deletion.
        assert clock.sleeps == (2 if deleted else 1)


def test_a_busy_group_is_waited_for_before_it_is_deleted():
    client = existing()
    client.statuses = ["creating", "modifying"]
    run, clock = runner(client, state="absent", wait=False)

    outcome = run.run()

    assert outcome["changed"] is True
    assert "delete_replication_group" in client.names()
    assert outcome["group"]["Status"] == "deleting"
    assert clock.sleeps >= 1


# -- waiting ---------------------------------------------------------------------------------
def test_waiting_times_out():
    client = StubElastiCache()
    client.statuses = ["creating"] * 1000
    run, _ = runner(client, wait_timeout=30)

    with pytest.raises(mod.ModuleError, match=r"timed out after 30 s .*\(it is creating\)"):
        run.run()


def test_a_group_that_fails_to_create_stops_the_wait():
    client = StubElastiCache()
    client.statuses = ["creating", "create-failed"]
    run, _ = runner(client)

    with pytest.raises(mod.ModuleError, match="create-failed"):
        run.run()


# -- results and main() ----------------------------------------------------------------------
def test_result_has_endpoints_tags_and_a_diff():
    client = existing()
    outcome = runner(client, cache_node_type="cache.m7g.large", check_mode=True)[0].run()

    result = mod.module_result(client, outcome, diff_mode=True)

    assert result["primary_endpoint"] == {"address": f"master.{DOMAIN}", "port": 6379}
    assert result["reader_endpoint"] == {"address": f"replica.{DOMAIN}", "port": 6379}
    assert result["replication_group"]["tags"] == {"Project": "civstart", "Component": "redis"}
    assert result["diff"] == {
        "before": {"cache_node_type": "cache.t4g.small"},
        "after": {"cache_node_type": "cache.m7g.large"},
    }


@pytest.fixture
def run_main(run_main):
    """The shared run_main, without the seconds between two looks at the group."""
    with mock.patch.object(mod, "POLL_SECONDS", 0):
        yield run_main


@pytest.mark.parametrize(
    ("args", "stub", "changed", "failed"),
    [
        pytest.param({"replicas": 1, "automatic_failover": True}, StubElastiCache, True, False, id="create"),
        pytest.param({"_ansible_check_mode": True}, StubElastiCache, True, False, id="check-mode"),
        pytest.param({"replicas": 1, "multi_az": True, "automatic_failover": True}, existing, False, False, id="no-op"),
        pytest.param({"state": "absent"}, existing, True, False, id="delete"),
        pytest.param({"replicas": 9}, StubElastiCache, False, True, id="invalid"),
    ],
)
def test_main(args, stub, changed, failed, run_main):
    client = stub()
    base = {
        "replication_group_id": GROUP_ID.upper(),
        "description": "Redis of civstart-test",
        "engine_version": "7.1",
        "cache_node_type": "cache.t4g.small",
        "auth_token": TOKEN,
        "tags": {"Project": "civstart", "Component": "redis"},
    }

    output = run_main(mod, {**base, **args}, client)

    assert output.get("failed", False) is failed
    assert TOKEN not in json.dumps(output)
    if not failed:
        assert output["changed"] is changed
        assert set(output) >= {"replication_group", "primary_endpoint", "reader_endpoint", "changes"}


def test_main_reports_api_errors(run_main):
    client = StubElastiCache()
    client.create_replication_group = mock.Mock(side_effect=client_error("InsufficientCacheClusterCapacity", "Create"))

    output = run_main(mod, {"replication_group_id": GROUP_ID, "cache_node_type": "cache.t4g.small"}, client)

    assert output["failed"] is True
    assert "Could not manage replication group" in output["msg"]
