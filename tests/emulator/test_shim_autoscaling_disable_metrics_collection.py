"""Shim autoscaling_disable_metrics_collection: DisableMetricsCollection, as on AWS."""

from __future__ import annotations

from collections.abc import Callable

import botocore.exceptions
import pytest
from appstack_emulator.shims.autoscaling_disable_metrics_collection import disable

from .fleet_support import describe_group, group, launch_template, server_error, subnet
from .support import Emulator

pytestmark = pytest.mark.emulator


@pytest.mark.parametrize(
    ("enabled", "metrics", "left"),
    [
        (["A", "B"], None, []),
        (["A", "B"], [], []),
        (["A", "B"], ["A"], ["B"]),
        (["A"], ["C"], ["A"]),
    ],
)
def test_disable(enabled: list[str], metrics: list[str] | None, left: list[str]) -> None:
    assert disable(enabled, metrics) == left


def test_disables_named_then_all_metrics(emulator: Emulator, unique: Callable[[str], str]) -> None:
    name = unique("metrics")
    group(emulator, name, launch_template(emulator, name), subnet(emulator, "10.63"))
    autoscaling = emulator.client("autoscaling")
    autoscaling.enable_metrics_collection(
        AutoScalingGroupName=name, Granularity="1Minute", Metrics=["GroupMinSize", "GroupMaxSize"]
    )
    autoscaling.disable_metrics_collection(AutoScalingGroupName=name, Metrics=["GroupMinSize"])
    assert [m["Metric"] for m in describe_group(emulator, name)["EnabledMetrics"]] == ["GroupMaxSize"]
    autoscaling.disable_metrics_collection(AutoScalingGroupName=name)
    assert describe_group(emulator, name).get("EnabledMetrics", []) == []


def test_unknown_group_is_refused(emulator: Emulator, unique: Callable[[str], str]) -> None:
    with pytest.raises(botocore.exceptions.ClientError) as error:
        emulator.client("autoscaling").disable_metrics_collection(AutoScalingGroupName=unique("none"))
    assert error.value.response["Error"]["Code"] == "ValidationError"


def test_gap_not_implemented(bare_emulator: Emulator, unique: Callable[[str], str]) -> None:
    name = unique("metrics")
    group(bare_emulator, name, launch_template(bare_emulator, name), subnet(bare_emulator, "10.63"))
    autoscaling = bare_emulator.client("autoscaling")
    assert server_error(lambda: autoscaling.disable_metrics_collection(AutoScalingGroupName=name))
