"""ECS service deployments: settings CreateService drops, rollouts, and the circuit breaker.

moto's CreateService drops ``deploymentConfiguration`` (the circuit breaker), ``healthCheckGracePeriodSeconds``,
``enableExecuteCommand`` and the Fargate ``platformVersion``; a service has one deployment for ever,
``IN_PROGRESS`` with no task running (unless ``MOTO_ECS_SERVICE_RUNNING`` is set); UpdateService with a new
task definition starts no deployment and stores ``family:revision`` where AWS keeps the ARN; nothing ever
fails.  A deploy can neither wait for a steady state nor see the circuit breaker roll back.

This shim keeps the settings (with AWS's defaults) and gives each service AWS's deployments:
CreateService, and UpdateService with another task definition, platform version or network
configuration (or ``forceNewDeployment``), start a ``PRIMARY`` deployment ``IN_PROGRESS`` (the one
before becomes ``ACTIVE``).  A deployment stays in progress for ``$APPSTACK_EMULATOR_ECS_DEPLOYMENT_SECONDS``
(default 0), then, at the next call that looks at the service, it either completes (``COMPLETED``, all
desired tasks running, older deployments gone, "has reached a steady state") or, when its task
definition is marked failing, its tasks fail to start: with the circuit breaker the deployment turns
``FAILED`` and, with rollback, a new ``PRIMARY`` deployment goes back to the task definition of the last
deployment that completed (the service's ``taskDefinition`` with it), which completes at a later look;
without the circuit breaker it stays ``IN_PROGRESS`` while ``failedTasks`` grows, as on AWS.

A task definition is failing when one of its containers' image tags matches a glob of
``$APPSTACK_EMULATOR_ECS_FAILING_IMAGE_TAGS`` (comma-separated, default ``fail*``) or its environment
sets ``APPSTACK_EMULATOR_TASKS_FAIL=true``: tests deploy tag ``fail-...`` to provoke a rollback.
"""

from __future__ import annotations

import fnmatch
import os
import time
import uuid
from datetime import UTC, datetime
from typing import Any

NAME = "ecs_service_deployments"
MOTO_VERSION = "5.2.5"
GAP = (
    "CreateService drops deploymentConfiguration, healthCheckGracePeriodSeconds, enableExecuteCommand and "
    "platformVersion; a service's only deployment stays IN_PROGRESS with no task running; UpdateService with a "
    "new task definition starts no deployment; the circuit breaker never rolls back"
)

DURATION_ENV = "APPSTACK_EMULATOR_ECS_DEPLOYMENT_SECONDS"
FAILING_TAGS_ENV = "APPSTACK_EMULATOR_ECS_FAILING_IMAGE_TAGS"
FAILING_ENV_VAR = "APPSTACK_EMULATOR_TASKS_FAIL"
DEFAULT_DEPLOYMENT_CONFIGURATION: dict[str, Any] = {
    "maximumPercent": 200,
    "minimumHealthyPercent": 100,
    "deploymentCircuitBreaker": {"enable": False, "rollback": False},
}
BREAKER_REASON = "ECS deployment circuit breaker: tasks failed to start."
_STATE = "_appstack_deployments"


def duration() -> float:
    try:
        return max(0.0, float(os.environ.get(DURATION_ENV) or 0))
    except ValueError:
        return 0.0


def failing_globs() -> list[str]:
    return [g.strip() for g in (os.environ.get(FAILING_TAGS_ENV) or "fail*").split(",") if g.strip()]


def image_tag(image: str) -> str:
    name = image.split("@", 1)[0]
    last = name.rsplit("/", 1)[-1]
    return last.rsplit(":", 1)[1] if ":" in last else "latest"


def is_failing(task_definition: Any) -> bool:
    for container in getattr(task_definition, "container_definitions", []) or []:
        tag = image_tag(str(container.get("image") or ""))
        if any(fnmatch.fnmatchcase(tag, glob) for glob in failing_globs()):
            return True
        for variable in container.get("environment") or []:
            if variable.get("name") == FAILING_ENV_VAR and str(variable.get("value")).lower() == "true":
                return True
    return False


def state(service: Any) -> dict[str, Any]:
    """Per-service bookkeeping kept on the moto object (a reset drops it with the backend)."""
    return service.__dict__.setdefault(_STATE, {"last_completed": None})


def event(service: Any, message: str) -> None:
    service.events.insert(0, {"id": str(uuid.uuid4()), "createdAt": datetime.now(UTC), "message": message})
    del service.events[100:]


def new_deployment(service: Any, task_definition: str) -> dict[str, Any]:
    now = datetime.now(UTC)
    deployment_id = f"ecs-svc/{uuid.uuid4().int % 10**19:019d}"
    network = getattr(service, "network_configuration", None) or None
    return {
        "id": deployment_id,
        "status": "PRIMARY",
        "taskDefinition": task_definition,
        "desiredCount": service.desired_count,
        "pendingCount": service.desired_count,
        "runningCount": 0,
        "failedTasks": 0,
        "createdAt": now,
        "updatedAt": now,
        "launchType": service.launch_type,
        "platformVersion": service.platform_version,
        "platformFamily": "Linux",
        "networkConfiguration": network,
        "rolloutState": "IN_PROGRESS",
        "rolloutStateReason": f"ECS deployment {deployment_id} in progress.",
        "_deadline": time.monotonic() + duration(),
    }


def start_deployment(service: Any, task_definition: str) -> dict[str, Any]:
    for deployment in service.deployments:
        deployment["status"] = "ACTIVE"
    deployment = new_deployment(service, task_definition)
    service.deployments.insert(0, deployment)
    service.task_definition = task_definition
    service.running_count = sum(d["runningCount"] for d in service.deployments)
    service.pending_count = deployment["pendingCount"]
    return deployment


def complete(service: Any, deployment: dict[str, Any]) -> None:
    deployment.update(
        rolloutState="COMPLETED",
        rolloutStateReason=f"ECS deployment {deployment['id']} completed.",
        runningCount=service.desired_count,
        desiredCount=service.desired_count,
        pendingCount=0,
        updatedAt=datetime.now(UTC),
    )
    service.deployments[:] = [deployment]
    service.running_count = service.desired_count
    service.pending_count = 0
    state(service)["last_completed"] = deployment["taskDefinition"]
    event(service, f"(service {service.name}) has reached a steady state.")


def fail(service: Any, deployment: dict[str, Any]) -> None:
    """The deployment's tasks fail to start: circuit breaker (and rollback) or endless retries."""
    deployment["failedTasks"] += max(1, service.desired_count)
    deployment["updatedAt"] = datetime.now(UTC)
    breaker = (service.deployment_configuration or {}).get("deploymentCircuitBreaker") or {}
    if not breaker.get("enable"):
        event(service, f"(service {service.name}) (deployment {deployment['id']}) tasks failed to start.")
        return
    deployment.update(rolloutState="FAILED", rolloutStateReason=BREAKER_REASON, pendingCount=0)
    event(
        service, f"(service {service.name}) (deployment {deployment['id']}) deployment failed: tasks failed to start."
    )
    previous = state(service)["last_completed"]
    if breaker.get("rollback") and previous:
        rollback = start_deployment(service, previous)
        deployment["status"] = "ACTIVE"
        event(service, f"(service {service.name}) rolling back to deployment {rollback['id']}.")


def advance(backend: Any, service: Any) -> None:
    """One step of the service's primary deployment, if its time is up."""
    if getattr(service, "status", "ACTIVE") != "ACTIVE" or not service.deployments:
        return
    deployment = service.deployments[0]
    if deployment.get("rolloutState") != "IN_PROGRESS" or time.monotonic() < deployment.get("_deadline", 0):
        return
    try:
        task_definition = backend.describe_task_definition(deployment["taskDefinition"])
    except Exception:  # a deregistered or deleted revision cannot start tasks either
        task_definition = None
    if task_definition is None or is_failing(task_definition):
        fail(service, deployment)
    else:
        complete(service, deployment)


def arn_of(backend: Any, task_definition: str | None) -> str | None:
    if not task_definition:
        return task_definition
    try:
        return backend.describe_task_definition(task_definition).arn
    except Exception:  # moto raised already if it is unknown
        return task_definition


def apply() -> None:
    from moto.ecs.models import EC2ContainerServiceBackend
    from moto.ecs.responses import EC2ContainerServiceResponse

    original_create = EC2ContainerServiceResponse.create_service
    original_update = EC2ContainerServiceBackend.update_service
    original_describe = EC2ContainerServiceBackend.describe_services

    def merged_configuration(current: dict[str, Any] | None, requested: dict[str, Any] | None) -> dict[str, Any]:
        merged = {**DEFAULT_DEPLOYMENT_CONFIGURATION, **(current or {}), **(requested or {})}
        merged["deploymentCircuitBreaker"] = {
            **DEFAULT_DEPLOYMENT_CONFIGURATION["deploymentCircuitBreaker"],
            **((current or {}).get("deploymentCircuitBreaker") or {}),
            **((requested or {}).get("deploymentCircuitBreaker") or {}),
        }
        return merged

    def create_service(self: Any) -> Any:
        result = original_create(self)
        backend = self.ecs_backend
        cluster = backend._get_cluster(self._get_param("cluster", "default"))
        service = backend.services[f"{cluster.name}:{self._get_param('serviceName')}"]
        service.deployment_configuration = merged_configuration(None, self._get_param("deploymentConfiguration"))
        service.health_check_grace_period_seconds = int(self._get_param("healthCheckGracePeriodSeconds") or 0)
        service.enable_execute_command = bool(self._get_param("enableExecuteCommand"))
        if service.launch_type == "FARGATE" and not service.platform_version:
            service.platform_version = "LATEST"
        service.__dict__.pop(_STATE, None)
        service.deployments = []
        if service.task_definition and service.deployment_controller.get("type") == "ECS":
            start_deployment(service, service.task_definition)
        return result

    def update_service(self: Any, service_properties: dict[str, Any]) -> Any:
        cluster_name = service_properties.get("cluster", "default")
        name = str(service_properties.get("service", "")).split("/")[-1]
        service = self._get_service(cluster_name, name)
        advance(self, service)
        before = (
            service.task_definition,
            service.platform_version,
            repr(getattr(service, "network_configuration", None)),
            dict(service.deployment_configuration or {}) if hasattr(service, "deployment_configuration") else None,
        )
        force = bool(service_properties.get("force_new_deployment"))
        requested_configuration = service_properties.get("deployment_configuration")
        updated = original_update(self, service_properties)
        updated.deployment_configuration = merged_configuration(before[3], requested_configuration)
        updated.task_definition = arn_of(self, updated.task_definition)
        changed = (updated.task_definition, updated.platform_version, repr(updated.network_configuration)) != before[:3]
        if updated.deployments and (changed or force):
            start_deployment(updated, updated.task_definition)
        elif updated.deployments:
            primary = updated.deployments[0]
            primary["desiredCount"] = updated.desired_count
            if primary.get("rolloutState") == "COMPLETED":
                primary.update(runningCount=updated.desired_count, pendingCount=0)
                updated.running_count, updated.pending_count = updated.desired_count, 0
        return updated

    def describe_services(self: Any, cluster_str: str, service_names_or_arns: list[str]) -> Any:
        services, failures = original_describe(self, cluster_str, service_names_or_arns)
        for service in services:
            advance(self, service)
        return services, failures

    EC2ContainerServiceResponse.create_service = create_service
    EC2ContainerServiceBackend.update_service = update_service
    EC2ContainerServiceBackend.describe_services = describe_services
