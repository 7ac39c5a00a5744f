"""ElastiCache ModifyCacheSubnetGroup and DeleteCacheSubnetGroup; subnet zones as AWS shows them.

moto 5.2.5 implements only Create/DescribeCacheSubnetGroups: changing the subnets
(``community.aws.elasticache_subnet_group`` with other subnets) and deleting a subnet group
(``state: absent``) fail with HTTP 500, and each subnet's ``SubnetAvailabilityZone`` is empty
(moto keeps the zone as a string where AWS returns ``{"Name": zone}``).  This shim adds the two
calls (description and subnets are replaced, tags and ARN kept; a group in use by a
replication group or cache cluster cannot be deleted: ``CacheSubnetGroupInUse``) and reports
the zones.
"""

from __future__ import annotations

from typing import Any

NAME = "elasticache_cache_subnet_groups"
MOTO_VERSION = "5.2.5"
GAP = (
    "ModifyCacheSubnetGroup and DeleteCacheSubnetGroup are not implemented (HTTP 500), and "
    "SubnetAvailabilityZone is empty"
)


def zone_as_aws_shows_it(subnets: list[dict[str, Any]]) -> None:
    for subnet in subnets:
        zone = subnet.get("subnet_availability_zone")
        if isinstance(zone, str):
            subnet["subnet_availability_zone"] = {"Name": zone}


def in_use(backend: Any, name: str) -> bool:
    groups = [g for g in backend.replication_groups.values() if g.cache_subnet_group_name == name]
    clusters = [c for c in backend.cache_clusters.values() if c.cache_subnet_group_name == name]
    return bool(groups or clusters)


def apply() -> None:
    from moto.core.responses import ActionResult, EmptyResult
    from moto.elasticache.exceptions import CacheSubnetGroupNotFound, ElastiCacheException
    from moto.elasticache.models import CacheSubnetGroup
    from moto.elasticache.responses import ElastiCacheResponse

    class CacheSubnetGroupInUse(ElastiCacheException):
        code = "CacheSubnetGroupInUse"

    original_init = CacheSubnetGroup.__init__

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        zone_as_aws_shows_it(self.subnets)

    def find(backend: Any, name: str) -> Any:
        group = backend.cache_subnet_groups.get(name)
        if group is None:
            raise CacheSubnetGroupNotFound(name)
        return group

    def modify_cache_subnet_group(self: Any) -> ActionResult:
        backend = self.elasticache_backend
        name = self._get_param("CacheSubnetGroupName")
        old = find(backend, name)
        subnet_ids = self._get_param("SubnetIds") or old.subnet_ids
        description = self._get_param("CacheSubnetGroupDescription")
        group = CacheSubnetGroup(
            account_id=backend.account_id,
            region_name=backend.region_name,
            cache_subnet_group_name=name,
            cache_subnet_group_description=old.cache_subnet_group_description if description is None else description,
            subnet_ids=list(subnet_ids),
            tags=old.tags,
        )
        backend.cache_subnet_groups[name] = group
        return ActionResult({"CacheSubnetGroup": group})

    def delete_cache_subnet_group(self: Any) -> EmptyResult:
        backend = self.elasticache_backend
        name = self._get_param("CacheSubnetGroupName")
        group = find(backend, name)
        # Groups whose deletion has finished no longer use it (elasticache_replication_group_deletion).
        backend.describe_replication_groups()
        if in_use(backend, name):
            raise CacheSubnetGroupInUse(f"Cache subnet group {name} is currently in use by a cache cluster.")
        del backend.cache_subnet_groups[name]
        backend.tagging_service.delete_all_tags_for_resource(group.arn)
        return EmptyResult()

    CacheSubnetGroup.__init__ = __init__
    ElastiCacheResponse.modify_cache_subnet_group = modify_cache_subnet_group
    ElastiCacheResponse.delete_cache_subnet_group = delete_cache_subnet_group
