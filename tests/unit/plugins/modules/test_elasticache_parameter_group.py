"""Unit tests for appstack.cloud.elasticache_parameter_group: a stubbed ElastiCache client, no network."""

from __future__ import annotations

from typing import Any

import pytest
from ansible_collections.appstack.cloud.plugins.modules import elasticache_parameter_group as mod

from tests.unit.conftest import ElastiCacheTags, client_error

NAME = "civstart-test-redis"
ARN = f"arn:aws:elasticache:us-east-1:123456789012:parametergroup:{NAME}"
# Engine defaults of the stub's family: name -> (value, modifiable).
DEFAULTS = {
    "maxmemory-policy": ("volatile-lru", True),
    "timeout": ("0", True),
    "activedefrag": ("no", True),
    "lua-time-limit": ("5000", False),
}
DEFAULTS.update({f"extra-{i:02d}": ("0", True) for i in range(30)})


class StubElastiCache(ElastiCacheTags):
    """Parameter group calls over one stored group; DescribeCacheParameters pages by 25."""

    def __init__(self, exists: bool = True, values: dict[str, str] | None = None, tags=None, family="redis7"):
        self.exists = exists
        self.family = family
        self.values = dict(values or {})
        self.tags = dict(tags or {})
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def names(self) -> list[str]:
        return [name for name, _ in self.calls]

    def describe_cache_parameter_groups(self, CacheParameterGroupName: str, aws_retry: bool = False):
        if not self.exists:
            raise client_error("CacheParameterGroupNotFound", "DescribeCacheParameterGroups")
        return {
            "CacheParameterGroups": [
                {
                    "CacheParameterGroupName": NAME,
                    "CacheParameterGroupFamily": self.family,
                    "Description": "d",
                    "IsGlobal": False,
                    "ARN": ARN,
                }
            ]
        }

    def describe_cache_parameters(self, CacheParameterGroupName: str, Marker: str = "0", aws_retry: bool = False):
        self.calls.append(("describe_cache_parameters", {"Marker": Marker}))
        everything = [
            {
                "ParameterName": name,
                "ParameterValue": self.values.get(name, default),
                "Source": "user" if name in self.values else "system",
                "IsModifiable": modifiable,
            }
            for name, (default, modifiable) in sorted(DEFAULTS.items())
        ]
        start = int(Marker)
        page = {"Parameters": everything[start : start + 25]}
        if start + 25 < len(everything):
            page["Marker"] = str(start + 25)
        return page

    def create_cache_parameter_group(self, aws_retry: bool = False, **kwargs: Any):
        self.calls.append(("create_cache_parameter_group", kwargs))
        self.exists = True
        self.tags = {t["Key"]: t["Value"] for t in kwargs.get("Tags", [])}

    def modify_cache_parameter_group(self, CacheParameterGroupName: str, ParameterNameValues: list, aws_retry=False):
        self.calls.append(("modify_cache_parameter_group", {"ParameterNameValues": ParameterNameValues}))
        assert len(ParameterNameValues) <= 20, "AWS takes 20 parameters per call"
        for item in ParameterNameValues:
            self.values[item["ParameterName"]] = item["ParameterValue"]

    def reset_cache_parameter_group(self, aws_retry: bool = False, **kwargs: Any):
        self.calls.append(("reset_cache_parameter_group", kwargs))
        for item in kwargs["ParameterNameValues"]:
            self.values.pop(item["ParameterName"], None)

    def delete_cache_parameter_group(self, CacheParameterGroupName: str, aws_retry: bool = False):
        self.calls.append(("delete_cache_parameter_group", {}))
        self.exists = False


WRITES = {
    "create_cache_parameter_group",
    "modify_cache_parameter_group",
    "reset_cache_parameter_group",
    "delete_cache_parameter_group",
    "add_tags_to_resource",
    "remove_tags_from_resource",
}


def params(**overrides: Any) -> dict[str, Any]:
    base = {
        "name": NAME,
        "state": "present",
        "family": "redis7",
        "description": None,
        "parameters": {"maxmemory-policy": "allkeys-lru", "timeout": 300},
        "purge_parameters": True,
        "tags": {"Project": "civstart"},
        "purge_tags": True,
    }
    base.update(overrides)
    return base


def run(client: StubElastiCache, check_mode: bool = False, **overrides: Any) -> dict[str, Any]:
    return mod.Runner(client, params(**overrides), check_mode).run()


@pytest.mark.parametrize(
    ("value", "text"), [(True, "yes"), (False, "no"), (300, "300"), ("allkeys-lru", "allkeys-lru")]
)
def test_values_as_aws_keeps_them(value, text):
    assert mod.as_value(value) == text


@pytest.mark.parametrize("check_mode", [False, True])
def test_create(check_mode):
    client = StubElastiCache(exists=False)

    outcome = run(client, check_mode=check_mode)

    assert outcome["changed"] is True
    assert outcome["parameters"] == {"maxmemory-policy": "allkeys-lru", "timeout": "300"}
    if check_mode:
        assert not WRITES & set(client.names())
        return
    create = dict(client.calls)["create_cache_parameter_group"]
    assert create == {
        "CacheParameterGroupName": NAME,
        "CacheParameterGroupFamily": "redis7",
        "Description": NAME,
        "Tags": [{"Key": "Project", "Value": "civstart"}],
    }
    assert client.values == {"maxmemory-policy": "allkeys-lru", "timeout": "300"}
    assert outcome["changes"] == ["cache_parameter_group", "maxmemory-policy", "timeout"]


@pytest.mark.parametrize(
    ("values", "overrides", "changes", "after"),
    [
        pytest.param({"maxmemory-policy": "allkeys-lru", "timeout": "300"}, {}, [], None, id="no-op"),
        pytest.param(
            {"maxmemory-policy": "allkeys-lru"},
            {},
            ["timeout"],
            {"maxmemory-policy": "allkeys-lru", "timeout": "300"},
            id="set-one",
        ),
        pytest.param(
            {"maxmemory-policy": "allkeys-lru", "timeout": "300", "activedefrag": "yes"},
            {},
            ["activedefrag"],
            {"maxmemory-policy": "allkeys-lru", "timeout": "300"},
            id="reset-unlisted",
        ),
        pytest.param(
            {"maxmemory-policy": "allkeys-lru", "timeout": "300", "activedefrag": "yes"},
            {"purge_parameters": False},
            [],
            None,
            id="keep-unlisted",
        ),
        pytest.param(
            {"maxmemory-policy": "allkeys-lru", "timeout": "300"}, {"tags": {"Project": "x"}}, ["tags"], None, id="tags"
        ),
        pytest.param(
            {"maxmemory-policy": "allkeys-lru", "timeout": "300"}, {"tags": None}, [], None, id="tags-left-alone"
        ),
        pytest.param(
            {}, {"parameters": {"activedefrag": True}}, ["activedefrag"], {"activedefrag": "yes"}, id="bool-as-yes"
        ),
    ],
)
@pytest.mark.parametrize("check_mode", [False, True])
def test_update(values, overrides, changes, after, check_mode):
    client = StubElastiCache(values=values, tags={"Project": "civstart"})

    outcome = run(client, check_mode=check_mode, **overrides)

    assert outcome["changed"] is bool(changes)
    assert outcome["changes"] == changes
    if check_mode or not changes:
        assert not WRITES & set(client.names())
        assert client.values == values
    elif after is not None:
        assert client.values == after
    if after is not None:
        assert outcome["parameters"] == after


def test_many_parameters_go_twenty_per_call():
    wanted = {f"extra-{i:02d}": "1" for i in range(30)}
    client = StubElastiCache()

    outcome = run(client, parameters=wanted)

    modifies = [kw for name, kw in client.calls if name == "modify_cache_parameter_group"]
    assert [len(kw["ParameterNameValues"]) for kw in modifies] == [20, 10]
    assert outcome["parameters"] == wanted
    # Every page of DescribeCacheParameters was read (the parameters span two pages).
    assert [kw["Marker"] for name, kw in client.calls if name == "describe_cache_parameters"][:2] == ["0", "25"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        pytest.param({"parameters": {"no-such-parameter": "1"}}, "unknown parameters", id="unknown"),
        pytest.param({"parameters": {"lua-time-limit": "1"}}, "does not let you change", id="not-modifiable"),
        pytest.param({"family": "redis6.x"}, "cannot change family", id="family"),
    ],
)
def test_refused_before_any_change(overrides, message):
    client = StubElastiCache()
    with pytest.raises(mod.ModuleError, match=message):
        run(client, **overrides)
    assert not WRITES & set(client.names())


def test_create_needs_a_family():
    client = StubElastiCache(exists=False)
    with pytest.raises(mod.ModuleError, match="family is needed"):
        run(client, family=None)


@pytest.mark.parametrize(
    ("exists", "check_mode", "changed", "deleted"),
    [(True, False, True, True), (True, True, True, False), (False, False, False, False)],
    ids=["delete", "delete-check-mode", "already-absent"],
)
def test_absent(exists, check_mode, changed, deleted):
    client = StubElastiCache(exists=exists)

    outcome = run(client, check_mode=check_mode, state="absent")

    assert outcome["changed"] is changed
    assert ("delete_cache_parameter_group" in client.names()) is deleted


@pytest.mark.parametrize(
    ("args", "exists", "changed", "failed"),
    [
        pytest.param({}, False, True, False, id="create"),
        pytest.param({"_ansible_check_mode": True}, False, True, False, id="check-mode"),
        pytest.param({"state": "absent"}, True, True, False, id="delete"),
        pytest.param({"parameters": {"nope": 1}}, True, False, True, id="unknown-parameter"),
    ],
)
def test_main(args, exists, changed, failed, run_main):
    client = StubElastiCache(exists=exists)

    output = run_main(mod, {"name": NAME.upper(), "family": "redis7", **args}, client)

    assert output.get("failed", False) is failed
    if not failed:
        assert output["changed"] is changed
        assert set(output) >= {"cache_parameter_group", "parameters", "changes"}
