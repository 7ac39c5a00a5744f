"""Unit tests for appstack.cloud.ecs_service_autoscaling: a stubbed Application Auto Scaling client."""

from __future__ import annotations

from typing import Any

import pytest
from ansible_collections.appstack.cloud.plugins.modules import ecs_service_autoscaling as mod

from tests.unit.conftest import FakeModule

RID = "service/civstart-test-cluster/civstart-test-api"


def policy(name: str, metric: str, target: float, **overrides: Any) -> dict[str, Any]:
    base = {
        "name": name,
        "metric": metric,
        "target_value": target,
        "scale_in_cooldown": 300,
        "scale_out_cooldown": 60,
        "disable_scale_in": False,
    }
    base.update(overrides)
    return base


CPU = policy("api-cpu", "cpu", 60)
MEMORY = policy("api-memory", "memory", 75)


def params(**overrides: Any) -> dict[str, Any]:
    base = {
        "state": "present",
        "cluster": "civstart-test-cluster",
        "service": "civstart-test-api",
        "min_capacity": 2,
        "max_capacity": 4,
        "policies": [CPU, MEMORY],
        "purge_policies": True,
    }
    base.update(overrides)
    return base


class StubScaling:
    def __init__(self, target: tuple[int, int] | None = None, policies: list[dict[str, Any]] | None = None):
        self.target = target
        self.policies = {
            p["name"]: {
                "PolicyName": p["name"],
                "ResourceId": RID,
                "PolicyType": "TargetTrackingScaling",
                # AWS returns what it was given, the target value as a float.
                "TargetTrackingScalingPolicyConfiguration": mod.desired_configuration(p),
            }
            for p in policies or []
        }
        self.calls: list[Any] = []

    def describe_scalable_targets(
        self, ServiceNamespace: str, ResourceIds: list[str], ScalableDimension: str, aws_retry=False
    ):
        assert (ServiceNamespace, ResourceIds, ScalableDimension) == ("ecs", [RID], "ecs:service:DesiredCount")
        if self.target is None:
            return {"ScalableTargets": []}
        return {"ScalableTargets": [{"ResourceId": RID, "MinCapacity": self.target[0], "MaxCapacity": self.target[1]}]}

    def register_scalable_target(self, MinCapacity: int, MaxCapacity: int, aws_retry=False, **scope: Any) -> dict:
        self.calls.append(("register", MinCapacity, MaxCapacity))
        self.target = (MinCapacity, MaxCapacity)
        return {}

    def deregister_scalable_target(self, aws_retry=False, **scope: Any) -> dict:
        self.calls.append(("deregister",))
        self.target = None
        return {}

    def describe_scaling_policies(self, aws_retry=False, **scope: Any) -> dict[str, Any]:
        assert scope["ResourceId"] == RID
        return {"ScalingPolicies": list(self.policies.values())}

    def put_scaling_policy(
        self,
        PolicyName: str,
        PolicyType: str,
        TargetTrackingScalingPolicyConfiguration: dict,
        aws_retry=False,
        **scope: Any,
    ) -> dict:
        self.calls.append(("put", PolicyName))
        self.policies[PolicyName] = {
            "PolicyName": PolicyName,
            "ResourceId": RID,
            "PolicyType": PolicyType,
            "TargetTrackingScalingPolicyConfiguration": TargetTrackingScalingPolicyConfiguration,
        }
        return {}

    def delete_scaling_policy(self, PolicyName: str, aws_retry=False, **scope: Any) -> dict:
        self.calls.append(("delete", PolicyName))
        del self.policies[PolicyName]
        return {}


@pytest.mark.parametrize(
    ("stub", "wanted", "check_mode", "changed", "calls"),
    [
        pytest.param(
            StubScaling(),
            params(),
            False,
            True,
            [("register", 2, 4), ("put", "api-cpu"), ("put", "api-memory")],
            id="create",
        ),
        pytest.param(StubScaling(), params(), True, True, [], id="create-check-mode"),
        pytest.param(StubScaling((2, 4), [CPU, MEMORY]), params(), False, False, [], id="no-op"),
        pytest.param(
            StubScaling((2, 4), [CPU, MEMORY]), params(max_capacity=6), False, True, [("register", 2, 6)], id="new-max"
        ),
        pytest.param(
            StubScaling((2, 4), [CPU, MEMORY]),
            params(policies=[policy("api-cpu", "cpu", 50), MEMORY]),
            False,
            True,
            [("put", "api-cpu")],
            id="new-target",
        ),
        pytest.param(
            StubScaling((2, 4), [CPU, MEMORY]),
            params(policies=[policy("api-cpu", "cpu", 60, scale_in_cooldown=120), MEMORY]),
            True,
            True,
            [],
            id="new-cooldown-check-mode",
        ),
        pytest.param(
            StubScaling((2, 4), [CPU, MEMORY, policy("old", "cpu", 90)]),
            params(),
            False,
            True,
            [("delete", "old")],
            id="purge",
        ),
        pytest.param(
            StubScaling((2, 4), [CPU, MEMORY, policy("old", "cpu", 90)]),
            params(purge_policies=False),
            False,
            False,
            [],
            id="keep-others",
        ),
        pytest.param(
            StubScaling((2, 4), [CPU, MEMORY]),
            params(state="absent"),
            False,
            True,
            [("delete", "api-cpu"), ("delete", "api-memory"), ("deregister",)],
            id="absent",
        ),
        pytest.param(StubScaling((2, 4), [CPU]), params(state="absent"), True, True, [], id="absent-check-mode"),
        pytest.param(StubScaling(), params(state="absent"), False, False, [], id="already-absent"),
    ],
)
def test_run(stub, wanted, check_mode, changed, calls):
    result = mod.run(FakeModule(wanted, check_mode=check_mode), stub)

    assert result["changed"] is changed
    assert stub.calls == calls
    assert result["resource_id"] == RID
    if wanted["state"] == "present" and not check_mode:
        assert result["policy_names"] == sorted(stub.policies)
        assert result["scalable_target"]["min_capacity"] == wanted["min_capacity"]


def test_policy_configuration():
    configuration = mod.desired_configuration(policy("p", "memory", 75))

    assert configuration == {
        "TargetValue": 75.0,
        "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageMemoryUtilization"},
        "ScaleInCooldown": 300,
        "ScaleOutCooldown": 60,
        "DisableScaleIn": False,
    }


def test_aws_leaving_out_disable_scale_in_is_not_a_change():
    stub = StubScaling((2, 4), [CPU, MEMORY])
    for stored in stub.policies.values():
        stored["TargetTrackingScalingPolicyConfiguration"].pop("DisableScaleIn")

    assert mod.run(FakeModule(params()), stub)["changed"] is False


def test_main_refuses_min_above_max(run_main):
    stub = StubScaling()

    result = run_main(mod, {"cluster": "c", "service": "s", "min_capacity": 5, "max_capacity": 2}, stub)

    assert result["failed"] is True
    assert stub.calls == []


def test_main_fills_policy_defaults(run_main):
    stub = StubScaling()
    args = {
        "cluster": "civstart-test-cluster",
        "service": "civstart-test-api",
        "policies": [{"name": "api-cpu", "metric": "cpu", "target_value": 60}],
    }

    result = run_main(mod, args, stub)

    assert result["changed"] is True
    stored = stub.policies["api-cpu"]["TargetTrackingScalingPolicyConfiguration"]
    assert (stored["ScaleInCooldown"], stored["ScaleOutCooldown"], stored["DisableScaleIn"]) == (300, 60, False)
