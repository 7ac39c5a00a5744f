#!/usr/bin/python
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: elasticache_replication_group
short_description: Manage an ElastiCache (Redis OSS or Valkey) replication group
version_added: 0.1.0
description:
  - Creates, modifies and deletes an ElastiCache replication group with cluster mode
    disabled, one primary and up to five replicas. community.aws.elasticache manages single
    cache clusters only, and neither collection has a replication group module.
  - A group is compared with the wanted settings on every run, and only what differs is
    changed (ModifyReplicationGroup with C(ApplyImmediately), IncreaseReplicaCount,
    DecreaseReplicaCount, tag calls), so a second run changes nothing.
  - The engine version, parameter group, security groups, maintenance window and subnet group
    are read from the group's primary cluster (DescribeCacheClusters), where AWS reports them.
  - Settings AWS cannot change on an existing group (in-transit and at-rest encryption, port,
    subnet group) are not changed; when they differ the module fails and changes nothing.
  - Supports check mode and diff mode.
options:
  replication_group_id:
    description:
      - The group's identifier, 1 to 40 lower-case letters, digits and hyphens, starting with a
        letter. AWS stores it in lower case.
    type: str
    required: true
    aliases: [id, name]
  state:
    description: Whether the group should exist.
    type: str
    choices: [present, absent]
    default: present
  description:
    description: The group's description. Defaults to the identifier when the group is made.
    type: str
  engine:
    description: The engine.
    type: str
    choices: [redis, valkey]
    default: redis
  engine_version:
    description:
      - Engine version, for example C(7.1). It matches the version AWS reports when that starts
        with it (C(7.1) matches C(7.1.0)). Omitted, AWS picks its default at creation and the
        version is left alone afterwards. AWS upgrades only, never downgrades.
    type: str
  cache_node_type:
    description: Node type of every cluster, for example C(cache.t4g.small). Required to create a group.
    type: str
  replicas:
    description:
      - Number of read replicas besides the primary, 0 to 5 (the group has I(replicas) + 1
        clusters). Defaults to 0 when the group is made and to what it has afterwards.
    type: int
  automatic_failover:
    description:
      - Promote a replica when the primary fails. Needs at least one replica.
      - Defaults to false when the group is made.
    type: bool
  multi_az:
    description:
      - Place the replicas in other availability zones than the primary and fail over across
        zones. Needs I(automatic_failover).
      - Defaults to false when the group is made.
    type: bool
  port:
    description: Port the clusters accept connections on (only set at creation).
    type: int
  cache_parameter_group_name:
    description: Parameter group of every cluster. Omitted, AWS uses the family's default group.
    type: str
  cache_subnet_group_name:
    description: Subnet group the clusters live in (only set at creation).
    type: str
  security_group_ids:
    description: VPC security groups of the clusters (the whole list, in any order).
    type: list
    elements: str
  preferred_cache_cluster_azs:
    description: Availability zone of each cluster, primary first (only used at creation).
    type: list
    elements: str
  snapshot_retention_limit:
    description: Days automatic snapshots are kept; C(0) turns them off.
    type: int
  snapshot_window:
    description: Daily UTC time range of automatic snapshots, for example C(03:00-04:00).
    type: str
  preferred_maintenance_window:
    description: Weekly UTC maintenance range, for example C(sun:05:00-sun:06:00).
    type: str
  auto_minor_version_upgrade:
    description: Apply minor engine upgrades in the maintenance window.
    type: bool
  transit_encryption_enabled:
    description: Encrypt connections (TLS). Only set at creation.
    type: bool
    default: true
  at_rest_encryption_enabled:
    description: Encrypt the data on disk and in snapshots. Only set at creation.
    type: bool
    default: true
  kms_key_id:
    description: KMS key for at-rest encryption; omitted, AWS's own key. Only set at creation.
    type: str
  auth_token:
    description:
      - The AUTH token (password) clients must send, 16 to 128 printable characters (letters,
        digits and C(!&#$^<>-)). Needs I(transit_encryption_enabled).
      - AWS never returns a token, so an existing group that has one is assumed to have this
        one. A group without a token gets it (strategy C(ROTATE)). To change the token of a
        group, use I(auth_token_update_strategy).
    type: str
  auth_token_update_strategy:
    description:
      - Change the token of an existing group to I(auth_token). C(rotate) adds it and keeps
        the old one valid (clients move over); C(set) then makes it the only valid token.
      - The module cannot compare tokens, so with this option set it reports a change on every
        run; use it in a one-off task, not in a playbook run again and again.
    type: str
    choices: [rotate, set]
  apply_immediately:
    description:
      - Apply modifications now rather than in the next maintenance window. With C(false) a
        pending change is seen as a difference again on the next run.
    type: bool
    default: true
  final_snapshot_identifier:
    description: Name of a final snapshot to take when the group is deleted.
    type: str
  wait:
    description:
      - Wait until the group is C(available) (I(state=present)) or gone (I(state=absent)).
      - Whatever this says, the module waits for the group to become available before it
        modifies it and between two steps of one change (replicas before failover when
        growing, failover before replicas when shrinking), as AWS accepts only one change at
        a time.
    type: bool
    default: true
  wait_timeout:
    description: Seconds to wait.
    type: int
    default: 1800
notes:
  - Cluster mode enabled groups (shards) and global datastores are not managed; the module
    fails on a cluster mode enabled group.
  - Node type changes and engine upgrades take AWS many minutes; the group stays usable.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Create a Redis 7 group with two replicas over two zones, TLS, at-rest encryption and AUTH
  appstack.cloud.elasticache_replication_group:
    replication_group_id: civstart-prod-redis
    description: CivStart sessions and queues
    engine_version: "7.1"
    cache_node_type: cache.t4g.small
    replicas: 2
    automatic_failover: true
    multi_az: true
    cache_parameter_group_name: civstart-prod-redis
    cache_subnet_group_name: civstart-prod-redis
    security_group_ids: [sg-0123456789abcdef0]
    snapshot_retention_limit: 7
    auth_token: "{{ lookup('amazon.aws.secretsmanager_secret', 'civstart/prod/redis-auth-token') }}"
    tags:
      Project: civstart
      Environment: prod
    wait: false
  no_log: true

- name: Rotate the AUTH token (the old one stays valid until a later set)
  appstack.cloud.elasticache_replication_group:
    replication_group_id: civstart-prod-redis
    auth_token: "{{ new_token }}"
    auth_token_update_strategy: rotate
  no_log: true

- name: Delete the group and wait until it is gone
  appstack.cloud.elasticache_replication_group:
    replication_group_id: civstart-prod-redis
    state: absent
"""

RETURN = r"""
replication_group:
  description:
    - The group as DescribeReplicationGroups returns it, in snake case, with its C(tags). Empty
      when it does not exist; in check mode the planned settings of a group still to be made.
  returned: always
  type: dict
  sample:
    replication_group_id: civstart-prod-redis
    status: available
    member_clusters: [civstart-prod-redis-001, civstart-prod-redis-002]
    automatic_failover: enabled
    multi_az: enabled
    transit_encryption_enabled: true
    at_rest_encryption_enabled: true
    auth_token_enabled: true
    tags: {Project: civstart}
primary_endpoint:
  description: Address and port of the primary (writes); empty until AWS has made it.
  returned: always
  type: dict
  sample: {address: master.civstart-prod-redis.abc123.euw1.cache.amazonaws.com, port: 6379}
reader_endpoint:
  description: Address and port spreading reads over the replicas; empty until AWS has made it.
  returned: always
  type: dict
  sample: {address: replica.civstart-prod-redis.abc123.euw1.cache.amazonaws.com, port: 6379}
changes:
  description: Names of the settings this run changed (or, in check mode, would change).
  returned: always
  type: list
  elements: str
  sample: [replicas, automatic_failover, tags]
"""

import re
import time
from collections.abc import Callable
from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.appstack.cloud.plugins.module_utils.runner import ModuleError, run_module, trim_diff
from ansible_collections.appstack.cloud.plugins.module_utils.tags import ELASTICACHE

MAX_REPLICAS = 5
POLL_SECONDS = 5
AUTH_TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9!&#$^<>-]{16,128}$")
ID_PATTERN = re.compile(r"^[a-z][a-z0-9-]{0,39}$")
# Settings changed by ModifyReplicationGroup: option -> API parameter.
MODIFIABLE = {
    "description": "ReplicationGroupDescription",
    "engine": "Engine",
    "engine_version": "EngineVersion",
    "cache_node_type": "CacheNodeType",
    "automatic_failover": "AutomaticFailoverEnabled",
    "multi_az": "MultiAZEnabled",
    "cache_parameter_group_name": "CacheParameterGroupName",
    "security_group_ids": "SecurityGroupIds",
    "snapshot_retention_limit": "SnapshotRetentionLimit",
    "snapshot_window": "SnapshotWindow",
    "preferred_maintenance_window": "PreferredMaintenanceWindow",
    "auto_minor_version_upgrade": "AutoMinorVersionUpgrade",
}
# Settings AWS fixes at creation.
IMMUTABLE = ("transit_encryption_enabled", "at_rest_encryption_enabled", "port", "cache_subnet_group_name")
BUSY = ("creating", "modifying", "snapshotting")


# -- reading ---------------------------------------------------------------------------------
def describe_group(client: Any, group_id: str) -> dict[str, Any] | None:
    try:
        groups = client.describe_replication_groups(aws_retry=True, ReplicationGroupId=group_id)
    except is_boto3_error_code("ReplicationGroupNotFoundFault"):
        return None
    found = groups.get("ReplicationGroups") or []
    return found[0] if found else None


def primary_cluster_id(group: dict[str, Any]) -> str | None:
    for node_group in group.get("NodeGroups") or []:
        for member in node_group.get("NodeGroupMembers") or []:
            if member.get("CurrentRole") == "primary":
                return member["CacheClusterId"]
    members = group.get("MemberClusters") or []
    return members[0] if members else None


def describe_primary(client: Any, group: dict[str, Any]) -> dict[str, Any]:
    """The group's primary cluster (engine version, parameter and security groups...); {} if none."""
    cluster_id = primary_cluster_id(group)
    if not cluster_id:
        return {}
    try:
        clusters = client.describe_cache_clusters(aws_retry=True, CacheClusterId=cluster_id)
    except is_boto3_error_code("CacheClusterNotFound"):
        return {}
    found = clusters.get("CacheClusters") or []
    return found[0] if found else {}


def current_settings(group: dict[str, Any], primary: dict[str, Any]) -> dict[str, Any]:
    """The group's settings under the module's option names."""
    node_group = (group.get("NodeGroups") or [{}])[0]
    port = (node_group.get("PrimaryEndpoint") or {}).get("Port")
    parameter_group = (primary.get("CacheParameterGroup") or {}).get("CacheParameterGroupName")
    window = primary.get("PreferredMaintenanceWindow")
    minor = group.get("AutoMinorVersionUpgrade", primary.get("AutoMinorVersionUpgrade"))
    return {
        "description": group.get("Description"),
        "engine": group.get("Engine", "redis"),
        "engine_version": primary.get("EngineVersion"),
        "cache_node_type": group.get("CacheNodeType"),
        "replicas": max(len(group.get("MemberClusters") or []) - 1, 0),
        "automatic_failover": group.get("AutomaticFailover") in ("enabled", "enabling"),
        "multi_az": group.get("MultiAZ") == "enabled",
        "cache_parameter_group_name": parameter_group,
        "security_group_ids": sorted(sg["SecurityGroupId"] for sg in primary.get("SecurityGroups") or []),
        "snapshot_retention_limit": group.get("SnapshotRetentionLimit"),
        "snapshot_window": group.get("SnapshotWindow"),
        "preferred_maintenance_window": window.lower() if window else window,
        "auto_minor_version_upgrade": minor,
        "auth_token_enabled": bool(group.get("AuthTokenEnabled")),
        "transit_encryption_enabled": bool(group.get("TransitEncryptionEnabled")),
        "at_rest_encryption_enabled": bool(group.get("AtRestEncryptionEnabled")),
        "port": port if port is not None else primary.get("ConfigurationEndpoint", {}).get("Port"),
        "cache_subnet_group_name": primary.get("CacheSubnetGroupName"),
    }


# -- the wanted state ------------------------------------------------------------------------
def wanted_settings(params: dict[str, Any]) -> dict[str, Any]:
    """The settings the parameters ask for (None: leave as it is)."""
    wanted = {name: params.get(name) for name in (*MODIFIABLE, *IMMUTABLE, "replicas")}
    if wanted["security_group_ids"] is not None:
        wanted["security_group_ids"] = sorted(set(wanted["security_group_ids"]))
    if wanted["preferred_maintenance_window"]:
        wanted["preferred_maintenance_window"] = wanted["preferred_maintenance_window"].lower()
    return wanted


def validate(params: dict[str, Any]) -> None:
    """Checks that need no AWS call; raises ModuleError (never with the token in the message)."""
    if not ID_PATTERN.match(params["replication_group_id"]) or re.search(r"--|-$", params["replication_group_id"]):
        raise ModuleError(
            "replication_group_id must be 1 to 40 lower-case letters, digits and single hyphens, "
            "starting with a letter and not ending with a hyphen"
        )
    if params["state"] == "absent":
        return
    replicas = params.get("replicas")
    if replicas is not None and not 0 <= replicas <= MAX_REPLICAS:
        raise ModuleError(f"replicas must be between 0 and {MAX_REPLICAS}")
    if replicas == 0 and params.get("automatic_failover"):
        raise ModuleError("automatic_failover needs at least one replica")
    if params.get("multi_az") and params.get("automatic_failover") is False:
        raise ModuleError("multi_az needs automatic_failover")
    token = params.get("auth_token")
    if token is not None:
        if not params.get("transit_encryption_enabled"):
            raise ModuleError("auth_token needs transit_encryption_enabled")
        if not AUTH_TOKEN_PATTERN.match(token):
            raise ModuleError("auth_token must be 16 to 128 characters: letters, digits and !&#$^<>-")
    if params.get("auth_token_update_strategy") and token is None:
        raise ModuleError("auth_token_update_strategy needs auth_token")


def version_matches(current: str | None, wanted: str) -> bool:
    return current is not None and (current == wanted or current.startswith(wanted + "."))


def differences(current: dict[str, Any], wanted: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Setting -> (current, wanted) for every wanted setting that differs."""
    found = {}
    for name, value in wanted.items():
        if value is None:
            continue
        if name == "engine_version":
            if not version_matches(current.get(name), value):
                found[name] = (current.get(name), value)
        elif current.get(name) != value:
            found[name] = (current.get(name), value)
    return found


def check_combination(current: dict[str, Any], wanted: dict[str, Any]) -> None:
    """The group after the change must keep AWS's rules (replica for failover, failover for Multi-AZ)."""
    after = {name: current.get(name) if wanted.get(name) is None else wanted[name] for name in current}
    if after["automatic_failover"] and after["replicas"] < 1:
        raise ModuleError("automatic_failover needs at least one replica")
    if after["multi_az"] and not after["automatic_failover"]:
        raise ModuleError("multi_az needs automatic_failover")


# -- waiting ---------------------------------------------------------------------------------
def wait_for(
    client: Any,
    group_id: str,
    until: str,
    timeout: int,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> dict[str, Any] | None:
    """Poll until the group is ``available`` (returns it) or ``deleted`` (returns None)."""
    deadline = clock() + timeout
    while True:
        group = describe_group(client, group_id)
        if until == "deleted" and group is None:
            return None
        if until == "available":
            if group is None:
                raise ModuleError(f"replication group {group_id} disappeared while waiting for it")
            if group["Status"] == "available":
                return group
            if group["Status"] in ("deleting", "create-failed"):
                raise ModuleError(f"replication group {group_id} is {group['Status']}, not becoming available")
        if clock() >= deadline:
            status = group["Status"] if group else "gone"
            raise ModuleError(f"timed out after {timeout} s waiting for {group_id} to be {until} (it is {status})")
        sleep(POLL_SECONDS)


# -- changing --------------------------------------------------------------------------------
def create_request(params: dict[str, Any]) -> dict[str, Any]:
    """CreateReplicationGroup's arguments for the parameters (None values left out)."""
    replicas = params.get("replicas") or 0
    request = {
        "ReplicationGroupId": params["replication_group_id"],
        "ReplicationGroupDescription": params.get("description") or params["replication_group_id"],
        "Engine": params["engine"],
        "EngineVersion": params.get("engine_version"),
        "CacheNodeType": params.get("cache_node_type"),
        "NumCacheClusters": replicas + 1,
        "AutomaticFailoverEnabled": bool(params.get("automatic_failover")),
        "MultiAZEnabled": bool(params.get("multi_az")),
        "Port": params.get("port"),
        "CacheParameterGroupName": params.get("cache_parameter_group_name"),
        "CacheSubnetGroupName": params.get("cache_subnet_group_name"),
        "SecurityGroupIds": params.get("security_group_ids"),
        "PreferredCacheClusterAZs": params.get("preferred_cache_cluster_azs"),
        "SnapshotRetentionLimit": params.get("snapshot_retention_limit"),
        "SnapshotWindow": params.get("snapshot_window"),
        "PreferredMaintenanceWindow": params.get("preferred_maintenance_window"),
        "AutoMinorVersionUpgrade": params.get("auto_minor_version_upgrade"),
        "TransitEncryptionEnabled": params.get("transit_encryption_enabled"),
        "AtRestEncryptionEnabled": params.get("at_rest_encryption_enabled"),
        "KmsKeyId": params.get("kms_key_id"),
        "AuthToken": params.get("auth_token"),
        "Tags": ELASTICACHE.tag_list(params["tags"]) if params.get("tags") else None,
    }
    return {key: value for key, value in request.items() if value is not None}


def modify_request(params: dict[str, Any], diff: dict[str, tuple[Any, Any]], add_token: bool) -> dict[str, Any]:
    """ModifyReplicationGroup's arguments for the differing settings (and the token), or {}."""
    request = {MODIFIABLE[name]: wanted for name, (_, wanted) in diff.items() if name in MODIFIABLE}
    strategy = params.get("auth_token_update_strategy")
    if strategy or add_token:
        request["AuthToken"] = params["auth_token"]
        request["AuthTokenUpdateStrategy"] = (strategy or "rotate").upper()
    if not request:
        return {}
    return {
        "ReplicationGroupId": params["replication_group_id"],
        "ApplyImmediately": params["apply_immediately"],
        **request,
    }


def planned_group(params: dict[str, Any]) -> dict[str, Any]:
    """What check mode reports for a group still to be made."""
    request = create_request(params)
    return {
        "replication_group_id": params["replication_group_id"],
        "description": request["ReplicationGroupDescription"],
        "status": "creating",
        "engine": params["engine"],
        "cache_node_type": params.get("cache_node_type"),
        "member_clusters": [],
        "automatic_failover": "enabled" if request["AutomaticFailoverEnabled"] else "disabled",
        "multi_az": "enabled" if request["MultiAZEnabled"] else "disabled",
        "transit_encryption_enabled": bool(params.get("transit_encryption_enabled")),
        "at_rest_encryption_enabled": bool(params.get("at_rest_encryption_enabled")),
        "auth_token_enabled": params.get("auth_token") is not None,
        "tags": params.get("tags") or {},
    }


class Runner:
    """One run of the module: the client, the parameters, check mode and how to wait."""

    def __init__(
        self,
        client: Any,
        params: dict[str, Any],
        check_mode: bool,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.params = params
        self.check_mode = check_mode
        self.sleep = sleep
        self.clock = clock
        self.group_id = params["replication_group_id"]

    def wait(self, until: str) -> dict[str, Any] | None:
        return wait_for(self.client, self.group_id, until, self.params["wait_timeout"], self.sleep, self.clock)

    # -- present -------------------------------------------------------------------------
    def present(self) -> dict[str, Any]:
        group = describe_group(self.client, self.group_id)
        if group is not None and group["Status"] == "deleting":
            raise ModuleError(f"replication group {self.group_id} is being deleted; run again once it is gone")
        if group is None:
            return self.create()
        return self.update(group)

    def create(self) -> dict[str, Any]:
        if not self.params.get("cache_node_type"):
            raise ModuleError("cache_node_type is needed to create a replication group")
        if self.params.get("automatic_failover") and not self.params.get("replicas"):
            raise ModuleError("automatic_failover needs at least one replica")
        if self.params.get("multi_az") and not self.params.get("automatic_failover"):
            raise ModuleError("multi_az needs automatic_failover")
        wanted = {name: value for name, value in wanted_settings(self.params).items() if value is not None}
        result = {
            "changed": True,
            "changes": ["replication_group"],
            "group": None,
            "diff": {"before": {}, "after": {"replication_group_id": self.group_id, **wanted}},
        }
        if self.check_mode:
            return {**result, "planned": planned_group(self.params)}
        self.client.create_replication_group(aws_retry=True, **create_request(self.params))
        result["group"] = self.wait("available") if self.params["wait"] else describe_group(self.client, self.group_id)
        return result

    def update(self, group: dict[str, Any]) -> dict[str, Any]:
        if group.get("ClusterEnabled"):
            raise ModuleError(
                f"replication group {self.group_id} has cluster mode enabled, which this module does not manage"
            )
        current = current_settings(group, describe_primary(self.client, group))
        wanted = wanted_settings(self.params)
        diff = differences(current, wanted)
        fixed = {name: diff.pop(name) for name in IMMUTABLE if name in diff}
        if fixed:
            listed = ", ".join(f"{name} is {before!r}, wanted {after!r}" for name, (before, after) in fixed.items())
            raise ModuleError(
                f"replication group {self.group_id} cannot be changed in place ({listed}); "
                "make a new group or change the parameters back"
            )
        check_combination(current, wanted)
        add_token = self.params.get("auth_token") is not None and not current["auth_token_enabled"]
        tags_to_set, tags_to_remove = ELASTICACHE.changes(
            self.client, group["ARN"], self.params.get("tags"), self.params["purge_tags"]
        )
        changes = sorted(diff) + (["auth_token"] if add_token or self.params.get("auth_token_update_strategy") else [])
        if tags_to_set or tags_to_remove:
            changes.append("tags")
        result = {
            "changed": bool(changes),
            "changes": changes,
            "group": group,
            "diff": {
                "before": {name: before for name, (before, _) in diff.items()},
                "after": {name: after for name, (_, after) in diff.items()},
            },
        }
        if self.check_mode:
            return result
        if not changes:
            # Nothing to change, but a group still being made (or changed) is waited for when asked.
            if self.params["wait"] and group["Status"] != "available":
                result["group"] = self.wait("available")
            return result
        ELASTICACHE.apply(self.client, group["ARN"], tags_to_set, tags_to_remove)
        group = self.apply_settings(group, current, diff, add_token)
        result["group"] = group
        return result

    def apply_settings(
        self, group: dict[str, Any], current: dict[str, Any], diff: dict[str, tuple[Any, Any]], add_token: bool
    ) -> dict[str, Any]:
        """Replicas first when growing, last when shrinking; the group must be available for each step."""
        steps: list[Callable[[], Any]] = []
        replicas = diff.get("replicas")
        grow = replicas is not None and replicas[1] > current["replicas"]
        request = modify_request(self.params, diff, add_token)
        if replicas and grow:
            steps.append(lambda: self.change_replicas(replicas[1], grow=True))
        if request:
            steps.append(lambda: self.client.modify_replication_group(aws_retry=True, **request))
        if replicas and not grow:
            steps.append(lambda: self.change_replicas(replicas[1], grow=False))
        for index, step in enumerate(steps):
            if index > 0 or group["Status"] != "available":
                self.wait("available")
            step()
        if steps and self.params["wait"]:
            return self.wait("available") or group
        return describe_group(self.client, self.group_id) or group

    def change_replicas(self, count: int, grow: bool) -> None:
        call = self.client.increase_replica_count if grow else self.client.decrease_replica_count
        call(aws_retry=True, ReplicationGroupId=self.group_id, NewReplicaCount=count, ApplyImmediately=True)

    # -- absent --------------------------------------------------------------------------
    def absent(self) -> dict[str, Any]:
        group = describe_group(self.client, self.group_id)
        if group is None:
            return {"changed": False, "changes": [], "group": None}
        deleting = group["Status"] == "deleting"
        result = {
            "changed": not deleting,
            "changes": [] if deleting else ["replication_group"],
            "group": group,
            "diff": {"before": {} if deleting else {"replication_group_id": self.group_id}, "after": {}},
        }
        if self.check_mode:
            return result
        if not deleting:
            if group["Status"] in BUSY:
                self.wait("available")
            request = {"ReplicationGroupId": self.group_id, "RetainPrimaryCluster": False}
            if self.params.get("final_snapshot_identifier"):
                request["FinalSnapshotIdentifier"] = self.params["final_snapshot_identifier"]
            try:
                group = self.client.delete_replication_group(aws_retry=True, **request)["ReplicationGroup"]
            except is_boto3_error_code("ReplicationGroupNotFoundFault"):
                return {"changed": False, "changes": [], "group": None}
        if self.params["wait"]:
            self.wait("deleted")
            group = None
        result["group"] = group
        return result

    def run(self) -> dict[str, Any]:
        validate(self.params)
        return self.absent() if self.params["state"] == "absent" else self.present()


# -- results ---------------------------------------------------------------------------------
def endpoint(node_group: dict[str, Any], key: str) -> dict[str, Any]:
    found = node_group.get(key) or {}
    return {"address": found["Address"], "port": found.get("Port")} if found.get("Address") else {}


def module_result(client: Any, outcome: dict[str, Any], diff_mode: bool) -> dict[str, Any]:
    """What the module returns: the group in snake case with its tags, endpoints, changes."""
    group = outcome.get("group")
    if group is None:
        snake = outcome.get("planned") or {}
    else:
        snake = ELASTICACHE.snake_with_listed_tags(client, group, group.get("ARN"))
    node_group = ((group or {}).get("NodeGroups") or [{}])[0]
    result = {
        "changed": outcome["changed"],
        "changes": outcome["changes"],
        "replication_group": snake,
        "primary_endpoint": endpoint(node_group, "PrimaryEndpoint"),
        "reader_endpoint": endpoint(node_group, "ReaderEndpoint"),
        "diff": outcome.get("diff") or {"before": {}, "after": {}},
    }
    return trim_diff(result, diff_mode)


def run(module: Any, client: Any) -> dict[str, Any]:
    return module_result(client, Runner(client, module.params, module.check_mode).run(), module._diff)


def main() -> None:
    argument_spec = dict(
        replication_group_id=dict(required=True, aliases=["id", "name"]),
        state=dict(default="present", choices=["present", "absent"]),
        description=dict(),
        engine=dict(default="redis", choices=["redis", "valkey"]),
        engine_version=dict(),
        cache_node_type=dict(),
        replicas=dict(type="int"),
        automatic_failover=dict(type="bool"),
        multi_az=dict(type="bool"),
        port=dict(type="int"),
        cache_parameter_group_name=dict(),
        cache_subnet_group_name=dict(),
        security_group_ids=dict(type="list", elements="str"),
        preferred_cache_cluster_azs=dict(type="list", elements="str"),
        snapshot_retention_limit=dict(type="int"),
        snapshot_window=dict(),
        preferred_maintenance_window=dict(),
        auto_minor_version_upgrade=dict(type="bool"),
        transit_encryption_enabled=dict(type="bool", default=True),
        at_rest_encryption_enabled=dict(type="bool", default=True),
        kms_key_id=dict(),
        auth_token=dict(no_log=True),
        auth_token_update_strategy=dict(choices=["rotate", "set"], no_log=False),
        apply_immediately=dict(type="bool", default=True),
        final_snapshot_identifier=dict(),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=1800),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    module.params["replication_group_id"] = module.params["replication_group_id"].lower()
    run_module(
        module, "elasticache", run, f"Could not manage replication group {module.params['replication_group_id']}"
    )


if __name__ == "__main__":
    main()
