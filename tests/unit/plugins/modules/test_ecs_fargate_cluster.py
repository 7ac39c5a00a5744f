"""Unit tests for appstack.cloud.ecs_fargate_cluster: a stubbed ECS client."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from ansible_collections.appstack.cloud.plugins.modules import ecs_fargate_cluster as mod

from tests.unit.conftest import FakeModule, client_error

NAME = "civstart-test-cluster"
ARN = f"arn:aws:ecs:us-east-1:123456789012:cluster/{NAME}"


class StubEcs:
    """The cluster calls over one optional cluster."""

    def __init__(self, insights: str | None = None, tags: dict[str, str] | None = None, status: str = "ACTIVE"):
        self.cluster: dict[str, Any] | None = None
        if insights is not None:
            self.cluster = {
                "clusterName": NAME,
                "clusterArn": ARN,
                "status": status,
                "settings": [{"name": "containerInsights", "value": insights}],
                "tags": [{"key": k, "value": v} for k, v in (tags or {}).items()],
            }
        self.calls: list[Any] = []

    def describe_clusters(self, clusters: list[str], include: list[str], aws_retry: bool = False) -> dict[str, Any]:
        assert clusters == [NAME]
        assert set(include) == {"SETTINGS", "TAGS"}
        return {"clusters": [dict(self.cluster)] if self.cluster else [], "failures": []}

    def create_cluster(self, aws_retry: bool = False, **request: Any) -> dict[str, Any]:
        self.calls.append(("create", request))
        self.cluster = {
            "clusterName": request["clusterName"],
            "clusterArn": ARN,
            "status": "ACTIVE",
            "settings": request["settings"],
            "tags": request.get("tags", []),
        }
        return {"cluster": dict(self.cluster)}

    def update_cluster(self, cluster: str, settings: list[dict[str, str]], aws_retry: bool = False) -> dict:
        self.calls.append(("update", settings))
        self.cluster["settings"] = settings
        return {"cluster": dict(self.cluster)}

    def tag_resource(self, resourceArn: str, tags: list[dict[str, str]], aws_retry: bool = False) -> dict:
        assert resourceArn == ARN
        self.calls.append(("tag", {t["key"]: t["value"] for t in tags}))
        current = {t["key"]: t["value"] for t in self.cluster["tags"]}
        current.update({t["key"]: t["value"] for t in tags})
        self.cluster["tags"] = [{"key": k, "value": v} for k, v in current.items()]
        return {}

    def untag_resource(self, resourceArn: str, tagKeys: list[str], aws_retry: bool = False) -> dict:
        self.calls.append(("untag", tagKeys))
        self.cluster["tags"] = [t for t in self.cluster["tags"] if t["key"] not in tagKeys]
        return {}

    def delete_cluster(self, cluster: str, aws_retry: bool = False) -> dict:
        self.calls.append(("delete", cluster))
        self.cluster["status"] = "INACTIVE"
        return {}


def params(**overrides: Any) -> dict[str, Any]:
    base = {
        "state": "present",
        "name": NAME,
        "container_insights": "enabled",
        "tags": {"Project": "civstart"},
        "purge_tags": True,
    }
    base.update(overrides)
    return base


TAGS = {"Project": "civstart"}


@pytest.mark.parametrize(
    ("stub", "wanted", "check_mode", "changed", "actions"),
    [
        pytest.param(StubEcs(), params(), False, True, ["create"], id="create"),
        pytest.param(StubEcs(), params(), True, True, [], id="create-check-mode"),
        pytest.param(
            StubEcs(status="INACTIVE", insights="enabled"), params(), False, True, ["create"], id="inactive-is-gone"
        ),
        pytest.param(StubEcs("enabled", TAGS), params(), False, False, [], id="no-op"),
        pytest.param(StubEcs("disabled", TAGS), params(), False, True, ["update"], id="switch-insights-on"),
        pytest.param(
            StubEcs("enabled", TAGS), params(container_insights="enhanced"), True, True, [], id="update-check-mode"
        ),
        pytest.param(StubEcs("enabled", {"Project": "old"}), params(), False, True, ["tag"], id="retag"),
        pytest.param(StubEcs("enabled", {**TAGS, "Old": "x"}), params(), False, True, ["untag"], id="purge-tag"),
        pytest.param(
            StubEcs("enabled", {**TAGS, "Old": "x"}), params(purge_tags=False), False, False, [], id="keep-tag"
        ),
        pytest.param(StubEcs("enabled", TAGS), params(state="absent"), False, True, ["delete"], id="delete"),
        pytest.param(StubEcs("enabled", TAGS), params(state="absent"), True, True, [], id="delete-check-mode"),
        pytest.param(StubEcs(), params(state="absent"), False, False, [], id="already-absent"),
    ],
)
def test_run(stub, wanted, check_mode, changed, actions):
    result = mod.run(FakeModule(wanted, check_mode=check_mode), stub)

    assert result["changed"] is changed
    assert [c[0] for c in stub.calls] == actions
    if wanted["state"] == "present" and not check_mode:
        assert result["cluster"]["cluster_name"] == NAME
        assert result["cluster"]["tags"] == wanted["tags"] if wanted["purge_tags"] else True
        assert mod.insights(stub.cluster) == wanted["container_insights"]
    if check_mode and stub.cluster is None:
        assert result["cluster"] == {}


def test_create_sends_insights_and_tags():
    stub = StubEcs()

    mod.run(FakeModule(params(container_insights="enhanced")), stub)

    request = stub.calls[0][1]
    assert request["settings"] == [{"name": "containerInsights", "value": "enhanced"}]
    assert request["tags"] == [{"key": "Project", "value": "civstart"}]


def test_missing_setting_counts_as_disabled():
    assert mod.insights({"settings": []}) == "disabled"


def test_main_creates(run_main):
    stub = StubEcs()

    result = run_main(mod, {"name": NAME, "tags": TAGS}, stub)

    assert result["changed"] is True
    assert result["cluster"]["status"] == "ACTIVE"


def test_main_reports_aws_errors(run_main):
    stub = StubEcs("enabled", TAGS)
    stub.delete_cluster = mock.Mock(
        side_effect=client_error("ClusterContainsServicesException", "DeleteCluster", "has services")
    )

    result = run_main(mod, {"name": NAME, "state": "absent"}, stub)

    assert result["failed"] is True
    assert NAME in result["msg"]
