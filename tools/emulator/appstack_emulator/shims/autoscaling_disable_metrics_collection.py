"""Auto Scaling DisableMetricsCollection (not implemented in moto).

amazon.aws.autoscaling_group calls it on every update of a group with
``metrics_collection: false`` (the default), so updating an existing group fails on moto.
"""

from __future__ import annotations

from typing import Any

NAME = "autoscaling_disable_metrics_collection"
MOTO_VERSION = "5.2.5"
GAP = (
    "DisableMetricsCollection is not implemented: autoscaling_group fails to update a group "
    "unless metrics_collection is true"
)


def disable(enabled: list[str], metrics: list[str] | None) -> list[str]:
    """The metrics left enabled: AWS disables all of them when no metric is named."""
    if not metrics:
        return []
    return [metric for metric in enabled if metric not in metrics]


def apply() -> None:
    from moto.autoscaling.exceptions import ValidationError
    from moto.autoscaling.responses import AutoScalingResponse
    from moto.core.responses import EmptyResult

    def disable_metrics_collection(self: Any) -> Any:
        name = self._get_param("AutoScalingGroupName")
        groups = self.autoscaling_backend.describe_auto_scaling_groups([name])
        if not groups:
            raise ValidationError(f"Group {name} not found")
        groups[0].metrics = disable(groups[0].metrics, self._get_param("Metrics", []))
        return EmptyResult()

    AutoScalingResponse.disable_metrics_collection = disable_metrics_collection
