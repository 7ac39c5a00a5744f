"""Shim elasticache_cache_parameter_groups: the parameter group API, with AWS's rules."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from appstack_emulator.shims.elasticache_cache_parameter_groups import allowed

from .elasticache_support import error_code, replication_group
from .fleet_support import server_error
from .support import Emulator

pytestmark = pytest.mark.emulator


@pytest.mark.parametrize(
    ("value", "data_type", "values", "ok"),
    [
        ("allkeys-lru", "string", "volatile-lru,allkeys-lru", True),
        ("lru", "string", "volatile-lru,allkeys-lru", False),
        ("0", "integer", "0,20-", True),
        ("10", "integer", "0,20-", False),
        ("300", "integer", "0,20-", True),
        ("101", "integer", "0-100", False),
        ("x", "integer", "1-", False),
        ("anything", "string", None, True),
    ],
)
def test_allowed(value: str, data_type: str, values: str | None, ok: bool) -> None:
    assert allowed(value, data_type, values) is ok


def parameters(emu: Emulator, name: str, source: str | None = None) -> dict[str, tuple[str, str]]:
    kwargs = {"Source": source} if source else {}
    reply = emu.client("elasticache").describe_cache_parameters(CacheParameterGroupName=name, **kwargs)
    return {p["ParameterName"]: (p.get("ParameterValue", ""), p["Source"]) for p in reply["Parameters"]}


def test_lifecycle(emulator: Emulator, unique: Callable[[str], str]) -> None:
    name = unique("params")
    elasticache = emulator.client("elasticache")
    created = elasticache.create_cache_parameter_group(
        CacheParameterGroupName=name,
        CacheParameterGroupFamily="redis7",
        Description="test",
        Tags=[{"Key": "Project", "Value": "p"}],
    )["CacheParameterGroup"]
    assert created["ARN"].endswith(f":parametergroup:{name}")
    assert elasticache.list_tags_for_resource(ResourceName=created["ARN"])["TagList"] == [
        {"Key": "Project", "Value": "p"}
    ]
    assert parameters(emulator, name)["maxmemory-policy"] == ("volatile-lru", "system")

    elasticache.modify_cache_parameter_group(
        CacheParameterGroupName=name,
        ParameterNameValues=[
            {"ParameterName": "maxmemory-policy", "ParameterValue": "allkeys-lru"},
            {"ParameterName": "timeout", "ParameterValue": "300"},
        ],
    )
    assert parameters(emulator, name, "user") == {
        "maxmemory-policy": ("allkeys-lru", "user"),
        "timeout": ("300", "user"),
    }
    elasticache.reset_cache_parameter_group(
        CacheParameterGroupName=name, ParameterNameValues=[{"ParameterName": "timeout"}]
    )
    assert parameters(emulator, name)["timeout"] == ("0", "system")
    listed = elasticache.describe_cache_parameter_groups()["CacheParameterGroups"]
    assert {"default.redis7", name} <= {g["CacheParameterGroupName"] for g in listed}

    elasticache.delete_cache_parameter_group(CacheParameterGroupName=name)
    assert error_code(lambda: parameters(emulator, name)) == "CacheParameterGroupNotFound"
    assert error_code(lambda: elasticache.list_tags_for_resource(ResourceName=created["ARN"])) == (
        "CacheParameterGroupNotFound"
    )


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        pytest.param([("no-such-parameter", "1")], "InvalidParameterValue", id="unknown"),
        pytest.param([("lua-time-limit", "1")], "InvalidParameterValue", id="not-modifiable"),
        pytest.param([("maxmemory-policy", "lru")], "InvalidParameterValue", id="value-not-allowed"),
        pytest.param([("timeout", str(i)) for i in range(21)], "InvalidParameterValue", id="more-than-20"),
    ],
)
def test_refused_changes(emulator: Emulator, unique: Callable[[str], str], changes: list, code: str) -> None:
    name = unique("refused")
    elasticache = emulator.client("elasticache")
    elasticache.create_cache_parameter_group(
        CacheParameterGroupName=name, CacheParameterGroupFamily="redis7", Description="d"
    )
    items = [{"ParameterName": n, "ParameterValue": v} for n, v in changes]
    assert (
        error_code(
            lambda: elasticache.modify_cache_parameter_group(CacheParameterGroupName=name, ParameterNameValues=items)
        )
        == code
    )
    assert parameters(emulator, name, "user") == {}


def test_default_groups_and_groups_in_use_stay(emulator: Emulator, unique: Callable[[str], str]) -> None:
    elasticache = emulator.client("elasticache")
    assert error_code(lambda: elasticache.delete_cache_parameter_group(CacheParameterGroupName="default.redis7")) == (
        "InvalidCacheParameterGroupState"
    )
    assert (
        error_code(
            lambda: elasticache.create_cache_parameter_group(
                CacheParameterGroupName=unique("family"), CacheParameterGroupFamily="redis99", Description="d"
            )
        )
        == "InvalidParameterValue"
    )
    name = unique("used")
    elasticache.create_cache_parameter_group(
        CacheParameterGroupName=name, CacheParameterGroupFamily="redis7", Description="d"
    )
    replication_group(emulator, name, CacheParameterGroupName=name)
    assert error_code(lambda: elasticache.delete_cache_parameter_group(CacheParameterGroupName=name)) == (
        "InvalidCacheParameterGroupState"
    )
    elasticache.delete_replication_group(ReplicationGroupId=name)
    elasticache.delete_cache_parameter_group(CacheParameterGroupName=name)  # free once the group is gone
    assert error_code(
        lambda: replication_group(emulator, unique("missing"), CacheParameterGroupName="no-such-group")
    ) == ("CacheParameterGroupNotFound")


def test_gap_no_parameter_group_api(bare_emulator: Emulator, unique: Callable[[str], str]) -> None:
    elasticache = bare_emulator.client("elasticache")
    assert server_error(
        lambda: elasticache.create_cache_parameter_group(
            CacheParameterGroupName=unique("params"), CacheParameterGroupFamily="redis7", Description="d"
        )
    )
    assert server_error(lambda: elasticache.describe_cache_parameters(CacheParameterGroupName="default.redis7"))
    arn = "arn:aws:elasticache:us-east-1:123456789012:parametergroup:default.redis7"
    assert error_code(lambda: elasticache.list_tags_for_resource(ResourceName=arn)) == "InvalidARN"
