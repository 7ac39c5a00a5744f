#!/usr/bin/python
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: ecs_service_autoscaling
short_description: Scale an ECS service with Application Auto Scaling target tracking
version_added: 0.1.0
description:
  - Registers an ECS service's desired count as an Application Auto Scaling scalable target
    (minimum and maximum tasks) and keeps its target tracking policies (average CPU or memory
    utilisation of the service) as given; C(state=absent) removes the policies and deregisters
    the target.
  - community.aws.application_autoscaling_policy changes AWS in check mode, cannot deregister
    a scalable target, and manages one policy per task.
options:
  state:
    description: Whether the service should scale.
    type: str
    choices: [present, absent]
    default: present
  cluster:
    description: Name of the ECS cluster.
    type: str
    required: true
  service:
    description: Name of the ECS service.
    type: str
    required: true
  min_capacity:
    description: Fewest tasks.
    type: int
    default: 1
  max_capacity:
    description: Most tasks.
    type: int
    default: 2
  policies:
    description: Target tracking policies of the service.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: Name of the policy.
        type: str
        required: true
      metric:
        description: The service's average CPU or memory utilisation (percent).
        type: str
        choices: [cpu, memory]
        required: true
      target_value:
        description: Utilisation (percent) the policy keeps the service at.
        type: float
        required: true
      scale_in_cooldown:
        description: Seconds after a scale-in before another.
        type: int
        default: 300
      scale_out_cooldown:
        description: Seconds after a scale-out before another.
        type: int
        default: 60
      disable_scale_in:
        description: Only ever add tasks.
        type: bool
        default: false
  purge_policies:
    description: Delete the target's policies that I(policies) does not name.
    type: bool
    default: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Keep the API between 2 and 6 tasks at 60 % CPU and 75 % memory
  appstack.cloud.ecs_service_autoscaling:
    cluster: civstart-prod-cluster
    service: civstart-prod-api
    min_capacity: 2
    max_capacity: 6
    policies:
      - {name: civstart-prod-api-cpu, metric: cpu, target_value: 60}
      - {name: civstart-prod-api-memory, metric: memory, target_value: 75}
"""

RETURN = r"""
resource_id:
  description: The scalable target's resource id.
  returned: always
  type: str
  sample: service/civstart-prod-cluster/civstart-prod-api
scalable_target:
  description: The scalable target (snake_case); empty when absent or planned in check mode.
  returned: always
  type: dict
policy_names:
  description: Names of the target's policies after the run.
  returned: always
  type: list
  elements: str
"""

from typing import Any

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.appstack.cloud.plugins.module_utils.runner import ensure_state, run_module

NAMESPACE = "ecs"
DIMENSION = "ecs:service:DesiredCount"
METRICS = {"cpu": "ECSServiceAverageCPUUtilization", "memory": "ECSServiceAverageMemoryUtilization"}


def resource_id(params: dict[str, Any]) -> str:
    return f"service/{params['cluster']}/{params['service']}"


def scope(rid: str) -> dict[str, str]:
    return {"ServiceNamespace": NAMESPACE, "ResourceId": rid, "ScalableDimension": DIMENSION}


def find_target(client: Any, rid: str) -> dict[str, Any] | None:
    reply = client.describe_scalable_targets(
        aws_retry=True, ServiceNamespace=NAMESPACE, ResourceIds=[rid], ScalableDimension=DIMENSION
    )
    return next((t for t in reply.get("ScalableTargets", []) if t.get("ResourceId") == rid), None)


def find_policies(client: Any, rid: str) -> dict[str, dict[str, Any]]:
    reply = client.describe_scaling_policies(aws_retry=True, **scope(rid))
    return {p["PolicyName"]: p for p in reply.get("ScalingPolicies", []) if p.get("ResourceId") == rid}


def desired_configuration(policy: dict[str, Any]) -> dict[str, Any]:
    return {
        "TargetValue": float(policy["target_value"]),
        "PredefinedMetricSpecification": {"PredefinedMetricType": METRICS[policy["metric"]]},
        "ScaleInCooldown": int(policy["scale_in_cooldown"]),
        "ScaleOutCooldown": int(policy["scale_out_cooldown"]),
        "DisableScaleIn": bool(policy["disable_scale_in"]),
    }


def comparable(configuration: dict[str, Any]) -> tuple[Any, ...]:
    metric = (configuration.get("PredefinedMetricSpecification") or {}).get("PredefinedMetricType")
    return (
        float(configuration.get("TargetValue", 0)),
        metric,
        int(configuration.get("ScaleInCooldown", 0) or 0),
        int(configuration.get("ScaleOutCooldown", 0) or 0),
        bool(configuration.get("DisableScaleIn", False)),
    )


def ensure_present(client: Any, params: dict[str, Any], check_mode: bool) -> dict[str, Any]:
    rid = resource_id(params)
    changed = False
    target = find_target(client, rid)
    if target is None or (target.get("MinCapacity"), target.get("MaxCapacity")) != (
        params["min_capacity"],
        params["max_capacity"],
    ):
        changed = True
        if not check_mode:
            client.register_scalable_target(
                aws_retry=True, MinCapacity=params["min_capacity"], MaxCapacity=params["max_capacity"], **scope(rid)
            )
    current = find_policies(client, rid) if target is not None else {}
    wanted = {p["name"]: desired_configuration(p) for p in params["policies"]}
    for name, configuration in wanted.items():
        existing = current.get(name)
        if (
            existing is not None
            and existing.get("PolicyType") == "TargetTrackingScaling"
            and comparable(existing.get("TargetTrackingScalingPolicyConfiguration") or {}) == comparable(configuration)
        ):
            continue
        changed = True
        if not check_mode:
            client.put_scaling_policy(
                aws_retry=True,
                PolicyName=name,
                PolicyType="TargetTrackingScaling",
                TargetTrackingScalingPolicyConfiguration=configuration,
                **scope(rid),
            )
    extra = sorted(name for name in current if name not in wanted) if params["purge_policies"] else []
    for name in extra:
        changed = True
        if not check_mode:
            client.delete_scaling_policy(aws_retry=True, PolicyName=name, **scope(rid))
    names = sorted(set(wanted) | (set(current) - set(extra)))
    if check_mode:
        return {"changed": changed, "resource_id": rid, "scalable_target": {}, "policy_names": names}
    target = find_target(client, rid) or {}
    return {
        "changed": changed,
        "resource_id": rid,
        "scalable_target": camel_dict_to_snake_dict(target),
        "policy_names": sorted(find_policies(client, rid)),
    }


def ensure_absent(client: Any, params: dict[str, Any], check_mode: bool) -> dict[str, Any]:
    rid = resource_id(params)
    target = find_target(client, rid)
    result = {"changed": target is not None, "resource_id": rid, "scalable_target": {}, "policy_names": []}
    if target is None or check_mode:
        return result
    # AWS deletes a target's policies with it; deleting them first also keeps stricter emulators clean.
    for name in find_policies(client, rid):
        client.delete_scaling_policy(aws_retry=True, PolicyName=name, **scope(rid))
    client.deregister_scalable_target(aws_retry=True, **scope(rid))
    return result


def run(module: Any, client: Any) -> dict[str, Any]:
    return ensure_state(module, client, ensure_present, ensure_absent)


def main() -> None:
    module = AnsibleAWSModule(
        argument_spec=dict(
            state=dict(default="present", choices=["present", "absent"]),
            cluster=dict(required=True),
            service=dict(required=True),
            min_capacity=dict(type="int", default=1),
            max_capacity=dict(type="int", default=2),
            policies=dict(
                type="list",
                elements="dict",
                default=[],
                options=dict(
                    name=dict(required=True),
                    metric=dict(required=True, choices=list(METRICS)),
                    target_value=dict(type="float", required=True),
                    scale_in_cooldown=dict(type="int", default=300),
                    scale_out_cooldown=dict(type="int", default=60),
                    disable_scale_in=dict(type="bool", default=False),
                ),
            ),
            purge_policies=dict(type="bool", default=True),
        ),
        supports_check_mode=True,
    )
    if module.params["min_capacity"] > module.params["max_capacity"]:
        module.fail_json(msg="min_capacity must not be larger than max_capacity")
    run_module(
        module,
        "application-autoscaling",
        run,
        f"Could not manage the scaling of ECS service {module.params['service']}",
    )


if __name__ == "__main__":
    main()
