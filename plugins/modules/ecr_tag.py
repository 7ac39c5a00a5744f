#!/usr/bin/python
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: ecr_tag
short_description: Manage the tags of an ECR repository
version_added: 0.1.0
description:
  - Adds, updates and (with I(purge_tags)) removes the tags of an existing ECR repository.
    community.aws.ecs_ecr creates repositories but cannot tag them, and neither collection has
    a module that does.
  - In check mode a repository that does not exist yet is reported as a change (it is being
    planned by an earlier task); outside check mode it is an error.
options:
  repository_name:
    description: Name of the repository.
    type: str
    required: true
  tags:
    description: The tags the repository should have.
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
- name: Tag a repository
  appstack.cloud.ecr_tag:
    repository_name: starttech-prod-backend
    tags:
      Project: starttech
      Environment: prod
"""

RETURN = r"""
exists:
  description: Whether the repository exists (false only in check mode, for a planned one).
  returned: always
  type: bool
repository_arn:
  description: ARN of the repository; empty when it does not exist.
  returned: always
  type: str
  sample: arn:aws:ecr:eu-west-1:123456789012:repository/starttech-prod-backend
repository_uri:
  description: URI of the repository; empty when it does not exist.
  returned: always
  type: str
  sample: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/starttech-prod-backend
tags:
  description: The repository's tags after the run.
  returned: always
  type: dict
"""

from typing import Any

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import (
    ansible_dict_to_boto3_tag_list,
    boto3_tag_list_to_ansible_dict,
    compare_aws_tags,
)


def find_repository(client, name: str) -> dict[str, Any] | None:
    """The repository as DescribeRepositories returns it, or None."""
    try:
        repositories = client.describe_repositories(aws_retry=True, repositoryNames=[name])
    except is_boto3_error_code("RepositoryNotFoundException"):
        return None
    found = repositories.get("repositories") or []
    return found[0] if found else None


def current_tags(client, arn: str) -> dict[str, str]:
    response = client.list_tags_for_resource(aws_retry=True, resourceArn=arn)
    return boto3_tag_list_to_ansible_dict(response.get("tags", []))


def plan(current: dict[str, str], wanted: dict[str, str], purge: bool) -> tuple[dict[str, str], list[str]]:
    """Tags to set and tag keys to remove."""
    return compare_aws_tags(current, wanted, purge_tags=purge)


def ensure_tags(module: AnsibleAWSModule, client) -> None:
    params = module.params
    repository = find_repository(client, params["repository_name"])
    if repository is None:
        if module.check_mode:
            module.exit_json(changed=True, exists=False, repository_arn="", repository_uri="", tags={})
        module.fail_json(msg=f"ECR repository {params['repository_name']} does not exist")
    arn = repository["repositoryArn"]
    tags = current_tags(client, arn)
    wanted = {str(k): str(v) for k, v in (params["tags"] or {}).items()}
    to_set, to_remove = plan(tags, wanted, params["purge_tags"])
    changed = bool(to_set or to_remove)
    if changed and not module.check_mode:
        if to_remove:
            client.untag_resource(aws_retry=True, resourceArn=arn, tagKeys=to_remove)
        if to_set:
            client.tag_resource(aws_retry=True, resourceArn=arn, tags=ansible_dict_to_boto3_tag_list(to_set))
        tags = current_tags(client, arn)
    elif changed:
        tags = {k: v for k, v in tags.items() if k not in to_remove} | to_set
    module.exit_json(
        changed=changed,
        exists=True,
        repository_arn=arn,
        repository_uri=repository.get("repositoryUri", ""),
        tags=tags,
    )


def main() -> None:
    argument_spec = dict(
        repository_name=dict(required=True),
        tags=dict(type="dict", required=True, aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    client = module.client("ecr", retry_decorator=AWSRetry.jittered_backoff())
    try:
        ensure_tags(module, client)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Could not tag ECR repository {module.params['repository_name']}")


if __name__ == "__main__":
    main()
