"""playbooks/deploy.yml on a Fargate stack: one new revision per new tag, none for the same tag,
and a clear failure naming the kept revision when the circuit breaker rolls a deployment back.

The CivStart service is made here with boto3 as aws_ecs_service makes it (cluster, revision 1 with a
secret by ARN, service with the circuit breaker), so the test exercises the deploy alone, not a whole
provision. The emulator's ecs_service_deployments shim completes deployments at once and fails the
tasks of image tags fail* (tools/emulator/README.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support import aws
from tests.support.playbooks import ROOT, inventory_copy, run_playbook

pytestmark = [pytest.mark.slow, pytest.mark.emulator]

PREFIX = "civstart-local"
CLUSTER, SERVICE = f"{PREFIX}-cluster", f"{PREFIX}-api"
REPOSITORY = f"123456789012.dkr.ecr.us-east-1.amazonaws.com/{PREFIX}-api"


def _civstart_only(tmp_path: Path) -> Path:
    """inventories/local with only CivStart enabled and no generated fleet host files."""
    local = yaml.safe_load((ROOT / "inventories/local/group_vars/all/stacks.yml").read_text())
    inventory = inventory_copy(
        tmp_path, "local", {"stacks.yml": {"appstack_stacks": {"civstart": local["appstack_stacks"]["civstart"]}}}
    )
    for generated in inventory.glob("*.generated.yml"):
        generated.unlink()
    return inventory


def _service() -> str:
    """The service as aws_ecs_service leaves it after a provision; returns revision 1's ARN."""
    ec2, ecs = aws.client("ec2"), aws.client("ecs")
    vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.1.11.0/24", AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]
    group = ec2.create_security_group(GroupName=f"{PREFIX}-app", Description="tasks", VpcId=vpc)["GroupId"]
    secret = aws.client("secretsmanager").create_secret(Name="civstart/local/test-db", SecretString='{"password": "x"}')
    ecs.create_cluster(clusterName=CLUSTER)
    first = ecs.register_task_definition(
        family=SERVICE,
        networkMode="awsvpc",
        requiresCompatibilities=["FARGATE"],
        cpu="256",
        memory="512",
        containerDefinitions=[
            {
                "name": "api",
                "image": f"{REPOSITORY}:v1",
                "portMappings": [{"containerPort": 8080, "hostPort": 8080, "protocol": "tcp"}],
                "environment": [{"name": "PORT", "value": "8080"}],
                "secrets": [{"name": "DB_PASSWORD", "valueFrom": f"{secret['ARN']}:password::"}],
                "readonlyRootFilesystem": True,
            }
        ],
    )["taskDefinition"]["taskDefinitionArn"]
    ecs.create_service(
        cluster=CLUSTER,
        serviceName=SERVICE,
        taskDefinition=first,
        desiredCount=1,
        launchType="FARGATE",
        networkConfiguration={
            "awsvpcConfiguration": {"subnets": [subnet], "securityGroups": [group], "assignPublicIp": "DISABLED"}
        },
        deploymentConfiguration={"deploymentCircuitBreaker": {"enable": True, "rollback": True}},
    )
    return first


def _state() -> dict[str, Any]:
    ecs = aws.client("ecs")
    service = ecs.describe_services(cluster=CLUSTER, services=[SERVICE])["services"][0]
    revision = ecs.describe_task_definition(taskDefinition=service["taskDefinition"])["taskDefinition"]
    return {
        "service": service,
        "image": revision["containerDefinitions"][0]["image"],
        "secrets": revision["containerDefinitions"][0]["secrets"],
        "active": ecs.list_task_definitions(familyPrefix=SERVICE, status="ACTIVE")["taskDefinitionArns"],
    }


def test_deploys_to_the_fargate_service(clean_account, tmp_path):
    first = _service()
    inventory = _civstart_only(tmp_path)
    before = _state()
    assert before["service"]["taskDefinition"] == first

    new_tag = run_playbook("playbooks/deploy.yml", inventory, "-e", "app_image_tag=v2")

    assert new_tag.returncode == 0, new_tag
    assert new_tag.changed["civstart"] > 0, new_tag
    after = _state()
    assert len(after["active"]) == 2  # one new revision
    assert after["service"]["taskDefinition"] == f"{first.rsplit(':', 1)[0]}:2"
    assert after["image"] == f"{REPOSITORY}:v2"
    assert after["secrets"] == before["secrets"]  # still by ARN, as before
    assert [d["rolloutState"] for d in after["service"]["deployments"]] == ["COMPLETED"]

    same_tag = run_playbook("playbooks/deploy.yml", inventory, "-e", "app_image_tag=v2")

    assert same_tag.returncode == 0, same_tag
    assert same_tag.changed["civstart"] == 0, same_tag
    assert _state()["active"] == after["active"]

    failing = run_playbook("playbooks/deploy.yml", inventory, "-e", "app_image_tag=fail-3")

    assert failing.returncode != 0, failing
    assert "rolled the service back to civstart-local-api:2, which it keeps running" in failing.output, failing
    rolled_back = _state()
    assert rolled_back["service"]["taskDefinition"] == after["service"]["taskDefinition"]
    assert rolled_back["image"] == f"{REPOSITORY}:v2"
    assert len(rolled_back["active"]) == 3  # the failed revision stays registered


def test_deploy_without_a_service_says_to_provision_first(clean_account, tmp_path):
    aws.client("ecs").create_cluster(clusterName=CLUSTER)

    result = run_playbook("playbooks/deploy.yml", _civstart_only(tmp_path), "-e", "app_image_tag=v2")

    assert result.returncode != 0, result
    assert "provision the stack first" in result.output, result
