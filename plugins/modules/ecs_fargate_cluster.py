#!/usr/bin/python
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: ecs_fargate_cluster
short_description: Manage an ECS cluster for Fargate services, with Container Insights and tags
version_added: 0.1.0
description:
  - Creates, updates or deletes an ECS cluster with its Container Insights setting and tags.
    community.aws.ecs_cluster manages neither (and fails on its second run against clusters
    without capacity providers on moto).
  - Fargate services name their launch type, so the cluster needs no capacity providers; the
    module leaves the cluster's capacity providers alone.
  - Deleting a cluster that still has active services or tasks fails; remove the services first.
options:
  state:
    description: Whether the cluster should exist.
    type: str
    choices: [present, absent]
    default: present
  name:
    description: Name of the cluster.
    type: str
    required: true
  container_insights:
    description:
      - Container Insights (CloudWatch metrics per cluster, service and task). C(enhanced) adds
        task- and container-level metrics.
    type: str
    choices: [enabled, enhanced, disabled]
    default: enabled
  tags:
    description: Tags of the cluster.
    type: dict
    default: {}
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
- name: Create the cluster
  appstack.cloud.ecs_fargate_cluster:
    name: civstart-prod-cluster
    container_insights: enabled
    tags: {Project: civstart, Environment: prod, Component: ecs_service}

- name: Remove it once its services are gone
  appstack.cloud.ecs_fargate_cluster:
    name: civstart-prod-cluster
    state: absent
"""

RETURN = r"""
cluster:
  description: The cluster (snake_case, tags as a dict); empty when absent or planned in check mode.
  returned: always
  type: dict
  sample:
    cluster_name: civstart-prod-cluster
    cluster_arn: arn:aws:ecs:us-east-1:123456789012:cluster/civstart-prod-cluster
    status: ACTIVE
    settings: [{name: containerInsights, value: enabled}]
    tags: {Project: civstart}
"""

from typing import Any

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.transformation import scrub_none_parameters

try:
    from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
except ImportError:  # pragma: no cover
    pass


def tag_list(tags: dict[str, Any]) -> list[dict[str, str]]:
    return [{"key": str(k), "value": str(v)} for k, v in sorted((tags or {}).items())]


def tag_dict(tags: list[dict[str, str]] | None) -> dict[str, str]:
    return {t["key"]: t["value"] for t in tags or []}


def find(client: Any, name: str) -> dict[str, Any] | None:
    """The ACTIVE (or PROVISIONING) cluster called ``name``; INACTIVE ones count as gone."""
    reply = client.describe_clusters(aws_retry=True, clusters=[name], include=["SETTINGS", "TAGS"])
    for cluster in reply.get("clusters", []):
        if cluster.get("clusterName") == name and cluster.get("status") != "INACTIVE":
            return cluster
    return None


def insights(cluster: dict[str, Any]) -> str:
    for setting in cluster.get("settings") or []:
        if setting.get("name") == "containerInsights":
            return setting.get("value", "disabled")
    return "disabled"


def tag_changes(current: dict[str, str], wanted: dict[str, str], purge: bool) -> tuple[dict[str, str], list[str]]:
    add = {k: v for k, v in wanted.items() if current.get(k) != v}
    remove = sorted(k for k in current if k not in wanted) if purge else []
    return add, remove


def to_result(cluster: dict[str, Any] | None) -> dict[str, Any]:
    if not cluster:
        return {}
    tags = tag_dict(cluster.get("tags"))
    result = camel_dict_to_snake_dict({k: v for k, v in cluster.items() if k != "tags"})
    result["tags"] = tags
    return result


def ensure_present(client: Any, params: dict[str, Any], check_mode: bool) -> dict[str, Any]:
    wanted_tags = {str(k): str(v) for k, v in (params["tags"] or {}).items()}
    setting = [{"name": "containerInsights", "value": params["container_insights"]}]
    cluster = find(client, params["name"])
    if cluster is None:
        if check_mode:
            return {"changed": True, "cluster": {}}
        request = scrub_none_parameters(
            {"clusterName": params["name"], "settings": setting, "tags": tag_list(wanted_tags) or None}
        )
        client.create_cluster(aws_retry=True, **request)
        return {"changed": True, "cluster": to_result(find(client, params["name"]))}
    changed = False
    if insights(cluster) != params["container_insights"]:
        changed = True
        if not check_mode:
            client.update_cluster(aws_retry=True, cluster=params["name"], settings=setting)
    add, remove = tag_changes(tag_dict(cluster.get("tags")), wanted_tags, params["purge_tags"])
    if add or remove:
        changed = True
        if not check_mode:
            if remove:
                client.untag_resource(aws_retry=True, resourceArn=cluster["clusterArn"], tagKeys=remove)
            if add:
                client.tag_resource(aws_retry=True, resourceArn=cluster["clusterArn"], tags=tag_list(add))
    if changed and not check_mode:
        cluster = find(client, params["name"])
    return {"changed": changed, "cluster": to_result(cluster)}


def ensure_absent(client: Any, params: dict[str, Any], check_mode: bool) -> dict[str, Any]:
    cluster = find(client, params["name"])
    if cluster is None:
        return {"changed": False, "cluster": {}}
    if not check_mode:
        client.delete_cluster(aws_retry=True, cluster=params["name"])
    return {"changed": True, "cluster": {}}


def run(module: Any, client: Any) -> dict[str, Any]:
    if module.params["state"] == "absent":
        return ensure_absent(client, module.params, module.check_mode)
    return ensure_present(client, module.params, module.check_mode)


def main() -> None:
    module = AnsibleAWSModule(
        argument_spec=dict(
            state=dict(default="present", choices=["present", "absent"]),
            name=dict(required=True),
            container_insights=dict(default="enabled", choices=["enabled", "enhanced", "disabled"]),
            tags=dict(type="dict", default={}),
            purge_tags=dict(type="bool", default=True),
        ),
        supports_check_mode=True,
    )
    client = module.client("ecs", retry_decorator=AWSRetry.jittered_backoff())
    try:
        result = run(module, client)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Could not manage ECS cluster {module.params['name']}")
    module.exit_json(**result)


if __name__ == "__main__":
    main()
