#!/usr/bin/python
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: elasticache_tag
short_description: Manage the tags of an ElastiCache resource
version_added: 0.1.0
description:
  - Adds, updates and (with I(purge_tags)) removes the tags of an existing ElastiCache
    resource given by its ARN (subnet group, parameter group, cluster, snapshot, ...).
    community.aws.elasticache_subnet_group creates subnet groups but cannot tag them, and
    neither collection has a module that does.
options:
  resource:
    description: ARN of the resource.
    type: str
    required: true
    aliases: [resource_arn]
  tags:
    description: The tags the resource should have.
    type: dict
    required: true
    aliases: [resource_tags]
  purge_tags:
    description: Remove tags not in I(tags).
    type: bool
    default: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Tag a subnet group
  appstack.cloud.elasticache_tag:
    resource: "{{ subnet_group.cache_subnet_group.arn }}"
    tags:
      Project: civstart
      Environment: prod
"""

RETURN = r"""
tags:
  description: The resource's tags after the run (in check mode, as they would be).
  returned: always
  type: dict
  sample: {Project: civstart, Environment: prod}
"""

from typing import Any

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import (
    ansible_dict_to_boto3_tag_list,
    boto3_tag_list_to_ansible_dict,
    compare_aws_tags,
)


def current_tags(client: Any, arn: str) -> dict[str, str]:
    reply = client.list_tags_for_resource(aws_retry=True, ResourceName=arn)
    return boto3_tag_list_to_ansible_dict(reply.get("TagList", []))


def ensure_tags(client: Any, arn: str, wanted: dict[str, Any], purge: bool, check_mode: bool) -> dict[str, Any]:
    """Set the tags; return changed and the tags after the run."""
    tags = current_tags(client, arn)
    to_set, to_remove = compare_aws_tags(tags, {str(k): str(v) for k, v in wanted.items()}, purge_tags=purge)
    changed = bool(to_set or to_remove)
    if changed and not check_mode:
        if to_remove:
            client.remove_tags_from_resource(aws_retry=True, ResourceName=arn, TagKeys=to_remove)
        if to_set:
            client.add_tags_to_resource(aws_retry=True, ResourceName=arn, Tags=ansible_dict_to_boto3_tag_list(to_set))
        return {"changed": True, "tags": current_tags(client, arn)}
    after = {key: value for key, value in tags.items() if key not in to_remove} | to_set
    return {"changed": changed, "tags": after}


def main() -> None:
    argument_spec = dict(
        resource=dict(required=True, aliases=["resource_arn"]),
        tags=dict(type="dict", required=True, aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    client = module.client("elasticache", retry_decorator=AWSRetry.jittered_backoff())
    params = module.params
    try:
        result = ensure_tags(client, params["resource"], params["tags"], params["purge_tags"], module.check_mode)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Could not tag {params['resource']}")
    module.exit_json(**result)


if __name__ == "__main__":
    main()
