"""Unit tests for appstack.cloud.ecs_fargate_task_definition: a stubbed ECS client."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from ansible_collections.appstack.cloud.plugins.modules import ecs_fargate_task_definition as mod

from tests.unit.conftest import FakeModule

FAMILY = "civstart-test-api"
PREFIX = "arn:aws:ecs:us-east-1:123456789012:task-definition/"
SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:civstart/test/db-AbCdEf"


def container(tag: str = "v1", **overrides: Any) -> dict[str, Any]:
    base = {
        "name": "api",
        "image": f"123456789012.dkr.ecr.us-east-1.amazonaws.com/civstart-test-api:{tag}",
        "portMappings": [{"containerPort": 8080, "protocol": "tcp"}],
        "environment": [{"name": "PORT", "value": "8080"}, {"name": "NODE_ENV", "value": "production"}],
        "secrets": [{"name": "DB_PASSWORD", "valueFrom": f"{SECRET}:password::"}],
        "readonlyRootFilesystem": True,
        "privileged": False,
        "mountPoints": [{"sourceVolume": "tmp", "containerPath": "/tmp", "readOnly": False}],
        "logConfiguration": {
            "logDriver": "awslogs",
            "options": {"awslogs-group": "/ecs/api", "awslogs-region": "us-east-1"},
        },
    }
    base.update(overrides)
    return base


def as_aws_returns(request: dict[str, Any], revision: int) -> dict[str, Any]:
    """What DescribeTaskDefinition gives back for a registered request: AWS's defaults filled in."""
    definition = copy.deepcopy(request)
    definition.pop("tags", None)
    for c in definition["containerDefinitions"]:
        c.setdefault("cpu", 0)
        c.setdefault("essential", True)
        c.setdefault("volumesFrom", [])
        c.setdefault("systemControls", [])
        c.pop("privileged", None)  # AWS leaves false booleans out
        for mapping in c.get("portMappings", []):
            mapping.setdefault("hostPort", mapping["containerPort"])
        c["environment"] = list(reversed(c.get("environment", [])))  # ECS does not keep the order
    for volume in definition["volumes"]:
        volume.setdefault("host", {})
    definition.update(
        taskDefinitionArn=f"{PREFIX}{request['family']}:{revision}",
        revision=revision,
        status="ACTIVE",
        compatibilities=["EC2", "FARGATE"],
    )
    return definition


class StubPaginator:
    def __init__(self, client: StubEcs):
        self.client = client

    def paginate(self, familyPrefix: str, status: str, sort: str) -> list[dict[str, Any]]:
        arns = [
            d["taskDefinitionArn"]
            for d in self.client.revisions.values()
            if d["family"].startswith(familyPrefix) and d["status"] == status
        ]
        # Two per page, oldest first (the module must not rely on the order).
        return [{"taskDefinitionArns": arns[i : i + 2]} for i in range(0, len(arns), 2)] or [{"taskDefinitionArns": []}]


class StubEcs:
    def __init__(self, requests: list[dict[str, Any]] | None = None):
        self.revisions: dict[str, dict[str, Any]] = {}
        self.tags: dict[str, list[dict[str, str]]] = {}
        self.calls: list[Any] = []
        for request in requests or []:
            self._register(request)

    def _register(self, request: dict[str, Any]) -> dict[str, Any]:
        revision = 1 + sum(1 for d in self.revisions.values() if d["family"] == request["family"])
        definition = as_aws_returns(request, revision)
        self.revisions[definition["taskDefinitionArn"]] = definition
        self.tags[definition["taskDefinitionArn"]] = list(request.get("tags", []))
        return definition

    def get_paginator(self, name: str) -> StubPaginator:
        assert name == "list_task_definitions"
        return StubPaginator(self)

    def describe_task_definition(self, taskDefinition: str, include: list[str], aws_retry: bool = False) -> dict:
        arn = taskDefinition if taskDefinition.startswith("arn:") else PREFIX + taskDefinition
        return {"taskDefinition": copy.deepcopy(self.revisions[arn]), "tags": list(self.tags[arn])}

    def register_task_definition(self, aws_retry: bool = False, **request: Any) -> dict[str, Any]:
        self.calls.append(("register", request))
        return {"taskDefinition": self._register(request)}

    def deregister_task_definition(self, taskDefinition: str, aws_retry: bool = False) -> dict:
        self.calls.append(("deregister", taskDefinition))
        self.revisions[taskDefinition]["status"] = "INACTIVE"
        return {}

    def delete_task_definitions(self, taskDefinitions: list[str], aws_retry: bool = False) -> dict:
        self.calls.append(("delete", taskDefinitions))
        for arn in taskDefinitions:
            self.revisions[arn]["status"] = "DELETE_IN_PROGRESS"
        return {}

    def tag_resource(self, resourceArn: str, tags: list[dict[str, str]], aws_retry: bool = False) -> dict:
        self.calls.append(("tag", resourceArn))
        self.tags[resourceArn] = [t for t in self.tags[resourceArn] if t["key"] not in {x["key"] for x in tags}] + tags
        return {}

    def untag_resource(self, resourceArn: str, tagKeys: list[str], aws_retry: bool = False) -> dict:
        self.calls.append(("untag", resourceArn))
        self.tags[resourceArn] = [t for t in self.tags[resourceArn] if t["key"] not in tagKeys]
        return {}


def params(**overrides: Any) -> dict[str, Any]:
    base = {
        "state": "present",
        "family": FAMILY,
        "containers": [container()],
        "cpu": "256",
        "memory": "512",
        "execution_role_arn": "arn:aws:iam::123456789012:role/civstart-test-api-execution",
        "task_role_arn": "arn:aws:iam::123456789012:role/civstart-test-api-task",
        "volumes": [{"name": "tmp"}],
        "runtime_platform": {"cpuArchitecture": "X86_64", "operatingSystemFamily": "LINUX"},
        "tags": {"Project": "civstart"},
        "delete": True,
        "base": None,
        "image_tags": {},
    }
    base.update(overrides)
    return base


def registered(p: dict[str, Any]) -> dict[str, Any]:
    return mod.desired_definition(p)


V1 = registered(params())
V2 = registered(params(containers=[container("v2")]))


@pytest.mark.parametrize(
    ("existing", "wanted", "check_mode", "changed", "revision", "registers"),
    [
        pytest.param([], params(), False, True, 1, True, id="first-revision"),
        pytest.param([], params(), True, True, 1, False, id="first-revision-check-mode"),
        pytest.param([V1], params(), False, False, 1, False, id="same-settings-no-op"),
        pytest.param([V1, V2], params(), False, False, 1, False, id="older-revision-matches"),
        pytest.param([V1], params(containers=[container("v2")]), False, True, 2, True, id="new-image"),
        pytest.param([V1], params(cpu="512", memory="1024"), False, True, 2, True, id="new-size"),
        pytest.param([V1], params(execution_role_arn="arn:aws:iam::1:role/other"), False, True, 2, True, id="new-role"),
        pytest.param([V1], params(containers=[container(user="1000")]), False, True, 2, True, id="user-added"),
        pytest.param(
            [registered(params(containers=[container(user="1000")]))], params(), False, True, 2, True, id="user-removed"
        ),
        pytest.param([V1], params(containers=[container(essential=False)]), False, True, 2, True, id="not-essential"),
        pytest.param(
            [V1], params(containers=[container(essential=True)]), False, False, 1, False, id="essential-default"
        ),
        pytest.param([V1], params(containers=[container(tag="v2")]), True, True, 2, False, id="new-image-check-mode"),
    ],
)
def test_present(existing, wanted, check_mode, changed, revision, registers):
    client = StubEcs(existing)

    result = mod.run(FakeModule(wanted, check_mode=check_mode), client)

    assert result["changed"] is changed
    assert result["revision"] == revision
    assert [c[0] for c in client.calls if c[0] == "register"] == (["register"] if registers else [])
    if registers:
        request = client.calls[-1][1]
        assert request["networkMode"] == "awsvpc"
        assert request["requiresCompatibilities"] == ["FARGATE"]
        assert result["task_definition_arn"] == f"{PREFIX}{FAMILY}:{revision}"
    if check_mode and changed:
        assert result["task_definition_arn"] == ""


def test_other_family_with_same_prefix_is_ignored():
    longer = registered(params(family=f"{FAMILY}-worker"))
    client = StubEcs([longer])

    result = mod.run(FakeModule(params()), client)

    assert result["changed"] is True
    assert result["task_definition_arn"] == f"{PREFIX}{FAMILY}:1"


def test_tags_are_synced_on_a_matching_revision():
    client = StubEcs([V1])

    result = mod.run(FakeModule(params(tags={"Project": "civstart", "Environment": "test"})), client)

    assert result["changed"] is True
    assert [c[0] for c in client.calls] == ["tag"]


@pytest.mark.parametrize(
    ("existing", "tag", "changed", "revision"),
    [
        pytest.param([V1], "v2", True, 2, id="new-tag-one-new-revision"),
        pytest.param([V1, V2], "v2", False, 2, id="same-tag-no-op"),
        pytest.param([V1, V2], "v1", False, 1, id="back-to-an-older-tag"),
    ],
)
def test_deploy_from_base(existing, tag, changed, revision):
    client = StubEcs(existing)
    base = f"{PREFIX}{FAMILY}:{len(existing)}"

    result = mod.run(
        FakeModule(
            params(
                containers=[],
                cpu=None,
                memory=None,
                execution_role_arn="",
                task_role_arn="",
                volumes=[],
                runtime_platform=None,
                tags={},
                base=base,
                image_tags={"api": tag},
            )
        ),
        client,
    )

    assert result["changed"] is changed
    assert result["revision"] == revision
    image = result["task_definition"]["containerDefinitions"][0]["image"]
    assert image == f"123456789012.dkr.ecr.us-east-1.amazonaws.com/civstart-test-api:{tag}"
    # Everything but the image comes from the base, secrets by ARN included.
    assert result["task_definition"]["containerDefinitions"][0]["secrets"] == container()["secrets"]
    assert result["task_definition"]["cpu"] == "256"
    registers = [c for c in client.calls if c[0] == "register"]
    assert len(registers) == (1 if changed else 0)
    if registers:
        assert registers[0][1]["tags"] == [{"key": "Project", "value": "civstart"}]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        pytest.param(
            {"image_tags": {"worker": "v2"}}, "containers the task definition does not have", id="unknown-container"
        ),
        pytest.param({"family": "other"}, "is not a revision of family other", id="other-family"),
    ],
)
def test_deploy_from_base_refuses(overrides, message):
    client = StubEcs([V1])
    wanted = params(containers=[], base=f"{PREFIX}{FAMILY}:1", image_tags={"api": "v2"})
    wanted.update(overrides)

    with pytest.raises(mod.ModuleError, match=message):
        mod.run(FakeModule(wanted), client)
    assert client.calls == []


@pytest.mark.parametrize(
    ("image", "tag", "expected"),
    [
        ("registry.example/team/api:v1", "v2", "registry.example/team/api:v2"),
        ("registry.example:5000/api", "v2", "registry.example:5000/api:v2"),
        ("api@sha256:abc", "v2", "api:v2"),
        ("localhost:5000/api:v1", "v3", "localhost:5000/api:v3"),
    ],
)
def test_with_tag(image, tag, expected):
    assert mod.with_tag(image, tag) == expected


@pytest.mark.parametrize("check_mode", [False, True])
def test_absent_deregisters_and_deletes(check_mode):
    client = StubEcs([V1, V2])

    result = mod.run(FakeModule(params(state="absent"), check_mode=check_mode), client)

    assert result["changed"] is True
    assert sorted(result["deregistered"]) == [f"{PREFIX}{FAMILY}:1", f"{PREFIX}{FAMILY}:2"]
    statuses = {d["status"] for d in client.revisions.values()}
    assert statuses == ({"ACTIVE"} if check_mode else {"DELETE_IN_PROGRESS"})


def test_absent_without_revisions():
    client = StubEcs()

    result = mod.run(FakeModule(params(state="absent")), client)

    assert result["changed"] is False
    assert client.calls == []


def test_main_registers_then_no_op(run_main):
    client = StubEcs()
    args = {"family": FAMILY, "containers": [container()], "cpu": "256", "memory": "512", "volumes": [{"name": "tmp"}]}

    first = run_main(mod, args, client)
    second = run_main(mod, args, client)

    assert (first["changed"], second["changed"]) == (True, False)
    assert first["task_definition_arn"] == second["task_definition_arn"]


def test_main_needs_containers_without_base(run_main):
    result = run_main(mod, {"family": FAMILY, "cpu": "256", "memory": "512"}, StubEcs())

    assert result["failed"] is True
    assert "needs containers" in result["msg"]
