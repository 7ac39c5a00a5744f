"""EC2 CreateLaunchTemplate: the template's own tags stay out of its launch data.

moto appends the request's top-level ``TagSpecifications`` (ResourceType ``launch-template``:
the tags of the template itself) to ``LaunchTemplateData.TagSpecifications``, which AWS keeps
for what the template launches (instance, volume, network-interface, spot-instances-request).
DescribeLaunchTemplateVersions then returns data that differs from what was sent, and
amazon.aws.ec2_launch_template with ``tags`` creates a new version on every run.
"""

from __future__ import annotations

from typing import Any

NAME = "ec2_launch_template_tag_specifications"
MOTO_VERSION = "5.2.5"
GAP = (
    "CreateLaunchTemplate copies the template's own tags (ResourceType launch-template) into "
    "LaunchTemplateData.TagSpecifications: ec2_launch_template with tags adds a version every run"
)

# What the launch template itself is tagged as; AWS never keeps it in the launch data.
TEMPLATE_RESOURCE_TYPE = "launch-template"


def strip_template_tags(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` without tag specifications for the template itself (a copy when changed)."""
    specs = data.get("TagSpecifications")
    if not specs:
        return data
    kept = [spec for spec in specs if spec.get("ResourceType") != TEMPLATE_RESOURCE_TYPE]
    if len(kept) == len(specs):
        return data
    data = dict(data)
    if kept:
        data["TagSpecifications"] = kept
    else:
        del data["TagSpecifications"]
    return data


def apply() -> None:
    from moto.ec2.models.launch_templates import LaunchTemplateBackend

    original = LaunchTemplateBackend.create_launch_template

    def create_launch_template(
        self: Any,
        name: str,
        description: str,
        template_data: dict[str, Any],
        tag_spec: dict[str, Any],
    ) -> Any:
        return original(self, name, description, strip_template_tags(template_data), tag_spec)

    LaunchTemplateBackend.create_launch_template = create_launch_template
