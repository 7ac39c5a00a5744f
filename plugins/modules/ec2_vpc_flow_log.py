#!/usr/bin/python
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: ec2_vpc_flow_log
short_description: Manage the flow log of a VPC, subnet or network interface
version_added: 0.1.0
description:
  - Creates, updates the tags of, or deletes an EC2 flow log that delivers to CloudWatch Logs
    or S3. Neither amazon.aws nor community.aws has a flow log module.
  - A flow log is identified by its resource and its destination (log group or S3 ARN), so a
    rerun finds the one it made. A change of I(traffic_type) or I(deliver_logs_permission_arn)
    replaces it, since AWS cannot modify a flow log.
options:
  state:
    description: Whether the flow log should exist.
    type: str
    choices: [present, absent]
    default: present
  resource_id:
    description: The VPC, subnet or network interface id.
    type: str
    required: true
  resource_type:
    description: The kind of resource I(resource_id) names.
    type: str
    choices: [VPC, Subnet, NetworkInterface]
    default: VPC
  traffic_type:
    description: Which traffic to record.
    type: str
    choices: [ACCEPT, REJECT, ALL]
    default: ALL
  log_destination_type:
    description: Where the records go.
    type: str
    choices: [cloud-watch-logs, s3]
    default: cloud-watch-logs
  log_group_name:
    description:
      - The CloudWatch Logs group. Required with I(log_destination_type=cloud-watch-logs)
        and I(state=present).
      - With I(state=absent) and no I(log_group_name) or I(log_destination), every flow log of
        the resource is deleted.
    type: str
  log_destination:
    description: The S3 bucket ARN. Required with I(log_destination_type=s3).
    type: str
  deliver_logs_permission_arn:
    description: The IAM role that may write to the log group.
    type: str
  max_aggregation_interval:
    description: Seconds over which packets are aggregated (60 or 600).
    type: int
    choices: [60, 600]
    default: 600
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Send a VPC's flow logs to CloudWatch Logs
  appstack.cloud.ec2_vpc_flow_log:
    resource_id: vpc-0123456789abcdef0
    log_group_name: /starttech/prod/vpc-flow-logs
    deliver_logs_permission_arn: arn:aws:iam::123456789012:role/starttech-prod-vpc-flow-logs
    tags:
      Project: starttech

- name: Remove every flow log of a VPC
  appstack.cloud.ec2_vpc_flow_log:
    resource_id: vpc-0123456789abcdef0
    state: absent
"""

RETURN = r"""
flow_log:
  description: The flow log, as DescribeFlowLogs returns it (snake_case); empty when absent.
  returned: always
  type: dict
  sample:
    flow_log_id: fl-0123456789abcdef0
    resource_id: vpc-0123456789abcdef0
    traffic_type: ALL
    log_group_name: /starttech/prod/vpc-flow-logs
    tags:
      Project: starttech
flow_log_ids_deleted:
  description: Ids of the flow logs this run deleted.
  returned: always
  type: list
  elements: str
"""

from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.ec2 import ensure_ec2_tags
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_specifications
from ansible_collections.appstack.cloud.plugins.module_utils.runner import failing_on_errors
from ansible_collections.appstack.cloud.plugins.module_utils.tags import snake_with_tags


def destination(params: dict[str, Any]) -> str | None:
    """The log group name or S3 ARN that identifies the flow log beside its resource."""
    if params["log_destination_type"] == "s3":
        return params.get("log_destination")
    return params.get("log_group_name")


def matches(flow_log: dict[str, Any], params: dict[str, Any]) -> bool:
    """True when an existing flow log is the one these parameters describe."""
    wanted = destination(params)
    if wanted is None:
        return True
    found = flow_log.get("LogGroupName") or flow_log.get("LogDestination")
    return found == wanted


def needs_replacing(flow_log: dict[str, Any], params: dict[str, Any]) -> bool:
    """Settings AWS cannot change in place."""
    if flow_log.get("TrafficType") != params["traffic_type"]:
        return True
    if flow_log.get("MaxAggregationInterval", 600) != params["max_aggregation_interval"]:
        return True
    wanted_role = params.get("deliver_logs_permission_arn")
    return bool(wanted_role) and flow_log.get("DeliverLogsPermissionArn") != wanted_role


def create_request(params: dict[str, Any]) -> dict[str, Any]:
    """The CreateFlowLogs arguments for these parameters."""
    request: dict[str, Any] = {
        "ResourceIds": [params["resource_id"]],
        "ResourceType": params["resource_type"],
        "TrafficType": params["traffic_type"],
        "LogDestinationType": params["log_destination_type"],
        "MaxAggregationInterval": params["max_aggregation_interval"],
    }
    if params["log_destination_type"] == "s3":
        request["LogDestination"] = params["log_destination"]
    else:
        request["LogGroupName"] = params["log_group_name"]
    if params.get("deliver_logs_permission_arn"):
        request["DeliverLogsPermissionArn"] = params["deliver_logs_permission_arn"]
    if params.get("tags"):
        request["TagSpecifications"] = boto3_tag_specifications(params["tags"], ["vpc-flow-log"])
    return request


def describe(client, resource_id: str) -> list[dict[str, Any]]:
    paginator = client.get_paginator("describe_flow_logs")
    filters = [{"Name": "resource-id", "Values": [resource_id]}]
    pages = paginator.paginate(Filters=filters).build_full_result()
    return pages.get("FlowLogs", [])


def to_result(flow_log: dict[str, Any] | None) -> dict[str, Any]:
    return snake_with_tags(flow_log, "Tags")


def ensure_absent(module: AnsibleAWSModule, client, existing: list[dict[str, Any]]) -> None:
    ids = [fl["FlowLogId"] for fl in existing if matches(fl, module.params)]
    if ids and not module.check_mode:
        with failing_on_errors(module, "Could not delete flow logs"):
            client.delete_flow_logs(aws_retry=True, FlowLogIds=ids)
    module.exit_json(changed=bool(ids), flow_log={}, flow_log_ids_deleted=ids)


def ensure_present(module: AnsibleAWSModule, client, existing: list[dict[str, Any]]) -> None:
    params = module.params
    current = next((fl for fl in existing if matches(fl, params)), None)
    deleted: list[str] = []
    if current and needs_replacing(current, params):
        deleted = [current["FlowLogId"]]
        if not module.check_mode:
            client.delete_flow_logs(aws_retry=True, FlowLogIds=deleted)
        current = None
    if current is None:
        if module.check_mode:
            module.exit_json(changed=True, flow_log={}, flow_log_ids_deleted=deleted)
        response = client.create_flow_logs(aws_retry=True, **create_request(params))
        if response.get("Unsuccessful"):
            module.fail_json(msg="Could not create the flow log", unsuccessful=response["Unsuccessful"])
        created = response["FlowLogIds"][0]
        flow_log = next(fl for fl in describe(client, params["resource_id"]) if fl["FlowLogId"] == created)
        module.exit_json(changed=True, flow_log=to_result(flow_log), flow_log_ids_deleted=deleted)
    changed = False
    if params.get("tags") is not None:
        changed = ensure_ec2_tags(
            client,
            module,
            current["FlowLogId"],
            tags=params["tags"],
            purge_tags=params["purge_tags"],
        )
        if changed and not module.check_mode:
            current = next(
                fl for fl in describe(client, params["resource_id"]) if fl["FlowLogId"] == current["FlowLogId"]
            )
    module.exit_json(changed=changed, flow_log=to_result(current), flow_log_ids_deleted=deleted)


def main() -> None:
    argument_spec = dict(
        state=dict(default="present", choices=["present", "absent"]),
        resource_id=dict(required=True),
        resource_type=dict(default="VPC", choices=["VPC", "Subnet", "NetworkInterface"]),
        traffic_type=dict(default="ALL", choices=["ACCEPT", "REJECT", "ALL"]),
        log_destination_type=dict(default="cloud-watch-logs", choices=["cloud-watch-logs", "s3"]),
        log_group_name=dict(),
        log_destination=dict(),
        deliver_logs_permission_arn=dict(),
        max_aggregation_interval=dict(type="int", default=600, choices=[60, 600]),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        supports_check_mode=True,
        required_if=[
            ("log_destination_type", "s3", ["log_destination"]),
        ],
    )
    params = module.params
    needs_group = params["state"] == "present" and params["log_destination_type"] == "cloud-watch-logs"
    if needs_group and not params.get("log_group_name"):
        module.fail_json(msg="log_group_name is required to deliver flow logs to CloudWatch Logs")
    client = module.client("ec2", retry_decorator=AWSRetry.jittered_backoff())
    with failing_on_errors(module, "Could not describe flow logs"):
        existing = describe(client, params["resource_id"])
    if params["state"] == "absent":
        ensure_absent(module, client, existing)
    ensure_present(module, client, existing)


if __name__ == "__main__":
    main()
