"""Shim elbv2_target_health: reported health, draining for the deregistration delay, unused."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from .support import Emulator

pytestmark = pytest.mark.emulator

REPORT = "/moto-api/appstack/target-health"


def _group(emu: Emulator, name: str, delay: int = 2) -> tuple[Any, str]:
    ec2, elbv2 = emu.client("ec2"), emu.client("elbv2")
    vpc = ec2.create_vpc(CidrBlock="10.78.0.0/16")["Vpc"]["VpcId"]
    arn = elbv2.create_target_group(Name=name, Protocol="HTTP", Port=8080, VpcId=vpc, TargetType="ip")["TargetGroups"][
        0
    ]["TargetGroupArn"]
    elbv2.modify_target_group_attributes(
        TargetGroupArn=arn, Attributes=[{"Key": "deregistration_delay.timeout_seconds", "Value": str(delay)}]
    )
    return elbv2, arn


def _health(elbv2: Any, arn: str, **kwargs: Any) -> dict[str, tuple[str, str | None]]:
    described = elbv2.describe_target_health(TargetGroupArn=arn, **kwargs)["TargetHealthDescriptions"]
    return {d["Target"]["Id"]: (d["TargetHealth"]["State"], d["TargetHealth"].get("Reason")) for d in described}


def test_unwatched_targets_keep_moto_health(emulator: Emulator, unique: Callable[[str], str]) -> None:
    elbv2, arn = _group(emulator, unique("th"))
    elbv2.register_targets(TargetGroupArn=arn, Targets=[{"Id": "10.78.0.5"}])
    assert _health(elbv2, arn) == {"10.78.0.5": ("healthy", None)}


def test_reported_health_is_described(emulator: Emulator, unique: Callable[[str], str]) -> None:
    elbv2, arn = _group(emulator, unique("th"))
    elbv2.register_targets(TargetGroupArn=arn, Targets=[{"Id": "10.78.0.5"}, {"Id": "10.78.0.6"}])
    report = {
        "TargetGroupArn": arn,
        "Ttl": 1,
        "Targets": [
            {"Id": "10.78.0.5", "Port": 8080, "State": "unhealthy", "Reason": "Target.Timeout", "Description": "x"}
        ],
    }
    assert emulator.post(REPORT, report) == {"targets": 1}
    # Watched: the reported state, and "initial" for a registered target not checked yet.
    assert _health(elbv2, arn) == {
        "10.78.0.5": ("unhealthy", "Target.Timeout"),
        "10.78.0.6": ("initial", "Elb.RegistrationInProgress"),
    }
    time.sleep(1.1)  # the report's Ttl: nobody watches any more
    assert _health(elbv2, arn) == {"10.78.0.5": ("healthy", None), "10.78.0.6": ("healthy", None)}
    assert emulator.post_status(REPORT, {"TargetGroupArn": arn, "Targets": [{"Id": "x", "Port": 1}]}) == 400


def test_deregistered_target_drains_for_the_delay(emulator: Emulator, unique: Callable[[str], str]) -> None:
    elbv2, arn = _group(emulator, unique("th"), delay=2)
    target = {"Id": "10.78.0.7", "Port": 8080}
    elbv2.register_targets(TargetGroupArn=arn, Targets=[target])
    elbv2.deregister_targets(TargetGroupArn=arn, Targets=[target])
    draining = ("draining", "Target.DeregistrationInProgress")
    assert _health(elbv2, arn) == {"10.78.0.7": draining}
    assert _health(elbv2, arn, Targets=[target]) == {"10.78.0.7": draining}
    elbv2.deregister_targets(TargetGroupArn=arn, Targets=[target])  # accepted again, as on AWS
    time.sleep(2.1)
    assert _health(elbv2, arn) == {}
    assert _health(elbv2, arn, Targets=[target]) == {"10.78.0.7": ("unused", "Target.NotRegistered")}
    # Registering it again while it drains (or after) makes it a normal target.
    elbv2.register_targets(TargetGroupArn=arn, Targets=[target])
    assert _health(elbv2, arn) == {"10.78.0.7": ("healthy", None)}


def test_unregistered_ip_target_is_unused(emulator: Emulator, unique: Callable[[str], str]) -> None:
    elbv2, arn = _group(emulator, unique("th"))
    assert _health(elbv2, arn, Targets=[{"Id": "10.78.0.9", "Port": 8080}]) == {
        "10.78.0.9": ("unused", "Target.NotRegistered")
    }


def test_gap_moto_drops_deregistered_targets_at_once(bare_emulator: Emulator, unique: Callable[[str], str]) -> None:
    elbv2, arn = _group(bare_emulator, unique("th"), delay=300)
    target = {"Id": "10.78.0.7", "Port": 8080}
    elbv2.register_targets(TargetGroupArn=arn, Targets=[target])
    elbv2.deregister_targets(TargetGroupArn=arn, Targets=[target])
    assert _health(elbv2, arn) == {}
    assert _health(elbv2, arn, Targets=[{"Id": "10.78.0.9", "Port": 8080}])["10.78.0.9"][0] == "unavailable"
    assert bare_emulator.post_status(REPORT, {"TargetGroupArn": arn, "Targets": []}) == 404
