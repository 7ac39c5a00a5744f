#!/usr/bin/python
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: ecs_fargate_service
short_description: Manage an ECS Fargate service and wait for its deployments
version_added: 0.1.0
description:
  - Creates, updates or deletes an ECS service on Fargate in private subnets (awsvpc), behind
    load balancer target groups, with the deployment circuit breaker, and waits until the
    service is steady.
  - community.aws.ecs_service does not compare the network, deployment configuration or
    platform version of an existing service (changes to them are never applied), resets a
    desired count that Application Auto Scaling owns, and cannot tell a deployment the
    circuit breaker rolled back from one that succeeded. This module compares every setting
    it manages, can leave the desired count alone (I(keep_desired_count)), and fails with the
    revision the service kept when the circuit breaker rolled a deployment back.
  - C(state=absent) scales the service to 0, deletes it and waits until it is INACTIVE.
options:
  state:
    description: Whether the service should exist.
    type: str
    choices: [present, absent]
    default: present
  name:
    description: Name of the service.
    type: str
    required: true
  cluster:
    description: Name of the cluster.
    type: str
    required: true
  task_definition:
    description: Task definition ARN or C(family:revision) the service runs (required when present).
    type: str
  desired_count:
    description: Number of tasks.
    type: int
    default: 1
  only_task_definition:
    description:
      - Deploy mode. Change nothing but the task definition of the existing service (which must
        exist) and wait for the deployment; every other option is ignored.
    type: bool
    default: false
  keep_desired_count:
    description:
      - Leave the desired count of an existing service alone (Application Auto Scaling owns it);
        I(desired_count) applies when the service is created.
    type: bool
    default: false
  subnets:
    description: Subnets of the tasks (private ones).
    type: list
    elements: str
    default: []
  security_groups:
    description: Security group ids of the tasks.
    type: list
    elements: str
    default: []
  assign_public_ip:
    description: Give the tasks public IP addresses (leave off in private subnets).
    type: bool
    default: false
  load_balancers:
    description: Target groups the tasks are registered in.
    type: list
    elements: dict
    default: []
    suboptions:
      target_group_arn:
        description: ARN of the target group.
        type: str
        required: true
      container_name:
        description: Container that receives the traffic.
        type: str
        required: true
      container_port:
        description: Port of that container.
        type: int
        required: true
  health_check_grace_period_seconds:
    description: Seconds target group health checks are ignored after a task starts (with load balancers only).
    type: int
    default: 0
  minimum_healthy_percent:
    description: Share of the desired count that stays running during a deployment.
    type: int
    default: 100
  maximum_percent:
    description: Share of the desired count that may run during a deployment.
    type: int
    default: 200
  circuit_breaker:
    description: Stop a deployment whose tasks keep failing to start or to become healthy.
    type: bool
    default: true
  rollback:
    description: With the circuit breaker, go back to the last deployment that completed.
    type: bool
    default: true
  enable_execute_command:
    description: Allow ECS Exec into the tasks (the task role needs the SSM messages permissions).
    type: bool
    default: false
  platform_version:
    description: Fargate platform version.
    type: str
    default: LATEST
  propagate_tags:
    description: Copy the tags of the service or of the task definition to the tasks.
    type: str
    choices: [SERVICE, TASK_DEFINITION, NONE]
    default: SERVICE
  tags:
    description: Tags of the service.
    type: dict
    default: {}
  wait:
    description:
      - After creating or updating, wait until the service is steady (one deployment, its
        rollout completed, as many tasks running as desired). With C(state=absent), wait until
        the service is INACTIVE.
    type: bool
    default: true
  wait_timeout:
    description: Seconds to wait.
    type: int
    default: 600
  wait_interval:
    description: Seconds between two looks at the service while waiting.
    type: int
    default: 10
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Run the API behind the NLB target group, rolling back failed deployments
  appstack.cloud.ecs_fargate_service:
    name: civstart-prod-api
    cluster: civstart-prod-cluster
    task_definition: "{{ task_definition.task_definition_arn }}"
    desired_count: 2
    keep_desired_count: true
    subnets: "{{ aws_network_private_subnet_ids }}"
    security_groups: ["{{ aws_security_groups_ids.app }}"]
    load_balancers:
      - target_group_arn: "{{ aws_load_balancer_target_group_arns.api }}"
        container_name: api
        container_port: 8080
    health_check_grace_period_seconds: 60
    tags: {Project: civstart, Environment: prod}

- name: Scale to 0 and delete
  appstack.cloud.ecs_fargate_service:
    name: civstart-prod-api
    cluster: civstart-prod-cluster
    state: absent
"""

RETURN = r"""
service:
  description: The service (snake_case, tags as a dict, the last 10 events); empty when absent or planned in check mode.
  returned: always
  type: dict
task_definition_arn:
  description: The task definition the service runs after the run (the kept one after a rollback).
  returned: always
  type: str
rolled_back:
  description: Whether the deployment circuit breaker rolled this run's deployment back (the module then fails).
  returned: always
  type: bool
failed_task_definition_arn:
  description: The task definition whose deployment failed, when rolled_back.
  returned: when rolled_back
  type: str
"""

import time
from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict
from ansible_collections.appstack.cloud.plugins.module_utils.runner import ModuleError, ensure_state, run_module
from ansible_collections.appstack.cloud.plugins.module_utils.tags import ECS, snake_with_tags, tag_changes


class DeploymentFailed(ModuleError):
    """A deployment did not reach a steady state; ``details`` goes into the module's result."""

    def __init__(self, message: str, details: dict[str, Any]):
        super().__init__(message, **{"rolled_back": False, **details})


def short_revision(task_definition: str | None) -> str:
    """``family:revision`` of a task definition ARN (or of ``family:revision`` itself)."""
    return (task_definition or "").rsplit("/", 1)[-1]


def find(client: Any, cluster: str, name: str) -> dict[str, Any] | None:
    """The service unless it is missing or INACTIVE (deleted)."""
    try:
        reply = client.describe_services(aws_retry=True, cluster=cluster, services=[name], include=["TAGS"])
    except is_boto3_error_code("ClusterNotFoundException"):
        return None
    for service in reply.get("services", []):
        if service.get("serviceName") == name and service.get("status") != "INACTIVE":
            return service
    return None


def desired_settings(params: dict[str, Any]) -> dict[str, Any]:
    """The UpdateService/CreateService fields these parameters ask for."""
    settings: dict[str, Any] = {
        "taskDefinition": params["task_definition"],
        "networkConfiguration": {
            "awsvpcConfiguration": {
                "subnets": list(params["subnets"]),
                "securityGroups": list(params["security_groups"]),
                "assignPublicIp": "ENABLED" if params["assign_public_ip"] else "DISABLED",
            }
        },
        "loadBalancers": [
            {
                "targetGroupArn": lb["target_group_arn"],
                "containerName": lb["container_name"],
                "containerPort": int(lb["container_port"]),
            }
            for lb in params["load_balancers"]
        ],
        "deploymentConfiguration": {
            "maximumPercent": params["maximum_percent"],
            "minimumHealthyPercent": params["minimum_healthy_percent"],
            "deploymentCircuitBreaker": {"enable": params["circuit_breaker"], "rollback": params["rollback"]},
        },
        "enableExecuteCommand": params["enable_execute_command"],
        "platformVersion": params["platform_version"],
        "propagateTags": params["propagate_tags"],
        "desiredCount": params["desired_count"],
    }
    if params["load_balancers"]:
        settings["healthCheckGracePeriodSeconds"] = params["health_check_grace_period_seconds"]
    return settings


def comparable(settings: dict[str, Any]) -> dict[str, Any]:
    """The managed fields of a service (or of desired settings) in a form that compares."""
    network = (settings.get("networkConfiguration") or {}).get("awsvpcConfiguration") or {}
    deployment = settings.get("deploymentConfiguration") or {}
    breaker = deployment.get("deploymentCircuitBreaker") or {}
    return {
        "taskDefinition": short_revision(settings.get("taskDefinition")),
        "subnets": sorted(network.get("subnets") or []),
        "securityGroups": sorted(network.get("securityGroups") or []),
        "assignPublicIp": network.get("assignPublicIp") or "DISABLED",
        "loadBalancers": sorted(
            (lb.get("targetGroupArn"), lb.get("containerName"), int(lb.get("containerPort") or 0))
            for lb in settings.get("loadBalancers") or []
        ),
        "healthCheckGracePeriodSeconds": int(settings.get("healthCheckGracePeriodSeconds") or 0),
        "maximumPercent": int(deployment.get("maximumPercent", 200)),
        "minimumHealthyPercent": int(deployment.get("minimumHealthyPercent", 100)),
        "circuitBreaker": (bool(breaker.get("enable")), bool(breaker.get("rollback"))),
        "enableExecuteCommand": bool(settings.get("enableExecuteCommand")),
        "platformVersion": settings.get("platformVersion") or "LATEST",
        "propagateTags": settings.get("propagateTags") or "NONE",
        "desiredCount": int(settings.get("desiredCount") or 0),
    }


def differences(current: dict[str, Any], desired: dict[str, Any], keep_desired_count: bool) -> list[str]:
    have, want = comparable(current), comparable(desired)
    if keep_desired_count:
        want["desiredCount"] = have["desiredCount"]
    return sorted(key for key in want if have[key] != want[key])


def primary(service: dict[str, Any]) -> dict[str, Any]:
    return next((d for d in service.get("deployments") or [] if d.get("status") == "PRIMARY"), {})


def is_steady(service: dict[str, Any]) -> bool:
    deployments = service.get("deployments") or []
    if len(deployments) != 1:
        return False
    only = deployments[0]
    return only.get("rolloutState", "COMPLETED") == "COMPLETED" and only.get("runningCount") == only.get("desiredCount")


def wait_steady(client: Any, params: dict[str, Any], deployment_id: str, wanted_td: str) -> dict[str, Any]:
    """Wait until the service is steady; raise DeploymentFailed on a rollback, a stopped rollout or a timeout."""
    deadline = time.monotonic() + params["wait_timeout"]
    failed: dict[str, Any] | None = None
    while True:
        service = find(client, params["cluster"], params["name"])
        if service is None:
            raise DeploymentFailed(f"Service {params['name']} disappeared while its deployment ran", {})
        ours = next((d for d in service.get("deployments") or [] if d.get("id") == deployment_id), None)
        if ours is not None and ours.get("rolloutState") == "FAILED":
            failed = ours
            if not params["rollback"] or len(service.get("deployments") or []) == 1:
                raise DeploymentFailed(
                    f"Deployment {deployment_id} of {short_revision(wanted_td)} failed "
                    f"({ours.get('rolloutStateReason', 'no reason given')}); the circuit breaker stopped it and "
                    "there is no rollback (switched off, or no earlier deployment completed)",
                    {"rolled_back": False, "task_definition_arn": service.get("taskDefinition", "")},
                )
        rolled_back = short_revision(service.get("taskDefinition")) != short_revision(wanted_td) and (
            failed is not None or ours is None
        )
        if is_steady(service):
            if rolled_back:
                kept = service.get("taskDefinition", "")
                reason = (failed or {}).get("rolloutStateReason", "tasks failed to start or to become healthy")
                raise DeploymentFailed(
                    f"Deployment {deployment_id} of {short_revision(wanted_td)} failed ({reason}); the deployment "
                    f"circuit breaker rolled the service back to {short_revision(kept)}, which it keeps running",
                    {"rolled_back": True, "task_definition_arn": kept, "failed_task_definition_arn": wanted_td},
                )
            return service
        if time.monotonic() >= deadline:
            current = primary(service)
            raise DeploymentFailed(
                f"Service {params['name']} was not steady after {params['wait_timeout']} s: primary deployment "
                f"{current.get('id')} of {short_revision(current.get('taskDefinition'))} is "
                f"{current.get('rolloutState', 'unknown')} with {current.get('runningCount')} of "
                f"{current.get('desiredCount')} tasks running ({current.get('failedTasks', 0)} failed)",
                {"rolled_back": False, "task_definition_arn": service.get("taskDefinition", "")},
            )
        time.sleep(params["wait_interval"])


def to_result(service: dict[str, Any] | None) -> dict[str, Any]:
    if not service:
        return {}
    return snake_with_tags({**service, "events": (service.get("events") or [])[:10]}, "tags")


def ensure_deployed(client: Any, params: dict[str, Any], check_mode: bool) -> dict[str, Any]:
    """Deploy mode: move the existing service to another task definition and wait."""
    service = find(client, params["cluster"], params["name"])
    if service is None:
        raise DeploymentFailed(
            f"Service {params['name']} does not exist in cluster {params['cluster']}: provision the stack first", {}
        )
    before = short_revision(service.get("taskDefinition"))
    after = short_revision(params["task_definition"])
    result = {
        "changed": before != after,
        "rolled_back": False,
        "diff": {"before": {"taskDefinition": before}, "after": {"taskDefinition": after}},
        "task_definition_arn": service.get("taskDefinition", ""),
    }
    if check_mode or before == after:
        return {**result, "service": to_result(service)}
    updated = client.update_service(
        aws_retry=True, cluster=params["cluster"], service=params["name"], taskDefinition=params["task_definition"]
    )["service"]
    service = updated
    if params["wait"]:
        service = wait_steady(client, params, primary(updated).get("id", ""), updated.get("taskDefinition", ""))
    return {**result, "service": to_result(service), "task_definition_arn": service.get("taskDefinition", "")}


def ensure_present(client: Any, params: dict[str, Any], check_mode: bool) -> dict[str, Any]:
    if params["only_task_definition"]:
        return ensure_deployed(client, params, check_mode)
    if not params["subnets"]:
        raise DeploymentFailed(f"Service {params['name']} needs subnets", {})
    desired = desired_settings(params)
    service = find(client, params["cluster"], params["name"])
    if service is None:
        result = {"changed": True, "rolled_back": False, "diff": {"before": {}, "after": comparable(desired)}}
        if check_mode:
            return {**result, "service": {}, "task_definition_arn": ""}
        request = {
            "cluster": params["cluster"],
            "serviceName": params["name"],
            "launchType": "FARGATE",
            "schedulingStrategy": "REPLICA",
            **desired,
        }
        if params["tags"]:
            request["tags"] = ECS.tag_list(params["tags"])
        created = client.create_service(aws_retry=True, **request)["service"]
        service = created
        if params["wait"]:
            service = wait_steady(client, params, primary(created).get("id", ""), created.get("taskDefinition", ""))
        return {**result, "service": to_result(service), "task_definition_arn": service.get("taskDefinition", "")}

    if service.get("launchType") not in (None, "FARGATE"):
        raise DeploymentFailed(
            f"Service {params['name']} runs on {service.get('launchType')}; AWS cannot move it to FARGATE", {}
        )
    todo = differences(service, desired, params["keep_desired_count"])
    add, remove = tag_changes(boto3_tag_list_to_ansible_dict(service.get("tags")), params["tags"] or {})
    before, after = comparable(service), comparable(desired)
    if params["keep_desired_count"]:
        after["desiredCount"] = before["desiredCount"]
    result = {
        "changed": bool(todo or add or remove),
        "rolled_back": False,
        "diff": {"before": before, "after": after},
        "task_definition_arn": service.get("taskDefinition", ""),
    }
    if check_mode or not result["changed"]:
        return {**result, "service": to_result(service)}
    ECS.apply(client, service["serviceArn"], add, remove)
    if todo:
        update = {"cluster": params["cluster"], "service": params["name"], **desired}
        if params["keep_desired_count"]:
            update.pop("desiredCount")
        updated = client.update_service(aws_retry=True, **update)["service"]
        service = updated
        if params["wait"]:
            service = wait_steady(client, params, primary(updated).get("id", ""), updated.get("taskDefinition", ""))
    else:
        service = find(client, params["cluster"], params["name"]) or service
    return {**result, "service": to_result(service), "task_definition_arn": service.get("taskDefinition", "")}


def ensure_absent(client: Any, params: dict[str, Any], check_mode: bool) -> dict[str, Any]:
    service = find(client, params["cluster"], params["name"])
    result = {"changed": service is not None, "rolled_back": False, "service": {}, "task_definition_arn": ""}
    if service is None or check_mode:
        return result
    if service.get("desiredCount"):
        client.update_service(aws_retry=True, cluster=params["cluster"], service=params["name"], desiredCount=0)
    client.delete_service(aws_retry=True, cluster=params["cluster"], service=params["name"], force=True)
    deadline = time.monotonic() + params["wait_timeout"]
    while params["wait"] and find(client, params["cluster"], params["name"]) is not None:
        if time.monotonic() >= deadline:
            raise DeploymentFailed(f"Service {params['name']} was not INACTIVE after {params['wait_timeout']} s", {})
        time.sleep(params["wait_interval"])
    return result


def run(module: Any, client: Any) -> dict[str, Any]:
    return ensure_state(module, client, ensure_present, ensure_absent)


def main() -> None:
    module = AnsibleAWSModule(
        argument_spec=dict(
            state=dict(default="present", choices=["present", "absent"]),
            name=dict(required=True),
            cluster=dict(required=True),
            task_definition=dict(),
            desired_count=dict(type="int", default=1),
            only_task_definition=dict(type="bool", default=False),
            keep_desired_count=dict(type="bool", default=False),
            subnets=dict(type="list", elements="str", default=[]),
            security_groups=dict(type="list", elements="str", default=[]),
            assign_public_ip=dict(type="bool", default=False),
            load_balancers=dict(
                type="list",
                elements="dict",
                default=[],
                options=dict(
                    target_group_arn=dict(required=True),
                    container_name=dict(required=True),
                    container_port=dict(type="int", required=True),
                ),
            ),
            health_check_grace_period_seconds=dict(type="int", default=0),
            minimum_healthy_percent=dict(type="int", default=100),
            maximum_percent=dict(type="int", default=200),
            circuit_breaker=dict(type="bool", default=True),
            rollback=dict(type="bool", default=True),
            enable_execute_command=dict(type="bool", default=False),
            platform_version=dict(default="LATEST"),
            propagate_tags=dict(default="SERVICE", choices=["SERVICE", "TASK_DEFINITION", "NONE"]),
            tags=dict(type="dict", default={}),
            wait=dict(type="bool", default=True),
            wait_timeout=dict(type="int", default=600),
            wait_interval=dict(type="int", default=10),
        ),
        required_if=[("state", "present", ["task_definition"])],
        supports_check_mode=True,
    )
    run_module(module, "ecs", run, f"Could not manage ECS service {module.params['name']}")


if __name__ == "__main__":
    main()
