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
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - appstack.cloud.tags
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

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.appstack.cloud.plugins.module_utils.runner import run_module
from ansible_collections.appstack.cloud.plugins.module_utils.tags import ELASTICACHE, tags_argument_spec


def ensure_tags(client: Any, arn: str, wanted: dict[str, Any], purge: bool, check_mode: bool) -> dict[str, Any]:
    """Set the tags; return changed and the tags after the run."""
    changed, tags = ELASTICACHE.sync(client, arn, wanted, purge, check_mode)
    return {"changed": changed, "tags": tags}


def run(module: Any, client: Any) -> dict[str, Any]:
    params = module.params
    return ensure_tags(client, params["resource"], params["tags"], params["purge_tags"], module.check_mode)


def main() -> None:
    argument_spec = dict(resource=dict(required=True, aliases=["resource_arn"]), **tags_argument_spec())
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    run_module(module, "elasticache", run, f"Could not tag {module.params['resource']}")


if __name__ == "__main__":
    main()
