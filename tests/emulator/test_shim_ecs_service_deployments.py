"""Shim ecs_service_deployments: service settings kept, rollouts, and the circuit breaker's rollback."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from .support import Emulator

pytestmark = pytest.mark.emulator

BREAKER = {
    "maximumPercent": 200,
    "minimumHealthyPercent": 100,
    "deploymentCircuitBreaker": {"enable": True, "rollback": True},
}


def _network(emu: Emulator, cidr: str) -> dict[str, Any]:
    ec2 = emu.client("ec2")
    vpc = ec2.create_vpc(CidrBlock=f"{cidr}.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock=f"{cidr}.1.0/24", AvailabilityZone="us-east-1a")["Subnet"]
    group = ec2.create_security_group(GroupName=f"ecs-{cidr}", Description="tasks", VpcId=vpc)["GroupId"]
    return {
        "awsvpcConfiguration": {
            "subnets": [subnet["SubnetId"]],
            "securityGroups": [group],
            "assignPublicIp": "DISABLED",
        }
    }


def _revision(ecs: Any, family: str, tag: str, environment: list[dict[str, str]] | None = None) -> str:
    return ecs.register_task_definition(
        family=family,
        networkMode="awsvpc",
        requiresCompatibilities=["FARGATE"],
        cpu="256",
        memory="512",
        containerDefinitions=[
            {"name": "api", "image": f"registry.example/api:{tag}", "environment": environment or []},
        ],
    )["taskDefinition"]["taskDefinitionArn"]


def _service(emu: Emulator, name: str, cidr: str, breaker: dict[str, Any] | None = BREAKER) -> tuple[Any, str]:
    ecs = emu.client("ecs")
    ecs.create_cluster(clusterName=name)
    first = _revision(ecs, name, "v1")
    request = {
        "cluster": name,
        "serviceName": name,
        "taskDefinition": first,
        "desiredCount": 2,
        "launchType": "FARGATE",
        "networkConfiguration": _network(emu, cidr),
        "healthCheckGracePeriodSeconds": 60,
        "enableExecuteCommand": True,
    }
    if breaker:
        request["deploymentConfiguration"] = breaker
    created = ecs.create_service(**request)["service"]
    assert [d["rolloutState"] for d in created["deployments"]] == ["IN_PROGRESS"]
    assert created["deployments"][0]["runningCount"] == 0
    return ecs, first


def _describe(ecs: Any, name: str) -> dict[str, Any]:
    return ecs.describe_services(cluster=name, services=[name])["services"][0]


def test_create_keeps_settings_and_completes(emulator: Emulator, unique: Callable[[str], str]) -> None:
    name = unique("ecs")
    ecs, first = _service(emulator, name, "10.81")

    service = _describe(ecs, name)

    assert service["deploymentConfiguration"] == BREAKER
    assert service["healthCheckGracePeriodSeconds"] == 60
    assert service["enableExecuteCommand"] is True
    assert service["platformVersion"] == "LATEST"
    assert service["taskDefinition"] == first
    assert len(service["deployments"]) == 1
    deployment = service["deployments"][0]
    assert (deployment["status"], deployment["rolloutState"], deployment["runningCount"]) == ("PRIMARY", "COMPLETED", 2)
    assert service["runningCount"] == 2
    assert "has reached a steady state" in service["events"][0]["message"]


def test_update_with_new_revision_starts_a_deployment(emulator: Emulator, unique: Callable[[str], str]) -> None:
    name = unique("ecs")
    ecs, first = _service(emulator, name, "10.82")
    _describe(ecs, name)
    second = _revision(ecs, name, "v2")

    updated = ecs.update_service(cluster=name, service=name, taskDefinition=f"{name}:2")["service"]

    # AWS keeps the ARN, whatever form the request named it in.
    assert updated["taskDefinition"] == second
    assert [(d["status"], d["rolloutState"], d["taskDefinition"]) for d in updated["deployments"]] == [
        ("PRIMARY", "IN_PROGRESS", second),
        ("ACTIVE", "COMPLETED", first),
    ]
    service = _describe(ecs, name)
    assert [(d["rolloutState"], d["taskDefinition"]) for d in service["deployments"]] == [("COMPLETED", second)]
    # Changing only the desired count or the deployment settings starts no deployment.
    deployment_id = service["deployments"][0]["id"]
    ecs.update_service(cluster=name, service=name, desiredCount=3, deploymentConfiguration={"maximumPercent": 150})
    service = _describe(ecs, name)
    assert [d["id"] for d in service["deployments"]] == [deployment_id]
    assert service["deployments"][0]["runningCount"] == 3
    assert service["deploymentConfiguration"]["maximumPercent"] == 150
    assert service["deploymentConfiguration"]["deploymentCircuitBreaker"] == {"enable": True, "rollback": True}


@pytest.mark.parametrize(
    ("tag", "environment"),
    [
        pytest.param("fail-2", None, id="failing-tag"),
        pytest.param("v2", [{"name": "APPSTACK_EMULATOR_TASKS_FAIL", "value": "true"}], id="failing-environment"),
    ],
)
def test_circuit_breaker_rolls_back(
    emulator: Emulator, unique: Callable[[str], str], tag: str, environment: list[dict[str, str]] | None
) -> None:
    name = unique("ecs")
    ecs, first = _service(emulator, name, "10.83")
    _describe(ecs, name)
    failing = _revision(ecs, name, tag, environment)
    failing_id = ecs.update_service(cluster=name, service=name, taskDefinition=failing)["service"]["deployments"][0][
        "id"
    ]

    rolling_back = _describe(ecs, name)

    assert rolling_back["taskDefinition"] == first
    deployments = {d["id"]: d for d in rolling_back["deployments"]}
    assert deployments[failing_id]["status"] == "ACTIVE"
    assert deployments[failing_id]["rolloutState"] == "FAILED"
    assert deployments[failing_id]["rolloutStateReason"] == "ECS deployment circuit breaker: tasks failed to start."
    assert deployments[failing_id]["failedTasks"] > 0
    primary = rolling_back["deployments"][0]
    assert (primary["status"], primary["taskDefinition"]) == ("PRIMARY", first)
    assert "rolling back" in rolling_back["events"][0]["message"]

    settled = _describe(ecs, name)
    assert [(d["rolloutState"], d["taskDefinition"]) for d in settled["deployments"]] == [("COMPLETED", first)]
    assert settled["runningCount"] == 2


def test_failing_without_circuit_breaker_keeps_trying(emulator: Emulator, unique: Callable[[str], str]) -> None:
    name = unique("ecs")
    ecs, _first = _service(emulator, name, "10.84", breaker=None)
    assert _describe(ecs, name)["deploymentConfiguration"]["deploymentCircuitBreaker"] == {
        "enable": False,
        "rollback": False,
    }
    failing = _revision(ecs, name, "fail-1")
    ecs.update_service(cluster=name, service=name, taskDefinition=failing)

    failed = [_describe(ecs, name)["deployments"][0]["failedTasks"] for _ in range(2)]

    service = _describe(ecs, name)
    assert service["taskDefinition"] == failing
    assert service["deployments"][0]["rolloutState"] == "IN_PROGRESS"
    assert failed[0] < failed[1] < service["deployments"][0]["failedTasks"]


def test_gap_moto_drops_settings_and_starts_no_deployment(
    bare_emulator: Emulator, unique: Callable[[str], str]
) -> None:
    name = unique("ecs")
    ecs = bare_emulator.client("ecs")
    ecs.create_cluster(clusterName=name)
    _revision(ecs, name, "v1")
    ecs.create_service(
        cluster=name,
        serviceName=name,
        taskDefinition=f"{name}:1",
        desiredCount=2,
        launchType="FARGATE",
        networkConfiguration=_network(bare_emulator, "10.85"),
        deploymentConfiguration=BREAKER,
        enableExecuteCommand=True,
    )
    _revision(ecs, name, "fail-2")

    ecs.update_service(cluster=name, service=name, taskDefinition=f"{name}:2")
    service = _describe(ecs, name)

    assert "deploymentConfiguration" not in service
    assert service.get("enableExecuteCommand", False) is False
    assert service["taskDefinition"] == f"{name}:2"
    assert len(service["deployments"]) == 1
    assert service["deployments"][0]["rolloutState"] == "IN_PROGRESS"
    assert service["deployments"][0]["runningCount"] == 0
