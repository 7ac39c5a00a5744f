"""Unit tests for appstack.cloud.ecs_fargate_service: a stubbed ECS client with scripted deployments."""

from __future__ import annotations

import copy
from typing import Any
from unittest import mock

import pytest
from ansible_collections.appstack.cloud.plugins.modules import ecs_fargate_service as mod

from tests.unit.conftest import FakeModule

CLUSTER = "civstart-test-cluster"
NAME = "civstart-test-api"
TD = "arn:aws:ecs:us-east-1:123456789012:task-definition/civstart-test-api:"
TG = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/civstart-test-api/0123456789abcdef"


def params(**overrides: Any) -> dict[str, Any]:
    base = {
        "state": "present",
        "name": NAME,
        "cluster": CLUSTER,
        "task_definition": TD + "1",
        "only_task_definition": False,
        "desired_count": 2,
        "keep_desired_count": False,
        "subnets": ["subnet-b", "subnet-a"],
        "security_groups": ["sg-app"],
        "assign_public_ip": False,
        "load_balancers": [{"target_group_arn": TG, "container_name": "api", "container_port": 8080}],
        "health_check_grace_period_seconds": 60,
        "minimum_healthy_percent": 100,
        "maximum_percent": 200,
        "circuit_breaker": True,
        "rollback": True,
        "enable_execute_command": False,
        "platform_version": "LATEST",
        "propagate_tags": "SERVICE",
        "tags": {"Project": "civstart"},
        "wait": True,
        "wait_timeout": 30,
        "wait_interval": 0,
    }
    base.update(overrides)
    return base


def deployment(did: str, td: str, state: str = "COMPLETED", status: str = "PRIMARY", running: int = 2) -> dict:
    return {
        "id": did,
        "status": status,
        "taskDefinition": td,
        "rolloutState": state,
        "rolloutStateReason": "",
        "desiredCount": 2,
        "runningCount": running,
        "failedTasks": 0,
    }


def service_from(p: dict[str, Any], revision: int = 1) -> dict[str, Any]:
    """An ACTIVE, steady service as AWS describes one made from these parameters."""
    settings = mod.desired_settings(p)
    service = {
        "serviceName": NAME,
        "serviceArn": f"arn:aws:ecs:us-east-1:123456789012:service/{CLUSTER}/{NAME}",
        "status": "ACTIVE",
        "launchType": "FARGATE",
        **settings,
        "taskDefinition": TD + str(revision),
        "runningCount": 2,
        "tags": [{"key": k, "value": v} for k, v in p["tags"].items()],
        "deployments": [deployment("ecs-svc/1", TD + str(revision))],
        "events": [],
    }
    # AWS returns the subnets in its own order.
    service["networkConfiguration"]["awsvpcConfiguration"]["subnets"] = sorted(p["subnets"])
    return service


class StubEcs:
    """A service whose describe_services replies are scripted after an update (one per look)."""

    def __init__(self, service: dict[str, Any] | None, script: list[dict[str, Any]] | None = None):
        self.service = service
        self.script = list(script or [])
        self.calls: list[Any] = []

    def describe_services(self, cluster: str, services: list[str], include: list[str], aws_retry: bool = False):
        assert cluster == CLUSTER and services == [NAME]
        if self.script:
            self.service = self.script.pop(0)
        return {"services": [copy.deepcopy(self.service)] if self.service else [], "failures": []}

    def create_service(self, aws_retry: bool = False, **request: Any) -> dict[str, Any]:
        self.calls.append(("create", request))
        self.service = {
            **{k: v for k, v in request.items() if k not in ("cluster", "tags")},
            "status": "ACTIVE",
            "serviceArn": "arn:service",
            "tags": request.get("tags", []),
            "deployments": [deployment("ecs-svc/new", request["taskDefinition"], "IN_PROGRESS", running=0)],
        }
        return {"service": copy.deepcopy(self.service)}

    def update_service(self, aws_retry: bool = False, **request: Any) -> dict[str, Any]:
        self.calls.append(("update", request))
        reply = copy.deepcopy(self.service)
        reply.update({k: v for k, v in request.items() if k not in ("cluster", "service")})
        if "taskDefinition" in request and request["taskDefinition"] != self.service["taskDefinition"]:
            old = [dict(d, status="ACTIVE") for d in reply["deployments"]]
            reply["deployments"] = [
                deployment("ecs-svc/new", request["taskDefinition"], "IN_PROGRESS", running=0),
                *old,
            ]
        self.service = reply
        return {"service": copy.deepcopy(reply)}

    def delete_service(self, cluster: str, service: str, force: bool, aws_retry: bool = False) -> dict:
        self.calls.append(("delete", force))
        self.service = dict(self.service, status="INACTIVE")
        return {}

    def tag_resource(self, resourceArn: str, tags: list[dict[str, str]], aws_retry: bool = False) -> dict:
        self.calls.append(("tag", tags))
        return {}

    def untag_resource(self, resourceArn: str, tagKeys: list[str], aws_retry: bool = False) -> dict:
        self.calls.append(("untag", tagKeys))
        return {}


def steady(td: str, did: str = "ecs-svc/new") -> dict[str, Any]:
    return dict(service_from(params()), taskDefinition=td, deployments=[deployment(did, td)])


@pytest.mark.parametrize(
    ("changes", "check_mode", "changed", "actions"),
    [
        pytest.param({}, False, False, [], id="no-op"),
        pytest.param({"subnets": ["subnet-c"]}, False, True, ["update"], id="network"),
        pytest.param({"assign_public_ip": True}, True, True, [], id="public-ip-check-mode"),
        pytest.param({"minimum_healthy_percent": 50}, False, True, ["update"], id="deployment-configuration"),
        pytest.param({"circuit_breaker": False}, False, True, ["update"], id="circuit-breaker"),
        pytest.param({"enable_execute_command": True}, False, True, ["update"], id="exec"),
        pytest.param({"desired_count": 3}, False, True, ["update"], id="desired-count"),
        pytest.param({"desired_count": 3, "keep_desired_count": True}, False, False, [], id="desired-count-kept"),
        pytest.param({"tags": {"Project": "civstart", "Team": "web"}}, False, True, ["tag"], id="tags"),
        pytest.param({"tags": {}}, False, True, ["untag"], id="tags-purged"),
    ],
)
def test_update(changes, check_mode, changed, actions):
    client = StubEcs(service_from(params()))

    result = mod.run(FakeModule(params(**changes), check_mode=check_mode), client)

    assert result["changed"] is changed
    assert [c[0] for c in client.calls] == actions
    if "update" in actions:
        update = client.calls[0][1]
        assert update["networkConfiguration"]["awsvpcConfiguration"]["assignPublicIp"] == "DISABLED"
        assert ("desiredCount" in update) is not params(**changes)["keep_desired_count"]


def test_create_waits_for_a_steady_state():
    client = StubEcs(None, script=[None, steady(TD + "1")])

    result = mod.run(FakeModule(params()), client)

    assert result["changed"] is True
    request = client.calls[0][1]
    assert request["launchType"] == "FARGATE"
    assert request["networkConfiguration"]["awsvpcConfiguration"]["assignPublicIp"] == "DISABLED"
    assert request["deploymentConfiguration"]["deploymentCircuitBreaker"] == {"enable": True, "rollback": True}
    assert request["healthCheckGracePeriodSeconds"] == 60
    assert request["loadBalancers"] == [{"targetGroupArn": TG, "containerName": "api", "containerPort": 8080}]
    assert request["tags"] == [{"key": "Project", "value": "civstart"}]
    assert result["task_definition_arn"] == TD + "1"


def test_create_in_check_mode_calls_nothing():
    client = StubEcs(None)

    result = mod.run(FakeModule(params(), check_mode=True), client)

    assert result["changed"] is True
    assert result["service"] == {}
    assert client.calls == []


def rolling_back(failed_td: str, kept_td: str) -> dict[str, Any]:
    failed = deployment("ecs-svc/new", failed_td, "FAILED", status="ACTIVE", running=0)
    failed["rolloutStateReason"] = "ECS deployment circuit breaker: tasks failed to start."
    return dict(
        service_from(params()),
        taskDefinition=kept_td,
        deployments=[deployment("ecs-svc/rollback", kept_td, "IN_PROGRESS"), failed],
    )


@pytest.mark.parametrize(
    ("script", "error"),
    [
        pytest.param(
            [rolling_back(TD + "3", TD + "2"), steady(TD + "2", "ecs-svc/rollback")],
            "rolled the service back to civstart-test-api:2, which it keeps running",
            id="rollback-seen-failing",
        ),
        pytest.param(
            [steady(TD + "2", "ecs-svc/rollback")],
            "rolled the service back to civstart-test-api:2",
            id="rollback-seen-only-after",
        ),
    ],
)
def test_deploy_rolled_back_names_the_kept_revision(script, error):
    client = StubEcs(steady(TD + "2", "ecs-svc/old"), script=None)
    client.script = [steady(TD + "2", "ecs-svc/old"), *script]

    with pytest.raises(mod.DeploymentFailed, match=error) as caught:
        mod.run(FakeModule(params(task_definition=TD + "3", only_task_definition=True)), client)

    assert caught.value.details["rolled_back"] is True
    assert caught.value.details["task_definition_arn"] == TD + "2"
    assert caught.value.details["failed_task_definition_arn"] == TD + "3"
    assert "civstart-test-api:3" in str(caught.value)


def test_deploy_moves_only_the_task_definition():
    client = StubEcs(steady(TD + "1", "ecs-svc/old"))
    client.script = [steady(TD + "1", "ecs-svc/old"), steady(TD + "2")]

    result = mod.run(FakeModule(params(task_definition=TD + "2", only_task_definition=True, subnets=[])), client)

    assert result["changed"] is True
    assert client.calls == [("update", {"cluster": CLUSTER, "service": NAME, "taskDefinition": TD + "2"})]
    assert result["task_definition_arn"] == TD + "2"


def test_deploy_of_the_running_revision_is_a_no_op():
    client = StubEcs(steady(TD + "2"))

    result = mod.run(FakeModule(params(task_definition="civstart-test-api:2", only_task_definition=True)), client)

    assert result["changed"] is False
    assert client.calls == []


def test_deploy_needs_the_service():
    with pytest.raises(mod.DeploymentFailed, match="provision the stack first"):
        mod.run(FakeModule(params(only_task_definition=True)), StubEcs(None))


def test_failed_deployment_without_rollback_fails_at_once():
    failed = deployment("ecs-svc/new", TD + "2", "FAILED", running=0)
    client = StubEcs(steady(TD + "1", "ecs-svc/old"))
    client.script = [steady(TD + "1", "ecs-svc/old"), dict(steady(TD + "2"), deployments=[failed])]

    with pytest.raises(mod.DeploymentFailed, match="there is no rollback"):
        mod.run(FakeModule(params(task_definition=TD + "2", only_task_definition=True, rollback=False)), client)


def test_wait_times_out_with_the_rollout_state():
    stuck = dict(steady(TD + "2"), deployments=[deployment("ecs-svc/new", TD + "2", "IN_PROGRESS", running=1)])
    client = StubEcs(steady(TD + "1", "ecs-svc/old"))
    client.script = [steady(TD + "1", "ecs-svc/old")] + [stuck] * 50

    with (
        mock.patch.object(mod.time, "monotonic", side_effect=[0, 0, 100, 100]),
        pytest.raises(mod.DeploymentFailed, match="IN_PROGRESS with 1 of 2 tasks running"),
    ):
        mod.run(FakeModule(params(task_definition=TD + "2", only_task_definition=True, wait_timeout=10)), client)


@pytest.mark.parametrize(("check_mode", "actions"), [(False, ["update", "delete"]), (True, [])])
def test_absent_scales_to_zero_and_deletes(check_mode, actions):
    client = StubEcs(service_from(params()))

    result = mod.run(FakeModule(params(state="absent"), check_mode=check_mode), client)

    assert result["changed"] is True
    assert [c[0] for c in client.calls] == actions
    if not check_mode:
        assert client.calls[0][1]["desiredCount"] == 0
        assert client.calls[1][1] is True


def test_absent_when_inactive_is_a_no_op():
    client = StubEcs(dict(service_from(params()), status="INACTIVE"))

    result = mod.run(FakeModule(params(state="absent")), client)

    assert result["changed"] is False
    assert client.calls == []


def test_diff_shows_the_changed_setting():
    client = StubEcs(service_from(params()))

    result = mod.run(FakeModule(params(maximum_percent=150), check_mode=True, diff=True), client)

    assert result["diff"]["before"]["maximumPercent"] == 200
    assert result["diff"]["after"]["maximumPercent"] == 150


def test_main_reports_a_rollback(run_main):
    client = StubEcs(steady(TD + "2", "ecs-svc/old"))
    client.script = [steady(TD + "2", "ecs-svc/old"), rolling_back(TD + "3", TD + "2"), steady(TD + "2", "ecs-svc/rb")]

    result = run_main(
        mod,
        {
            "name": NAME,
            "cluster": CLUSTER,
            "task_definition": TD + "3",
            "only_task_definition": True,
            "wait_interval": 0,
        },
        client,
    )

    assert result["failed"] is True
    assert result["rolled_back"] is True
    assert result["task_definition_arn"] == TD + "2"
    assert "civstart-test-api:2" in result["msg"]
