"""ElastiCache DeleteReplicationGroup: the group goes away, as on AWS.

moto 5.2.5 marks a deleted replication group ``deleting`` and keeps it for ever: waiting for
the deletion never ends, the id can never be used again (``ReplicationGroupAlreadyExists``)
and its subnet and parameter groups stay in use.  moto also deletes a group in any state and
takes the primary out of the group's member list.  With this shim a deleted group stays
``deleting`` for the latency profile's ``elasticache_replication_group`` delay (none: until
the next call), then disappears with its member clusters and tags; deleting a group that is
not ``available`` (or ``create-failed``) is refused with ``InvalidReplicationGroupState``,
deleting one already ``deleting`` too.
"""

from __future__ import annotations

import time
from typing import Any

from .. import latency
from .elasticache_replication_group_members import drop_members

NAME = "elasticache_replication_group_deletion"
MOTO_VERSION = "5.2.5"
GAP = (
    "a deleted replication group stays 'deleting' for ever (a wait for its deletion never ends, "
    "its id cannot be used again), and a group is deleted in any state"
)

_DELETED_AT = "_appstack_deleted_at"
KIND = "elasticache_replication_group"


def gone(group: Any, now: float) -> bool:
    """True once a deleted group has been ``deleting`` for the kind's delay."""
    deleted_at = group.__dict__.get(_DELETED_AT)
    return deleted_at is not None and now - deleted_at >= latency.DELAYS.get(KIND, 0.0)


def purge(backend: Any) -> None:
    """Forget the groups whose deletion has finished."""
    now = time.monotonic()
    for group_id, group in list(backend.replication_groups.items()):
        if gone(group, now):
            drop_members(backend, group)
            backend.tagging_service.delete_all_tags_for_resource(group.arn)
            del backend.replication_groups[group_id]


def apply() -> None:
    from moto.elasticache.exceptions import ElastiCacheException, ReplicationGroupNotFound
    from moto.elasticache.models import ElastiCacheBackend

    class InvalidReplicationGroupState(ElastiCacheException):
        code = "InvalidReplicationGroupState"

    original_describe = ElastiCacheBackend.describe_replication_groups
    original_create = ElastiCacheBackend.create_replication_group
    original_describe_clusters = ElastiCacheBackend.describe_cache_clusters

    def describe_replication_groups(self: Any, replication_group_id: str | None = None) -> Any:
        purge(self)
        return original_describe(self, replication_group_id)

    def create_replication_group(self: Any, **kwargs: Any) -> Any:
        purge(self)
        return original_create(self, **kwargs)

    def describe_cache_clusters(self: Any, cache_cluster_id: str | None = None) -> Any:
        purge(self)
        return original_describe_clusters(self, cache_cluster_id)

    def delete_replication_group(self: Any, replication_group_id: str, retain_primary_cluster: Any) -> Any:
        purge(self)
        group = self.replication_groups.get(replication_group_id)
        if group is None:
            raise ReplicationGroupNotFound(replication_group_id)
        if group.status not in ("available", "create-failed"):
            raise InvalidReplicationGroupState(
                f"Replication group {replication_group_id} has status {group.status} which is not valid for deletion."
            )
        group.status = "deleting"
        group.__dict__[_DELETED_AT] = time.monotonic()
        return group

    ElastiCacheBackend.describe_replication_groups = describe_replication_groups
    ElastiCacheBackend.create_replication_group = create_replication_group
    ElastiCacheBackend.describe_cache_clusters = describe_cache_clusters
    ElastiCacheBackend.delete_replication_group = delete_replication_group
