"""ElastiCache ModifyReplicationGroup, IncreaseReplicaCount and DecreaseReplicaCount as on AWS.

moto 5.2.5's ModifyReplicationGroup changes only the description, engine, node type,
automatic failover, Multi-AZ and snapshot retention; it silently ignores the parameter group,
security groups, engine version, snapshot and maintenance windows, auto minor version upgrade
and the auth token, and it modifies a group in any state.  IncreaseReplicaCount and
DecreaseReplicaCount are not implemented (HTTP 500).  This shim applies all of these to the
group and its member clusters (from the elasticache_replication_group_members shim), refuses
changes to a group that is not ``available`` (``InvalidReplicationGroupState``, as AWS does
while a group is being created) and checks AWS's rules: automatic failover needs a replica,
Multi-AZ needs automatic failover, an auth token needs in-transit encryption, and a group
with automatic failover keeps at least one replica.
"""

from __future__ import annotations

from typing import Any

from .elasticache_replication_group_members import (
    MAX_CLUSTERS,
    engine_version,
    member_settings,
    refresh_members,
    set_member_count,
)

NAME = "elasticache_modify_replication_group"
MOTO_VERSION = "5.2.5"
GAP = (
    "ModifyReplicationGroup ignores CacheParameterGroupName, SecurityGroupIds, EngineVersion, "
    "SnapshotWindow, PreferredMaintenanceWindow, AutoMinorVersionUpgrade and AuthToken, and "
    "IncreaseReplicaCount / DecreaseReplicaCount are not implemented"
)


def apply() -> None:
    from moto.core.responses import ActionResult
    from moto.core.utils import utcnow
    from moto.elasticache.exceptions import (
        ElastiCacheException,
        InvalidParameterCombinationException,
        InvalidParameterValueException,
        ReplicationGroupNotFound,
    )
    from moto.elasticache.responses import ElastiCacheResponse

    class InvalidReplicationGroupState(ElastiCacheException):
        code = "InvalidReplicationGroupState"

    def available_group(response: Any) -> Any:
        backend = response.elasticache_backend
        group_id = response._get_param("ReplicationGroupId")
        # Groups whose deletion has finished are gone (elasticache_replication_group_deletion).
        backend.describe_replication_groups()
        group = backend.replication_groups.get(group_id)
        if group is None:
            raise ReplicationGroupNotFound(group_id)
        if group.status != "available":
            raise InvalidReplicationGroupState(
                f"Replication group {group_id} must be in available state (it is {group.status})."
            )
        return group

    def modify_replication_group(self: Any) -> ActionResult:
        group = available_group(self)
        settings = member_settings(group)
        failover = self._get_bool_param("AutomaticFailoverEnabled")
        multi_az = self._get_bool_param("MultiAZEnabled")
        failover_after = group.automatic_failover == "enabled" if failover is None else failover
        multi_az_after = group.multi_az == "enabled" if multi_az is None else multi_az
        if failover_after and len(group.member_clusters) < 2:
            raise InvalidParameterCombinationException(
                "Automatic failover requires the replication group to have at least one read replica."
            )
        if multi_az_after and not failover_after:
            raise InvalidParameterCombinationException("Multi-AZ requires automatic failover to be enabled.")
        auth_token = self._get_param("AuthToken")
        strategy = (self._get_param("AuthTokenUpdateStrategy") or ("ROTATE" if auth_token else "")).upper()
        if strategy and not group.transit_encryption_enabled:
            raise InvalidParameterCombinationException("AuthToken requires TransitEncryptionEnabled to be true.")
        if strategy in ("ROTATE", "SET") and not auth_token:
            raise InvalidParameterValueException(f"AuthToken is required with AuthTokenUpdateStrategy {strategy}.")

        simple = {
            "ReplicationGroupDescription": "description",
            "CacheNodeType": "cache_node_type",
            "SnapshotWindow": "snapshot_window",
            "Engine": "engine",
        }
        for param, attribute in simple.items():
            value = self._get_param(param)
            if value is not None:
                setattr(group, attribute, value)
        retention = self._get_int_param("SnapshotRetentionLimit")
        if retention is not None:
            group.snapshot_retention_limit = retention
        if failover is not None:
            group.automatic_failover = "enabled" if failover else "disabled"
        if multi_az is not None:
            group.multi_az = "enabled" if multi_az else "disabled"
        version = self._get_param("EngineVersion")
        if version:
            settings["engine_version"] = engine_version(version)
        parameter_group = self._get_param("CacheParameterGroupName")
        if parameter_group:
            settings["cache_parameter_group_name"] = parameter_group
            group.cache_parameter_group_name = parameter_group
        security_groups = self._get_param("SecurityGroupIds")
        if security_groups is not None:
            settings["security_group_ids"] = list(security_groups)
        window = self._get_param("PreferredMaintenanceWindow")
        if window:
            settings["preferred_maintenance_window"] = window.lower()
        minor = self._get_bool_param("AutoMinorVersionUpgrade")
        if minor is not None:
            settings["auto_minor_version_upgrade"] = minor
            group.auto_minor_version_upgrade = minor
        if strategy:
            group.auth_token_enabled = strategy != "DELETE"
            group.auth_token_last_modified_date = utcnow()
        refresh_members(self.elasticache_backend, group)
        return ActionResult({"ReplicationGroup": group})

    def change_replica_count(self: Any, increase: bool) -> ActionResult:
        group = available_group(self)
        replicas = len(group.member_clusters) - 1
        wanted = self._get_int_param("NewReplicaCount")
        if wanted is None:
            raise InvalidParameterValueException("NewReplicaCount is required for a cluster-mode-disabled group.")
        if increase and not replicas < wanted <= MAX_CLUSTERS - 1:
            raise InvalidParameterValueException(
                f"NewReplicaCount must be more than the current {replicas} and at most {MAX_CLUSTERS - 1}."
            )
        if not increase and not 0 <= wanted < replicas:
            raise InvalidParameterValueException(
                f"NewReplicaCount must be less than the current {replicas} and not negative."
            )
        if not increase and wanted == 0 and group.automatic_failover == "enabled":
            raise InvalidParameterCombinationException(
                "Cannot remove the last replica while automatic failover is enabled."
            )
        set_member_count(self.elasticache_backend, group, wanted + 1)
        return ActionResult({"ReplicationGroup": group})

    def increase_replica_count(self: Any) -> ActionResult:
        return change_replica_count(self, increase=True)

    def decrease_replica_count(self: Any) -> ActionResult:
        return change_replica_count(self, increase=False)

    ElastiCacheResponse.modify_replication_group = modify_replication_group
    ElastiCacheResponse.increase_replica_count = increase_replica_count
    ElastiCacheResponse.decrease_replica_count = decrease_replica_count
