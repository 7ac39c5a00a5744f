"""Auto Scaling: group tags come back sorted by key, as AWS returns them.

moto keeps a group's tags in insertion order.  amazon.aws.autoscaling_group sorts the tags it
read (in place, which also changes its "before" snapshot) and compares that snapshot with a
fresh DescribeAutoScalingGroups: on moto the two differ unless the tags were given sorted, and
the module reports changed on every run.
"""

from __future__ import annotations

from typing import Any

NAME = "autoscaling_tag_order"
MOTO_VERSION = "5.2.5"
GAP = (
    "DescribeAutoScalingGroups returns tags in insertion order, AWS sorts them by key: "
    "autoscaling_group with unsorted tags reports changed every run"
)


def apply() -> None:
    from moto.autoscaling.models import FakeAutoScalingGroup

    prop = FakeAutoScalingGroup.tags

    def setter(self: Any, tags: list[dict[str, Any]]) -> None:
        prop.fset(self, tags)
        self._tags = sorted(self._tags, key=lambda tag: tag["Key"])

    FakeAutoScalingGroup.tags = property(prop.fget, setter)
