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

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict
from ansible_collections.amazon.aws.plugins.module_utils.transformation import scrub_none_parameters
from ansible_collections.appstack.cloud.plugins.module_utils.runner import ensure_state, run_module
from ansible_collections.appstack.cloud.plugins.module_utils.tags import ECS, snake_with_tags, tag_changes


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


def to_result(cluster: dict[str, Any] | None) -> dict[str, Any]:
    return snake_with_tags(cluster, "tags")


def ensure_present(client: Any, params: dict[str, Any], check_mode: bool) -> dict[str, Any]:
    setting = [{"name": "containerInsights", "value": params["container_insights"]}]
    cluster = find(client, params["name"])
    if cluster is None:
        if check_mode:
            return {"changed": True, "cluster": {}}
        request = scrub_none_parameters(
            {"clusterName": params["name"], "settings": setting, "tags": ECS.tag_list(params["tags"]) or None}
        )
        client.create_cluster(aws_retry=True, **request)
        return {"changed": True, "cluster": to_result(find(client, params["name"]))}
    changed = False
    if insights(cluster) != params["container_insights"]:
        changed = True
        if not check_mode:
            client.update_cluster(aws_retry=True, cluster=params["name"], settings=setting)
    current_tags = boto3_tag_list_to_ansible_dict(cluster.get("tags"))
    to_set, to_remove = tag_changes(current_tags, params["tags"] or {}, params["purge_tags"])
    if to_set or to_remove:
        changed = True
        if not check_mode:
            ECS.apply(client, cluster["clusterArn"], to_set, to_remove)
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
    return ensure_state(module, client, ensure_present, ensure_absent)


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
    run_module(module, "ecs", run, f"Could not manage ECS cluster {module.params['name']}")


if __name__ == "__main__":
    main()
