"""Auto Scaling: an instance reports the launch template version it was launched from.

moto answers ``Instances[].LaunchTemplate.Version`` of DescribeAutoScalingGroups and
DescribeAutoScalingInstances with the template's *current default* version (an integer), so
every instance seems to run the newest template and nothing can tell which instances an
instance refresh still has to replace.  AWS reports the version the group launched the
instance with (a string).  This shim stamps each instance the group launches with the
version the group used and reports that (moto's own instances keep the integer fallback as
a string).
"""

from __future__ import annotations

from typing import Any

NAME = "autoscaling_instance_launch_template_version"
MOTO_VERSION = "5.2.5"
GAP = (
    "Instances[].LaunchTemplate.Version is the template's current default version, not the "
    "version the instance was launched from: instances on an old version cannot be found"
)

STAMP = "_appstack_launch_template_version"
VERSION_TAG = "aws:ec2launchtemplate:version"


def group_version(group: Any) -> str | None:
    """The template version number the group launches now, as a string."""
    if group.ec2_launch_template is None:
        return None
    return str(group.ec2_launch_template.get_version(group.launch_template_version).number)


def apply() -> None:
    from moto.autoscaling.models import FakeAutoScalingGroup, InstanceState

    original_replace = FakeAutoScalingGroup.replace_autoscaling_group_instances
    original_launch_template = InstanceState.launch_template

    def replace_autoscaling_group_instances(self: Any, count_needed: int, propagated_tags: dict[str, str]) -> None:
        known = {id(state) for state in self.instance_states}
        original_replace(self, count_needed, propagated_tags)
        version = group_version(self)
        if version is None:
            return
        for state in self.instance_states:
            if id(state) not in known:
                state.instance.__dict__[STAMP] = version
                state.instance.add_tags({VERSION_TAG: version})

    def launch_template(self: Any) -> dict[str, Any] | None:
        spec = original_launch_template.fget(self)
        if spec is None:
            return None
        stamp = self.instance.__dict__.get(STAMP)
        spec["Version"] = stamp if stamp is not None else str(spec["Version"])
        return spec

    FakeAutoScalingGroup.replace_autoscaling_group_instances = replace_autoscaling_group_instances
    InstanceState.launch_template = property(launch_template)
