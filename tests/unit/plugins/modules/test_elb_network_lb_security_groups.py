"""Unit tests for appstack.cloud.elb_network_lb_security_groups: a stubbed ELBv2 client."""

from __future__ import annotations

from typing import Any

import pytest
from ansible_collections.appstack.cloud.plugins.modules import elb_network_lb_security_groups as mod

from tests.unit.conftest import FakeModule, client_error

NAME = "civstart-test-nlb"
ARN = f"arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/{NAME}/50dc6c495c0c9188"


class StubElbv2:
    def __init__(self, balancer: dict[str, Any] | None):
        self.balancer = balancer
        self.calls: list[Any] = []

    def describe_load_balancers(self, Names: list[str], aws_retry: bool = False) -> dict[str, Any]:
        self.calls.append("describe")
        if self.balancer is None or Names != [self.balancer["LoadBalancerName"]]:
            raise client_error("LoadBalancerNotFound", "DescribeLoadBalancers", "none")
        return {"LoadBalancers": [dict(self.balancer)]}

    def create_load_balancer(self, aws_retry: bool = False, **request: Any) -> dict[str, Any]:
        self.calls.append(("create", request))
        self.balancer = {
            "LoadBalancerName": request["Name"],
            "LoadBalancerArn": ARN,
            "Type": request["Type"],
            "SecurityGroups": request["SecurityGroups"],
        }
        return {"LoadBalancers": [dict(self.balancer)]}

    def set_security_groups(self, LoadBalancerArn: str, SecurityGroups: list[str], aws_retry: bool = False) -> dict:
        assert LoadBalancerArn == ARN
        self.calls.append(("set", SecurityGroups))
        self.balancer["SecurityGroups"] = SecurityGroups
        return {"SecurityGroupIds": SecurityGroups}


def params(**overrides: Any) -> dict[str, Any]:
    base = {
        "name": NAME,
        "security_groups": ["sg-1"],
        "subnets": ["subnet-a", "subnet-b"],
        "scheme": "internet-facing",
        "ip_address_type": "ipv4",
        "tags": {"Project": "civstart", "Component": "load_balancer"},
    }
    base.update(overrides)
    return base


def nlb(groups: list[str] | None, kind: str = "network") -> dict[str, Any]:
    balancer = {"LoadBalancerName": NAME, "LoadBalancerArn": ARN, "Type": kind}
    if groups is not None:
        balancer["SecurityGroups"] = groups
    return balancer


@pytest.mark.parametrize(
    ("balancer", "wanted", "check_mode", "changed", "created", "action", "groups_after"),
    [
        pytest.param(None, params(), False, True, True, "create", ["sg-1"], id="create-with-groups"),
        pytest.param(None, params(), True, True, True, None, None, id="create-check-mode"),
        pytest.param(None, params(security_groups=[]), False, False, False, None, None, id="nothing-to-do"),
        pytest.param(nlb(["sg-1"]), params(), False, False, False, None, ["sg-1"], id="no-op"),
        pytest.param(
            nlb(["sg-2", "sg-1"]),
            params(security_groups=["sg-1", "sg-2"]),
            False,
            False,
            False,
            None,
            ["sg-2", "sg-1"],
            id="no-op-order",
        ),
        pytest.param(nlb(["sg-1"]), params(security_groups=["sg-2"]), False, True, False, "set", ["sg-2"], id="update"),
        pytest.param(
            nlb(["sg-1"]), params(security_groups=["sg-2"]), True, True, False, None, ["sg-1"], id="update-check-mode"
        ),
        pytest.param(nlb(["sg-1"]), params(security_groups=[]), False, True, False, "set", [], id="remove-all"),
        pytest.param(nlb(None), params(security_groups=[]), False, False, False, None, None, id="none-wanted-none-had"),
    ],
)
def test_run(balancer, wanted, check_mode, changed, created, action, groups_after):
    client = StubElbv2(balancer)

    result = mod.run(FakeModule(wanted, check_mode=check_mode), client)

    assert result["changed"] is changed
    assert result["created"] is created
    assert sorted(result["security_groups"]) == sorted(
        wanted["security_groups"] if changed else result["security_groups"]
    )
    actions = [c[0] for c in client.calls if c != "describe"]
    assert actions == ([action] if action else [])
    if groups_after is not None:
        assert client.balancer.get("SecurityGroups") == groups_after
    if action == "create":
        request = client.calls[-1][1]
        assert request["Type"] == "network"
        assert request["Subnets"] == ["subnet-a", "subnet-b"]
        assert {"Key": "Component", "Value": "load_balancer"} in request["Tags"]
        assert result["load_balancer_arn"] == ARN


@pytest.mark.parametrize(
    ("balancer", "wanted", "message"),
    [
        pytest.param(nlb([]), params(), "created without security groups", id="cannot-add-groups"),
        pytest.param(nlb(None), params(), "created without security groups", id="cannot-add-groups-key-missing"),
        pytest.param(nlb(["sg-1"], kind="application"), params(), "not a network one", id="wrong-type"),
        pytest.param(None, params(subnets=[]), "no subnets", id="create-without-subnets"),
    ],
)
def test_refused(balancer, wanted, message):
    client = StubElbv2(balancer)

    with pytest.raises(mod.ModuleError, match=message):
        mod.run(FakeModule(wanted), client)
    assert [c for c in client.calls if c != "describe"] == []


def test_main_creates(run_main):
    client = StubElbv2(None)

    result = run_main(mod, {"name": NAME, "security_groups": ["sg-1"], "subnets": ["subnet-a"]}, client)

    assert result["changed"] is True
    assert client.balancer["SecurityGroups"] == ["sg-1"]


def test_main_explains_a_refusal(run_main):
    result = run_main(mod, {"name": NAME, "security_groups": ["sg-1"]}, StubElbv2(nlb([])))

    assert result["failed"] is True
    assert "cannot add them" in result["msg"]
