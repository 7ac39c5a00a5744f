#!/usr/bin/python
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: elasticache_parameter_group
short_description: Manage an ElastiCache cache parameter group, its parameters and tags
version_added: 0.1.0
description:
  - Creates, updates and deletes an ElastiCache cache parameter group of any family
    (C(redis7), C(valkey8), ...). community.aws.elasticache_parameter_group accepts families
    up to C(redis6.x) only and cannot tag a group.
  - Parameters are compared with DescribeCacheParameters; only those that differ are changed
    (ModifyCacheParameterGroup, 20 per call), and with I(purge_parameters) the ones set
    earlier but no longer listed go back to their defaults (ResetCacheParameterGroup).
  - Supports check mode and diff mode.
options:
  name:
    description: The group's name (AWS keeps it in lower case).
    type: str
    required: true
  state:
    description: Whether the group should exist.
    type: str
    choices: [present, absent]
    default: present
  family:
    description:
      - The family, for example C(redis7). Required to create a group; a group cannot change
        family, so a different one makes the module fail.
    type: str
  description:
    description:
      - The group's description, set at creation (AWS cannot change it later). Defaults to the name.
    type: str
  parameters:
    description:
      - Parameter name -> value, for example C(maxmemory-policy=allkeys-lru). Booleans become
        C(yes) / C(no), numbers text, as AWS keeps them.
    type: dict
    default: {}
  purge_parameters:
    description: Reset parameters set earlier (C(Source) C(user)) that are not in I(parameters).
    type: bool
    default: true
notes:
  - Parameters of change type C(requires-reboot) take effect once the clusters using the group
    restart; the module does not restart them.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: A Redis 7 parameter group that evicts the least recently used keys
  appstack.cloud.elasticache_parameter_group:
    name: civstart-prod-redis
    family: redis7
    description: CivStart Redis settings
    parameters:
      maxmemory-policy: allkeys-lru
      timeout: 300
    tags:
      Project: civstart

- name: Remove it (it must no longer be used by a cluster)
  appstack.cloud.elasticache_parameter_group:
    name: civstart-prod-redis
    state: absent
"""

RETURN = r"""
cache_parameter_group:
  description: The group (name, family, description, ARN, tags); empty when it does not exist.
  returned: always
  type: dict
  sample:
    cache_parameter_group_name: civstart-prod-redis
    cache_parameter_group_family: redis7
    description: CivStart Redis settings
    arn: arn:aws:elasticache:eu-west-1:123456789012:parametergroup:civstart-prod-redis
    tags: {Project: civstart}
parameters:
  description: The parameters set in the group (C(Source) C(user)) after the run, name -> value.
  returned: always
  type: dict
  sample: {maxmemory-policy: allkeys-lru, timeout: "300"}
changes:
  description: Names of the parameters changed or reset, and C(tags) / C(cache_parameter_group) when those changed.
  returned: always
  type: list
  elements: str
  sample: [maxmemory-policy, tags]
"""

from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.appstack.cloud.plugins.module_utils.runner import ModuleError, run_module, trim_diff
from ansible_collections.appstack.cloud.plugins.module_utils.tags import ELASTICACHE

PER_CALL = 20


def as_value(value: Any) -> str:
    """A parameter value as AWS keeps it."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def describe_group(client: Any, name: str) -> dict[str, Any] | None:
    try:
        reply = client.describe_cache_parameter_groups(aws_retry=True, CacheParameterGroupName=name)
    except is_boto3_error_code("CacheParameterGroupNotFound"):
        return None
    found = reply.get("CacheParameterGroups") or []
    return found[0] if found else None


def describe_parameters(client: Any, name: str) -> list[dict[str, Any]]:
    parameters: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"CacheParameterGroupName": name}
    while True:
        reply = client.describe_cache_parameters(aws_retry=True, **kwargs)
        parameters.extend(reply.get("Parameters") or [])
        if not reply.get("Marker"):
            return parameters
        kwargs["Marker"] = reply["Marker"]


def user_values(parameters: list[dict[str, Any]]) -> dict[str, str]:
    return {p["ParameterName"]: p.get("ParameterValue", "") for p in parameters if p.get("Source") == "user"}


def plan(parameters: list[dict[str, Any]], wanted: dict[str, str], purge: bool) -> tuple[dict[str, str], list[str]]:
    """Parameters to set (name -> value) and to reset; ModuleError for unknown or fixed ones."""
    known = {p["ParameterName"]: p for p in parameters}
    unknown = sorted(set(wanted) - set(known))
    if unknown:
        raise ModuleError(f"unknown parameters for this family: {', '.join(unknown)}")
    to_set = {name: value for name, value in wanted.items() if known[name].get("ParameterValue", "") != value}
    fixed = sorted(name for name in to_set if known[name].get("IsModifiable") is False)
    if fixed:
        raise ModuleError(f"parameters AWS does not let you change: {', '.join(fixed)}")
    to_reset = sorted(set(user_values(parameters)) - set(wanted)) if purge else []
    return to_set, to_reset


def chunks(items: list[Any]) -> list[list[Any]]:
    return [items[i : i + PER_CALL] for i in range(0, len(items), PER_CALL)]


class Runner:
    def __init__(self, client: Any, params: dict[str, Any], check_mode: bool) -> None:
        self.client = client
        self.params = params
        self.check_mode = check_mode
        self.name = params["name"]

    def wanted(self) -> dict[str, str]:
        return {str(name): as_value(value) for name, value in (self.params.get("parameters") or {}).items()}

    def present(self) -> dict[str, Any]:
        group = describe_group(self.client, self.name)
        wanted = self.wanted()
        changes: list[str] = []
        if group is None:
            if not self.params.get("family"):
                raise ModuleError("family is needed to create a parameter group")
            changes.append("cache_parameter_group")
            if self.check_mode:
                planned = {
                    "cache_parameter_group_name": self.name,
                    "cache_parameter_group_family": self.params["family"],
                    "description": self.params.get("description") or self.name,
                    "arn": "",
                    "tags": self.params.get("tags") or {},
                }
                diff = {"before": {}, "after": {"parameters": wanted}}
                return {"changed": True, "changes": changes, "group": planned, "parameters": wanted, "diff": diff}
            request = {
                "CacheParameterGroupName": self.name,
                "CacheParameterGroupFamily": self.params["family"],
                "Description": self.params.get("description") or self.name,
            }
            if self.params.get("tags"):
                request["Tags"] = ELASTICACHE.tag_list(self.params["tags"])
            self.client.create_cache_parameter_group(aws_retry=True, **request)
            group = describe_group(self.client, self.name)
        elif self.params.get("family") and group["CacheParameterGroupFamily"] != self.params["family"]:
            raise ModuleError(
                f"parameter group {self.name} is of family {group['CacheParameterGroupFamily']}, "
                f"not {self.params['family']}; a group cannot change family"
            )
        # Everything is planned (and checked) before anything changes.
        parameters = describe_parameters(self.client, self.name)
        before = user_values(parameters)
        to_set, to_reset = plan(parameters, wanted, self.params["purge_parameters"])
        # A group this run made has its tags already.
        wanted_tags = None if changes else self.params.get("tags")
        tags_to_set, tags_to_remove = ELASTICACHE.changes(
            self.client, group["ARN"], wanted_tags, self.params["purge_tags"]
        )
        if tags_to_set or tags_to_remove:
            changes.append("tags")
        changes.extend(sorted(set(to_set) | set(to_reset)))
        if not self.check_mode:
            ELASTICACHE.apply(self.client, group["ARN"], tags_to_set, tags_to_remove)
            for chunk in chunks(sorted(to_set.items())):
                self.client.modify_cache_parameter_group(
                    aws_retry=True,
                    CacheParameterGroupName=self.name,
                    ParameterNameValues=[{"ParameterName": n, "ParameterValue": v} for n, v in chunk],
                )
            for chunk in chunks(to_reset):
                self.client.reset_cache_parameter_group(
                    aws_retry=True,
                    CacheParameterGroupName=self.name,
                    ResetAllParameters=False,
                    ParameterNameValues=[{"ParameterName": n} for n in chunk],
                )
            if to_set or to_reset:
                parameters = describe_parameters(self.client, self.name)
        after = {name: value for name, value in {**before, **to_set}.items() if name not in to_reset}
        return {
            "changed": bool(changes),
            "changes": changes,
            "group": ELASTICACHE.snake_with_listed_tags(self.client, group, group.get("ARN")),
            "parameters": after if self.check_mode else user_values(parameters),
            "diff": {"before": {"parameters": before}, "after": {"parameters": after}},
        }

    def absent(self) -> dict[str, Any]:
        group = describe_group(self.client, self.name)
        if group is None:
            return {"changed": False, "changes": [], "group": {}, "parameters": {}}
        if not self.check_mode:
            try:
                self.client.delete_cache_parameter_group(aws_retry=True, CacheParameterGroupName=self.name)
            except is_boto3_error_code("CacheParameterGroupNotFound"):
                return {"changed": False, "changes": [], "group": {}, "parameters": {}}
        diff = {"before": {"cache_parameter_group_name": self.name}, "after": {}}
        return {"changed": True, "changes": ["cache_parameter_group"], "group": {}, "parameters": {}, "diff": diff}

    def run(self) -> dict[str, Any]:
        return self.absent() if self.params["state"] == "absent" else self.present()


def module_result(outcome: dict[str, Any], diff_mode: bool) -> dict[str, Any]:
    result = {
        "changed": outcome["changed"],
        "changes": outcome["changes"],
        "cache_parameter_group": outcome["group"],
        "parameters": outcome["parameters"],
        "diff": outcome.get("diff") or {"before": {}, "after": {}},
    }
    return trim_diff(result, diff_mode)


def run(module: Any, client: Any) -> dict[str, Any]:
    return module_result(Runner(client, module.params, module.check_mode).run(), module._diff)


def main() -> None:
    argument_spec = dict(
        name=dict(required=True),
        state=dict(default="present", choices=["present", "absent"]),
        family=dict(),
        description=dict(),
        parameters=dict(type="dict", default={}),
        purge_parameters=dict(type="bool", default=True),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    module.params["name"] = module.params["name"].lower()
    run_module(module, "elasticache", run, f"Could not manage cache parameter group {module.params['name']}")


if __name__ == "__main__":
    main()
