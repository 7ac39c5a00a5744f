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
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - appstack.cloud.tags
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

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.appstack.cloud.plugins.module_utils.runner import run_module
from ansible_collections.appstack.cloud.plugins.module_utils.tags import ECR, tags_argument_spec


def find_repository(client, name: str) -> dict[str, Any] | None:
    """The repository as DescribeRepositories returns it, or None."""
    try:
        repositories = client.describe_repositories(aws_retry=True, repositoryNames=[name])
    except is_boto3_error_code("RepositoryNotFoundException"):
        return None
    found = repositories.get("repositories") or []
    return found[0] if found else None


def ensure_tags(module: AnsibleAWSModule, client) -> None:
    params = module.params
    repository = find_repository(client, params["repository_name"])
    if repository is None:
        if module.check_mode:
            module.exit_json(changed=True, exists=False, repository_arn="", repository_uri="", tags={})
        module.fail_json(msg=f"ECR repository {params['repository_name']} does not exist")
    arn = repository["repositoryArn"]
    changed, tags = ECR.sync(client, arn, params["tags"], params["purge_tags"], module.check_mode)
    module.exit_json(
        changed=changed,
        exists=True,
        repository_arn=arn,
        repository_uri=repository.get("repositoryUri", ""),
        tags=tags,
    )


def main() -> None:
    argument_spec = dict(repository_name=dict(required=True), **tags_argument_spec())
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    # ensure_tags exits itself.
    run_module(module, "ecr", ensure_tags, f"Could not tag ECR repository {module.params['repository_name']}")


if __name__ == "__main__":
    main()
