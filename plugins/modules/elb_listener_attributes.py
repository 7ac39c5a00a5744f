#!/usr/bin/python
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: elb_listener_attributes
short_description: Set attributes of an Elastic Load Balancing v2 listener
version_added: 0.1.0
description:
  - Sets the attributes of one ALB or NLB listener (ModifyListenerAttributes), such as a
    Network Load Balancer TCP listener's C(tcp.idle_timeout.seconds) (60-6000 s, AWS's
    default 350 s), which long-lived connections such as WebSockets need.
  - amazon.aws 10 and community.aws 10 have no option for listener attributes.
  - Only the attributes given are compared and changed; the others keep their values.
options:
  listener_arn:
    description: ARN of the listener.
    type: str
    required: true
  attributes:
    description:
      - Attribute keys and values, e.g. C(tcp.idle_timeout.seconds=3600). Values are compared
        as strings, as AWS returns them.
    type: dict
    required: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Keep idle WebSocket connections through the NLB for an hour
  appstack.cloud.elb_listener_attributes:
    listener_arn: "{{ listener.listener_arn }}"
    attributes:
      tcp.idle_timeout.seconds: "3600"
"""

RETURN = r"""
attributes:
  description: The listener's attributes after the run (in check mode, as they would be).
  returned: always
  type: dict
  sample:
    tcp.idle_timeout.seconds: "3600"
"""

from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.appstack.cloud.plugins.module_utils.runner import run_module


def as_strings(attributes: dict[str, Any]) -> dict[str, str]:
    """AWS keeps every attribute value as a string; booleans as true/false."""
    return {str(k): (str(v).lower() if isinstance(v, bool) else str(v)) for k, v in (attributes or {}).items()}


def current_attributes(client: Any, listener_arn: str) -> dict[str, str]:
    reply = client.describe_listener_attributes(aws_retry=True, ListenerArn=listener_arn)
    return {item["Key"]: item["Value"] for item in reply.get("Attributes", [])}


def changes(current: dict[str, str], desired: dict[str, str]) -> dict[str, str]:
    """The desired attributes whose value differs from (or is missing in) the current ones."""
    return {key: value for key, value in desired.items() if current.get(key) != value}


def run(module: Any, client: Any) -> dict[str, Any]:
    listener_arn = module.params["listener_arn"]
    desired = as_strings(module.params["attributes"])
    current = current_attributes(client, listener_arn)
    todo = changes(current, desired)
    result: dict[str, Any] = {"changed": bool(todo), "attributes": {**current, **todo}}
    if module._diff:
        result["diff"] = {"before": {k: current.get(k) for k in desired}, "after": desired}
    if todo and not module.check_mode:
        reply = client.modify_listener_attributes(
            aws_retry=True,
            ListenerArn=listener_arn,
            Attributes=[{"Key": key, "Value": value} for key, value in sorted(todo.items())],
        )
        result["attributes"] = {**current, **{item["Key"]: item["Value"] for item in reply.get("Attributes", [])}}
    return result


def main() -> None:
    module = AnsibleAWSModule(
        argument_spec=dict(
            listener_arn=dict(required=True),
            attributes=dict(required=True, type="dict"),
        ),
        supports_check_mode=True,
    )
    run_module(module, "elbv2", run, f"Could not set the attributes of listener {module.params['listener_arn']}")


if __name__ == "__main__":
    main()
