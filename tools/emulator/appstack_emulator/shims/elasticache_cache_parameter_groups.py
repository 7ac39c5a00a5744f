"""ElastiCache cache parameter groups (Create/Describe/Modify/Reset/Delete, DescribeCacheParameters).

moto 5.2.5 has no parameter group API at all (HTTP 500 on every call), and its tag calls
refuse parameter group ARNs (``InvalidARN``).  This shim keeps parameter groups on moto's
ElastiCache backend (a reset clears them): AWS's ``default.<family>`` groups exist and cannot
be changed or deleted; a group's parameters are its family's engine defaults (a modest,
documented subset of the real ones, with AWS's names, values, types and allowed values)
overlaid with what was set (``Source`` ``user``); unknown and unmodifiable parameters and
values outside the allowed ones are refused (``InvalidParameterValue``), at most 20 per call;
a group used by a replication group or cache cluster cannot be deleted
(``InvalidCacheParameterGroupState``); CreateReplicationGroup with a parameter group that
does not exist fails with ``CacheParameterGroupNotFound``; tags work on the group's ARN.
"""

from __future__ import annotations

from typing import Any

NAME = "elasticache_cache_parameter_groups"
MOTO_VERSION = "5.2.5"
GAP = (
    "no cache parameter group API (Create/Describe/Modify/Reset/DeleteCacheParameterGroup, "
    "DescribeCacheParameters: HTTP 500), and tag calls refuse parameter group ARNs"
)

MAX_PER_CALL = 20
_STORE = "_appstack_cache_parameter_groups"

# name: (default value, data type, allowed values, modifiable, change type, description)
_REDIS_PARAMETERS: dict[str, tuple[str, str, str, bool, str, str]] = {
    "activedefrag": ("no", "string", "yes,no", True, "immediate", "Enabled active memory defragmentation"),
    "appendonly": ("no", "string", "yes,no", False, "immediate", "Enable Redis persistence."),
    "close-on-replica-write": ("yes", "string", "yes,no", True, "immediate", "Close replica connections on writes"),
    "cluster-enabled": ("no", "string", "yes,no", True, "requires-reboot", "Enable cluster mode"),
    "databases": ("16", "integer", "1-1200000", True, "requires-reboot", "Set the number of databases."),
    "lazyfree-lazy-eviction": ("no", "string", "yes,no", True, "immediate", "Asynchronous delete on evictions"),
    "lazyfree-lazy-expire": ("no", "string", "yes,no", True, "immediate", "Asynchronous delete on expired keys"),
    "lfu-log-factor": ("10", "integer", "1-", True, "immediate", "Logarithmic factor for the LFU counter"),
    "lua-time-limit": ("5000", "integer", "5000", False, "immediate", "Max execution time of a Lua script in ms"),
    "maxclients": ("65000", "integer", "1-65000", False, "immediate", "The maximum number of Redis clients."),
    "maxmemory-policy": (
        "volatile-lru",
        "string",
        "volatile-lru,allkeys-lru,volatile-lfu,allkeys-lfu,volatile-random,allkeys-random,volatile-ttl,noeviction",
        True,
        "immediate",
        "Max memory policy.",
    ),
    "maxmemory-samples": ("3", "integer", "1-", True, "immediate", "Max memory samples."),
    "notify-keyspace-events": ("", "string", None, True, "immediate", "The keyspace events for Redis to notify"),
    "reserved-memory-percent": ("25", "integer", "0-100", True, "immediate", "The percent of memory reserved"),
    "slowlog-log-slower-than": ("10000", "integer", "0-", True, "immediate", "Slow log threshold in microseconds"),
    "slowlog-max-len": ("128", "integer", "0-", True, "immediate", "Length of the slow log."),
    "tcp-keepalive": ("300", "integer", "0-", True, "immediate", "TCP keepalive in seconds"),
    "timeout": ("0", "integer", "0,20-", True, "immediate", "Close a connection after a client is idle"),
}
FAMILIES: dict[str, dict[str, tuple[str, str, str, bool, str, str]]] = {
    "redis6.x": _REDIS_PARAMETERS,
    "redis7": _REDIS_PARAMETERS,
    "valkey7": _REDIS_PARAMETERS,
    "valkey8": _REDIS_PARAMETERS,
}


def default_name(family: str) -> str:
    return f"default.{family}"


def allowed(value: str, data_type: str, allowed_values: str | None) -> bool:
    """Whether ``value`` fits AWS's AllowedValues: ``a,b,c`` or ranges such as ``0-100``, ``1-``, ``0,20-``."""
    if not allowed_values:
        return True
    if data_type != "integer":
        return value in allowed_values.split(",")
    try:
        number = int(value)
    except ValueError:
        return False
    for part in allowed_values.split(","):
        low, dash, high = part.partition("-")
        if not dash and number == int(low):
            return True
        if dash and number >= int(low) and (not high or number <= int(high)):
            return True
    return False


class ParameterGroup:
    def __init__(self, account_id: str, region: str, name: str, family: str, description: str) -> None:
        self.name = name
        self.family = family
        self.description = description
        self.arn = f"arn:aws:elasticache:{region}:{account_id}:parametergroup:{name}"
        self.values: dict[str, str] = {}

    @property
    def is_default(self) -> bool:
        return self.name == default_name(self.family)

    def to_dict(self) -> dict[str, Any]:
        return {
            "CacheParameterGroupName": self.name,
            "CacheParameterGroupFamily": self.family,
            "Description": self.description,
            "IsGlobal": False,
            "ARN": self.arn,
        }

    def parameters(self, source: str | None = None) -> list[dict[str, Any]]:
        result = []
        for name, (default, data_type, allowed_values, modifiable, change, description) in sorted(
            FAMILIES[self.family].items()
        ):
            origin = "user" if name in self.values else "system"
            if source and source != origin:
                continue
            entry = {
                "ParameterName": name,
                "ParameterValue": self.values.get(name, default),
                "Description": description,
                "Source": origin,
                "DataType": data_type,
                "IsModifiable": modifiable,
                "MinimumEngineVersion": "7.0.0" if self.family in ("redis7", "valkey7", "valkey8") else "6.0.0",
                "ChangeType": change,
            }
            if allowed_values:
                entry["AllowedValues"] = allowed_values
            result.append(entry)
        return result


def store(backend: Any) -> dict[str, ParameterGroup]:
    """The backend's parameter groups, AWS's default groups included (a reset drops them)."""
    groups = backend.__dict__.get(_STORE)
    if groups is None:
        groups = {}
        for family in FAMILIES:
            group = ParameterGroup(backend.account_id, backend.region_name, default_name(family), family, "")
            group.description = f"Default parameter group for {family}"
            groups[group.name] = group
        backend.__dict__[_STORE] = groups
    return groups


def in_use(backend: Any, name: str) -> bool:
    groups = [g for g in backend.replication_groups.values() if getattr(g, "cache_parameter_group_name", None) == name]
    clusters = [c for c in backend.cache_clusters.values() if getattr(c, "cache_parameter_group_name", None) == name]
    return bool(groups or clusters)


def apply() -> None:
    from moto.core.responses import ActionResult, EmptyResult
    from moto.elasticache.exceptions import ElastiCacheException, InvalidParameterValueException
    from moto.elasticache.models import ElastiCacheBackend
    from moto.elasticache.responses import ElastiCacheResponse

    class CacheParameterGroupNotFound(ElastiCacheException):
        code = "CacheParameterGroupNotFound"

        def __init__(self, name: str) -> None:
            super().__init__(f"CacheParameterGroup {name} not found.")

    class CacheParameterGroupAlreadyExists(ElastiCacheException):
        code = "CacheParameterGroupAlreadyExists"

    class InvalidCacheParameterGroupState(ElastiCacheException):
        code = "InvalidCacheParameterGroupState"

    def find(backend: Any, name: str) -> ParameterGroup:
        group = store(backend).get(name)
        if group is None:
            raise CacheParameterGroupNotFound(name)
        return group

    def changeable(backend: Any, name: str) -> ParameterGroup:
        group = find(backend, name)
        if group.is_default:
            raise InvalidCacheParameterGroupState(f"Default parameter group {name} cannot be modified.")
        return group

    def create_cache_parameter_group(self: Any) -> ActionResult:
        backend = self.elasticache_backend
        name = self._get_param("CacheParameterGroupName")
        family = self._get_param("CacheParameterGroupFamily")
        if family not in FAMILIES:
            raise InvalidParameterValueException(f"The parameter CacheParameterGroupFamily {family} is not valid.")
        if name in store(backend):
            raise CacheParameterGroupAlreadyExists(f"CacheParameterGroup {name} already exists.")
        group = ParameterGroup(backend.account_id, backend.region_name, name, family, self._get_param("Description"))
        store(backend)[name] = group
        tags = self._get_param("Tags", [])
        if tags:
            backend.tagging_service.tag_resource(group.arn, tags)
        return ActionResult({"CacheParameterGroup": group.to_dict()})

    def describe_cache_parameter_groups(self: Any) -> ActionResult:
        backend = self.elasticache_backend
        name = self._get_param("CacheParameterGroupName")
        groups = [find(backend, name)] if name else list(store(backend).values())
        return ActionResult({"CacheParameterGroups": [g.to_dict() for g in groups]})

    def describe_cache_parameters(self: Any) -> ActionResult:
        group = find(self.elasticache_backend, self._get_param("CacheParameterGroupName"))
        return ActionResult({"Parameters": group.parameters(self._get_param("Source"))})

    def name_values(response: Any, group: ParameterGroup, with_values: bool) -> list[tuple[str, str]]:
        pairs = [
            (item.get("ParameterName"), item.get("ParameterValue"))
            for item in response._get_param("ParameterNameValues", [])
        ]
        if len(pairs) > MAX_PER_CALL:
            raise InvalidParameterValueException(f"At most {MAX_PER_CALL} parameters can be changed per call.")
        known = FAMILIES[group.family]
        for name, value in pairs:
            if name not in known:
                raise InvalidParameterValueException(f"Parameter {name} does not exist in family {group.family}.")
            _, data_type, allowed_values, modifiable, _, _ = known[name]
            if not modifiable:
                raise InvalidParameterValueException(f"Parameter {name} is not modifiable.")
            if with_values and not allowed(str(value if value is not None else ""), data_type, allowed_values):
                raise InvalidParameterValueException(
                    f"Value {value} for parameter {name} is not allowed (allowed: {allowed_values})."
                )
        return pairs

    def modify_cache_parameter_group(self: Any) -> ActionResult:
        group = changeable(self.elasticache_backend, self._get_param("CacheParameterGroupName"))
        for name, value in name_values(self, group, with_values=True):
            group.values[name] = "" if value is None else str(value)
        return ActionResult({"CacheParameterGroupName": group.name})

    def reset_cache_parameter_group(self: Any) -> ActionResult:
        group = changeable(self.elasticache_backend, self._get_param("CacheParameterGroupName"))
        if self._get_bool_param("ResetAllParameters"):
            group.values.clear()
        else:
            for name, _ in name_values(self, group, with_values=False):
                group.values.pop(name, None)
        return ActionResult({"CacheParameterGroupName": group.name})

    def delete_cache_parameter_group(self: Any) -> EmptyResult:
        backend = self.elasticache_backend
        name = self._get_param("CacheParameterGroupName")
        group = find(backend, name)
        if group.is_default:
            raise InvalidCacheParameterGroupState(f"Default parameter group {name} cannot be deleted.")
        # Groups whose deletion has finished no longer use it (elasticache_replication_group_deletion).
        backend.describe_replication_groups()
        if in_use(backend, name):
            raise InvalidCacheParameterGroupState(f"Parameter group {name} is in use by a cache cluster.")
        del store(backend)[name]
        backend.tagging_service.delete_all_tags_for_resource(group.arn)
        return EmptyResult()

    original_list_tags = ElastiCacheBackend.list_tags_for_resource
    original_create_group = ElastiCacheBackend.create_replication_group

    def list_tags_for_resource(self: Any, arn: str) -> Any:
        if ":parametergroup:" in arn:
            find(self, arn.rsplit(":", 1)[1])
            return self.tagging_service.list_tags_for_resource(arn)
        return original_list_tags(self, arn)

    def create_replication_group(self: Any, **kwargs: Any) -> Any:
        name = kwargs.get("cache_parameter_group_name")
        if name:
            find(self, name)
        return original_create_group(self, **kwargs)

    ElastiCacheResponse.create_cache_parameter_group = create_cache_parameter_group
    ElastiCacheResponse.describe_cache_parameter_groups = describe_cache_parameter_groups
    ElastiCacheResponse.describe_cache_parameters = describe_cache_parameters
    ElastiCacheResponse.modify_cache_parameter_group = modify_cache_parameter_group
    ElastiCacheResponse.reset_cache_parameter_group = reset_cache_parameter_group
    ElastiCacheResponse.delete_cache_parameter_group = delete_cache_parameter_group
    ElastiCacheBackend.list_tags_for_resource = list_tags_for_resource
    ElastiCacheBackend.create_replication_group = create_replication_group
