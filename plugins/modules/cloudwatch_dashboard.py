#!/usr/bin/python
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: cloudwatch_dashboard
short_description: Manage a CloudWatch dashboard
version_added: 0.1.0
description:
  - Creates, updates or deletes a CloudWatch dashboard. Neither amazon.aws nor community.aws
    has a dashboard module.
  - The desired body is compared with the stored one (GetDashboard) after both are parsed, so
    key order and white space do not count as differences; PutDashboard is called only when
    the bodies differ.
  - Supports check mode and diff mode (the bodies before and after, as indented JSON).
options:
  name:
    description: The dashboard's name (up to 255 characters; letters, digits, C(-) and C(_)).
    type: str
    required: true
    aliases: [dashboard_name]
  state:
    description: Whether the dashboard should exist.
    type: str
    choices: [present, absent]
    default: present
  dashboard_body:
    description:
      - The dashboard body, as a dictionary or a JSON string, with a C(widgets) list
        (see the CloudWatch dashboard body structure). Required with I(state=present).
    type: json
notes:
  - Validation messages PutDashboard returns for an accepted body are shown as warnings.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Show a load balancer's requests on a dashboard
  appstack.cloud.cloudwatch_dashboard:
    name: starttech-prod
    dashboard_body:
      widgets:
        - type: metric
          x: 0
          y: 0
          width: 12
          height: 6
          properties:
            title: Requests
            region: us-east-1
            metrics:
              - [AWS/ApplicationELB, RequestCount, LoadBalancer, app/starttech-prod-alb/0123456789abcdef, {stat: Sum}]

- name: Render the body from a template
  appstack.cloud.cloudwatch_dashboard:
    name: starttech-prod
    dashboard_body: "{{ lookup('ansible.builtin.template', 'dashboard.json.j2') }}"

- name: Remove the dashboard
  appstack.cloud.cloudwatch_dashboard:
    name: starttech-prod
    state: absent
"""

RETURN = r"""
dashboard:
  description: The dashboard as it is after this run; empty when it does not exist.
  returned: always
  type: dict
  contains:
    name:
      description: The dashboard's name.
      type: str
      sample: starttech-prod
    arn:
      description: The dashboard's ARN; empty when check mode plans its creation.
      type: str
      sample: arn:aws:cloudwatch::123456789012:dashboard/starttech-prod
    body:
      description: The dashboard body, parsed.
      type: dict
      sample: {"widgets": []}
validation_messages:
  description: What PutDashboard said about the body (warnings that did not stop it).
  returned: always
  type: list
  elements: dict
  sample: [{"data_path": "/widgets/0/properties", "message": "Should have required property 'region'"}]
"""

import json
from typing import Any

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.appstack.cloud.plugins.module_utils.runner import ModuleError, run_module, trim_diff


def parse_body(body: str | dict[str, Any]) -> dict[str, Any]:
    """The body as a dictionary; ValueError unless it is a JSON object."""
    parsed = json.loads(body) if isinstance(body, str) else body
    if not isinstance(parsed, dict):
        raise ValueError("the dashboard body must be a JSON object")
    return parsed


def normalise(body: dict[str, Any]) -> str:
    """A canonical form: keys sorted, no white space (so order and layout do not count)."""
    return json.dumps(body, sort_keys=True, separators=(",", ":"))


def differs(current: dict[str, Any] | None, desired: dict[str, Any]) -> bool:
    return current is None or normalise(current) != normalise(desired)


def pretty(body: dict[str, Any] | None) -> str:
    """The body as the diff shows it; an absent dashboard is an empty text."""
    return "" if body is None else json.dumps(body, sort_keys=True, indent=2) + "\n"


def get_dashboard(client: Any, name: str) -> dict[str, Any] | None:
    """GetDashboard, with the body parsed; None when the dashboard does not exist."""
    try:
        reply = client.get_dashboard(aws_retry=True, DashboardName=name)
    except is_boto3_error_code("ResourceNotFound"):
        return None
    return {
        "name": reply["DashboardName"],
        "arn": reply.get("DashboardArn", ""),
        "body": parse_body(reply.get("DashboardBody") or "{}"),
    }


def diff_for(name: str, before: dict[str, Any] | None, after: dict[str, Any] | None) -> dict:
    return {
        "before": pretty(before),
        "after": pretty(after),
        "before_header": f"dashboard {name}",
        "after_header": f"dashboard {name}",
    }


def ensure_present(client: Any, name: str, desired: dict[str, Any], check_mode: bool) -> dict:
    """Put the dashboard when it is missing or its body differs; return the module result."""
    current = get_dashboard(client, name)
    before = current["body"] if current else None
    result: dict[str, Any] = {
        "changed": differs(before, desired),
        "validation_messages": [],
        "diff": diff_for(name, before, desired),
    }
    if not result["changed"]:
        result["dashboard"] = current
        return result
    if check_mode:
        result["dashboard"] = {
            "name": name,
            "arn": current["arn"] if current else "",
            "body": desired,
        }
        return result
    reply = client.put_dashboard(
        aws_retry=True,
        DashboardName=name,
        DashboardBody=json.dumps(desired, separators=(",", ":")),
    )
    result["validation_messages"] = [
        camel_dict_to_snake_dict(message) for message in reply.get("DashboardValidationMessages", [])
    ]
    result["dashboard"] = get_dashboard(client, name) or {"name": name, "arn": "", "body": desired}
    return result


def ensure_absent(client: Any, name: str, check_mode: bool) -> dict:
    """Delete the dashboard if it exists; return the module result."""
    current = get_dashboard(client, name)
    result: dict[str, Any] = {
        "changed": current is not None,
        "dashboard": {},
        "validation_messages": [],
        "diff": diff_for(name, current["body"] if current else None, None),
    }
    if current is not None and not check_mode:
        try:
            client.delete_dashboards(aws_retry=True, DashboardNames=[name])
        except is_boto3_error_code("ResourceNotFound"):
            result["changed"] = False  # deleted by someone else meanwhile
    return result


def run(module: Any, client: Any) -> dict:
    """Do what the parameters ask; return the result without the diff unless diff mode is on."""
    params = module.params
    if params["state"] == "absent":
        result = ensure_absent(client, params["name"], module.check_mode)
    else:
        try:
            desired = parse_body(params["dashboard_body"])
        except ValueError as e:
            raise ModuleError(f"dashboard_body is not a JSON object: {e}") from e
        result = ensure_present(client, params["name"], desired, module.check_mode)
        for message in result["validation_messages"]:
            module.warn(f"PutDashboard: {message.get('data_path', '')} {message.get('message', '')}")
    return trim_diff(result, module._diff)


def main() -> None:
    module = AnsibleAWSModule(
        argument_spec=dict(
            name=dict(required=True, aliases=["dashboard_name"]),
            state=dict(default="present", choices=["present", "absent"]),
            dashboard_body=dict(type="json"),
        ),
        required_if=[("state", "present", ["dashboard_body"])],
        supports_check_mode=True,
    )
    run_module(module, "cloudwatch", run, f"Could not manage dashboard {module.params['name']}")


if __name__ == "__main__":
    main()
