"""EC2 DescribeTags: accept and report AWS's resource-type names.

moto derives a tag's resource type from the id prefix and names it after its own table
(``nat-gateway``, ``vpc-elastic-ip``); AWS calls them ``natgateway`` and ``elastic-ip``.
amazon.aws's ``describe_ec2_tags`` filters by the AWS name, finds no tags on moto, and
``ec2_vpc_nat_gateway`` (and ``ec2_eip``) with tags report changed on every run.
"""

from __future__ import annotations

from typing import Any

NAME = "ec2_tag_resource_types"
MOTO_VERSION = "5.2.5"
GAP = (
    "DescribeTags resource-type is nat-gateway / vpc-elastic-ip instead of AWS's natgateway / "
    "elastic-ip: ec2_vpc_nat_gateway and ec2_eip with tags report changed every run"
)

AWS_TO_MOTO = {"natgateway": "nat-gateway", "elastic-ip": "vpc-elastic-ip"}
MOTO_TO_AWS = {moto: aws for aws, moto in AWS_TO_MOTO.items()}


def apply() -> None:
    from moto.ec2.models.tags import TagBackend

    original = TagBackend.describe_tags

    def describe_tags(self: Any, filters: dict[str, list[str]] | None = None) -> Any:
        if filters and "resource-type" in filters:
            filters = dict(filters)
            filters["resource-type"] = [AWS_TO_MOTO.get(v, v) for v in filters["resource-type"]]
        results = original(self, filters=filters)
        for result in results:
            kind = result.get("resource_type")
            result["resource_type"] = MOTO_TO_AWS.get(kind, kind)
        return results

    TagBackend.describe_tags = describe_tags
