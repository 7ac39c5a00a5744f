"""ElastiCache CreateReplicationGroup: member clusters as AWS makes them.

moto 5.2.5 ignores ``NumCacheClusters`` (a group asked for with 3 clusters has one), makes no
member cache clusters (``DescribeCacheClusters`` on a member answers ``CacheClusterNotFound``,
so nothing shows a group's engine version, parameter group, security groups or subnet group),
leaves out the node group's ``ReaderEndpoint`` and accepts what AWS refuses (automatic
failover with one cluster, Multi-AZ without failover, an auth token without in-transit
encryption).  This shim makes ``NumCacheClusters`` (or ``ReplicasPerNodeGroup``) clusters
named ``<group>-001``, ``-002``, ... (the first is the primary) spread over
``PreferredCacheClusterAZs`` or the subnet group's zones, registers them as cache clusters
carrying the group's settings, adds the reader endpoint, checks those three rules, and drops
the members with their group.  The helpers here are shared by the other ElastiCache
replication group shims.
"""

from __future__ import annotations

from typing import Any

NAME = "elasticache_replication_group_members"
MOTO_VERSION = "5.2.5"
GAP = (
    "CreateReplicationGroup ignores NumCacheClusters (always one cluster), makes no member "
    "cache clusters (DescribeCacheClusters: CacheClusterNotFound), returns no ReaderEndpoint, "
    "and accepts failover with one cluster, Multi-AZ without failover, an auth token without TLS"
)

MAX_CLUSTERS = 6


def engine_version(version: str | None) -> str:
    """The full version AWS reports for a requested one: ``7.1`` -> ``7.1.0``."""
    parts = (version or "7.1").split(".")
    return ".".join([*parts, "0", "0"][:3])


def default_parameter_group(engine: str, version: str) -> str:
    major = int(version.split(".")[0])
    return f"default.{engine}{major}" if major >= 7 or engine != "redis" else f"default.redis{major}.x"


def zones(backend: Any, group: Any, count: int, preferred: list[str]) -> list[str]:
    """Zone of each member: the preferred ones in order, else round robin over the subnet group's."""
    if preferred:
        return [preferred[i] if i < len(preferred) else preferred[-1] for i in range(count)]
    subnet_group = backend.cache_subnet_groups.get(group.cache_subnet_group_name or "")
    available = sorted(
        {
            (s.get("subnet_availability_zone") or {}).get("Name")
            if isinstance(s.get("subnet_availability_zone"), dict)
            else s.get("subnet_availability_zone")
            for s in (subnet_group.subnets if subnet_group else [])
        }
        - {None, ""}
    ) or [f"{backend.region_name}a", f"{backend.region_name}b"]
    return [available[i % len(available)] for i in range(count)]


def domain(group: Any) -> str:
    return group.node_groups[0]["primary_endpoint_address"].split(".", 1)[1]


def member_settings(group: Any) -> dict[str, Any]:
    """What every member cluster of ``group`` carries (kept on the group, set by create/modify)."""
    return group.__dict__.setdefault(
        "_appstack_member_settings",
        {
            "engine_version": engine_version(group.engine_version),
            "cache_parameter_group_name": group.cache_parameter_group_name,
            "security_group_ids": list(group.security_group_ids or []),
            "preferred_maintenance_window": "sun:05:00-sun:06:00",
            "auto_minor_version_upgrade": True,
        },
    )


def new_member(backend: Any, group: Any, cluster_id: str, zone: str, role: str) -> Any:
    from moto.elasticache.models import CacheCluster

    settings = member_settings(group)
    cluster = CacheCluster(
        account_id=backend.account_id,
        region_name=backend.region_name,
        cache_cluster_id=cluster_id,
        cache_node_type=group.cache_node_type,
        replication_group_id=group.replication_group_id,
        az_mode="single-az",
        preferred_availability_zone=zone,
        num_cache_nodes=1,
        engine="redis",
        engine_version=settings["engine_version"],
        cache_parameter_group_name=settings["cache_parameter_group_name"],
        cache_subnet_group_name=group.cache_subnet_group_name,
        transit_encryption_enabled=group.transit_encryption_enabled,
        network_type=group.network_type,
        ip_discovery=group.ip_discovery,
        snapshot_name=None,
        preferred_maintenance_window=settings["preferred_maintenance_window"],
        port=group.port,
        notification_topic_arn=None,
        auto_minor_version_upgrade=settings["auto_minor_version_upgrade"],
        snapshot_retention_limit=group.snapshot_retention_limit,
        snapshot_window=group.snapshot_window,
        auth_token=None,
        outpost_mode=None,
        preferred_outpost_arn=None,
        preferred_availability_zones=None,
        cache_security_group_names=None,
        security_group_ids=settings["security_group_ids"],
        tags=None,
        snapshot_arns=None,
        preferred_outpost_arns=None,
        log_delivery_configurations=[],
        cache_node_ids_to_remove=None,
        cache_node_ids_to_reboot=None,
    )
    cluster.engine = group.engine
    cluster.current_role = role
    refresh_member(group, cluster)
    return cluster


def refresh_member(group: Any, cluster: Any) -> None:
    """Copy the group's settings onto a member, in the fields DescribeCacheClusters returns."""
    settings = member_settings(group)
    cluster.cache_node_type = group.cache_node_type
    cluster.engine_version = settings["engine_version"]
    cluster.cache_parameter_group_name = settings["cache_parameter_group_name"]
    cluster.cache_parameter_group = {
        "CacheParameterGroupName": settings["cache_parameter_group_name"],
        "ParameterApplyStatus": "in-sync",
        "CacheNodeIdsToReboot": [],
    }
    cluster.security_group_ids = list(settings["security_group_ids"])
    cluster.security_groups = [{"SecurityGroupId": sg, "Status": "active"} for sg in settings["security_group_ids"]]
    cluster.preferred_maintenance_window = settings["preferred_maintenance_window"]
    cluster.auto_minor_version_upgrade = settings["auto_minor_version_upgrade"]
    cluster.snapshot_retention_limit = group.snapshot_retention_limit
    cluster.snapshot_window = group.snapshot_window
    cluster.transit_encryption_enabled = group.transit_encryption_enabled
    cluster.at_rest_encryption_enabled = group.at_rest_encryption_enabled
    cluster.auth_token_enabled = group.auth_token_enabled
    cluster.auth_token_last_modified_date = group.auth_token_last_modified_date


def refresh_members(backend: Any, group: Any) -> None:
    for cluster_id in group.member_clusters:
        cluster = backend.cache_clusters.get(cluster_id)
        if cluster is not None:
            refresh_member(group, cluster)


def set_member_count(backend: Any, group: Any, count: int, preferred_zones: list[str] | None = None) -> None:
    """Make the group have ``count`` clusters: new replicas are added, the newest removed."""
    node_group = group.node_groups[0]
    members = node_group["node_group_members"]
    keep = members[:count]
    for member in members[count:]:
        backend.cache_clusters.pop(member["cache_cluster_id"], None)
    used = {int(m["cache_cluster_id"].rsplit("-", 1)[1]) for m in keep}
    wanted_zones = zones(backend, group, count, preferred_zones or [])
    number = 1
    while len(keep) < count:
        while number in used:
            number += 1
        used.add(number)
        cluster_id = f"{group.replication_group_id}-{number:03d}"
        role = "primary" if not keep else "replica"
        zone = wanted_zones[len(keep)]
        keep.append(
            {
                "cache_cluster_id": cluster_id,
                "cache_node_id": "0001",
                "read_endpoint": {"address": f"{cluster_id}.{domain(group)}", "port": group.port},
                "preferred_availability_zone": zone,
                "current_role": role,
            }
        )
        backend.cache_clusters[cluster_id] = new_member(backend, group, cluster_id, zone, role)
    node_group["node_group_members"] = keep
    group.member_clusters = [m["cache_cluster_id"] for m in keep]
    primary = next(m for m in keep if m["current_role"] == "primary")
    group.primary_cluster_id = primary["cache_cluster_id"]
    if group.snapshot_retention_limit:
        group.snapshotting_cluster_id = (keep[1] if len(keep) > 1 else keep[0])["cache_cluster_id"]


def drop_members(backend: Any, group: Any) -> None:
    for cluster_id in group.member_clusters:
        backend.cache_clusters.pop(cluster_id, None)


def check_rules(clusters: int, failover: bool, multi_az: bool, auth_token: bool, transit: bool) -> None:
    """AWS's rules for a cluster-mode-disabled group; raises what AWS answers."""
    from moto.elasticache.exceptions import InvalidParameterCombinationException, InvalidParameterValueException

    if not 1 <= clusters <= MAX_CLUSTERS:
        raise InvalidParameterValueException(f"NumCacheClusters must be between 1 and {MAX_CLUSTERS}.")
    if failover and clusters < 2:
        raise InvalidParameterCombinationException(
            "Automatic failover requires the replication group to have at least one read replica."
        )
    if multi_az and not failover:
        raise InvalidParameterCombinationException("Multi-AZ requires automatic failover to be enabled.")
    if auth_token and not transit:
        raise InvalidParameterCombinationException("AuthToken requires TransitEncryptionEnabled to be true.")


def apply() -> None:
    from moto.elasticache.models import ElastiCacheBackend

    original_create = ElastiCacheBackend.create_replication_group

    def create_replication_group(self: Any, **kwargs: Any) -> Any:
        cluster_mode = (kwargs.get("cluster_mode") or "disabled").lower() == "enabled"
        if kwargs.get("num_node_groups") and int(kwargs["num_node_groups"]) > 1:
            cluster_mode = True
        if cluster_mode:
            return original_create(self, **kwargs)
        replicas = kwargs.get("replicas_per_node_group")
        clusters = int(kwargs.get("num_cache_clusters") or (int(replicas) + 1 if replicas is not None else 1))
        check_rules(
            clusters,
            bool(kwargs.get("automatic_failover_enabled")),
            bool(kwargs.get("multi_az_enabled")),
            bool(kwargs.get("auth_token")),
            bool(kwargs.get("transit_encryption_enabled")),
        )
        group = original_create(self, **kwargs)
        version = engine_version(kwargs.get("engine_version"))
        member_settings(group).update(
            engine_version=version,
            cache_parameter_group_name=kwargs.get("cache_parameter_group_name")
            or default_parameter_group(group.engine, version),
            security_group_ids=list(kwargs.get("security_group_ids") or []),
            preferred_maintenance_window=(kwargs.get("preferred_maintenance_window") or "sun:05:00-sun:06:00").lower(),
            auto_minor_version_upgrade=kwargs.get("auto_minor_version_upgrade") in (None, True, "true"),
        )
        group.cache_parameter_group_name = member_settings(group)["cache_parameter_group_name"]
        group.auto_minor_version_upgrade = member_settings(group)["auto_minor_version_upgrade"]
        node_group = group.node_groups[0]
        node_group["reader_endpoint"] = {"address": f"replica.{domain(group)}", "port": group.port}
        # moto made one member without a cache cluster: start again from none.
        node_group["node_group_members"] = []
        set_member_count(self, group, clusters, list(kwargs.get("preferred_cache_cluster_azs") or []))
        return group

    ElastiCacheBackend.create_replication_group = create_replication_group
