#!/usr/bin/python
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: elb_network_lb_security_groups
short_description: Give a Network Load Balancer security groups
version_added: 0.1.0
description:
  - community.aws.elb_network_lb cannot attach security groups to a Network Load Balancer, and
    AWS accepts security groups on an NLB only if it was created with some. This module
    creates the NLB with its security groups when it does not exist yet (listeners,
    attributes and everything else are left to community.aws.elb_network_lb, which then finds
    it by name), and later sets its groups with SetSecurityGroups.
  - An NLB that exists without security groups cannot get any; the module fails and says so
    (remove the load balancer and run again).
options:
  name:
    description: Name of the Network Load Balancer.
    type: str
    required: true
  security_groups:
    description: Security group ids the NLB should have (an empty list asks AWS to remove them all).
    type: list
    elements: str
    required: true
  subnets:
    description: Subnets of the NLB, used only when it is created here.
    type: list
    elements: str
    default: []
  scheme:
    description: Scheme of the NLB, used only when it is created here.
    type: str
    choices: [internet-facing, internal]
    default: internet-facing
  ip_address_type:
    description: IP address type of the NLB, used only when it is created here.
    type: str
    choices: [ipv4, dualstack]
    default: ipv4
  tags:
    description: Tags of the NLB, used only when it is created here (community.aws.elb_network_lb manages them later).
    type: dict
    default: {}
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Create the NLB with its security group (or update its groups)
  appstack.cloud.elb_network_lb_security_groups:
    name: civstart-prod-nlb
    security_groups: ["{{ aws_security_groups_ids.nlb }}"]
    subnets: "{{ aws_network_public_subnet_ids }}"
    tags: {Project: civstart, Environment: prod}

- name: Then its listeners and attributes
  community.aws.elb_network_lb:
    name: civstart-prod-nlb
    subnets: "{{ aws_network_public_subnet_ids }}"
    listeners: []
"""

RETURN = r"""
load_balancer_arn:
  description: ARN of the NLB; empty when it does not exist (check mode before it is created).
  returned: always
  type: str
security_groups:
  description: The NLB's security group ids after the run (in check mode, as they would be).
  returned: always
  type: list
  elements: str
created:
  description: Whether the module created (or, in check mode, would create) the NLB.
  returned: always
  type: bool
"""

from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.appstack.cloud.plugins.module_utils.runner import ModuleError, run_module
from ansible_collections.appstack.cloud.plugins.module_utils.tags import tag_list


def find(client: Any, name: str) -> dict[str, Any] | None:
    try:
        reply = client.describe_load_balancers(aws_retry=True, Names=[name])
    except is_boto3_error_code("LoadBalancerNotFound"):
        return None
    found = reply.get("LoadBalancers", [])
    return found[0] if found else None


def create(client: Any, params: dict[str, Any]) -> dict[str, Any]:
    if not params["subnets"]:
        raise ModuleError(f"{params['name']} does not exist and no subnets were given to create it")
    request = {
        "Name": params["name"],
        "Type": "network",
        "Scheme": params["scheme"],
        "IpAddressType": params["ip_address_type"],
        "Subnets": params["subnets"],
        "SecurityGroups": params["security_groups"],
    }
    if params["tags"]:
        request["Tags"] = tag_list(params["tags"])
    return client.create_load_balancer(aws_retry=True, **request)["LoadBalancers"][0]


def run(module: Any, client: Any) -> dict[str, Any]:
    params = module.params
    wanted = list(params["security_groups"])
    current = find(client, params["name"])
    if current is None:
        if not wanted:
            return {"changed": False, "created": False, "load_balancer_arn": "", "security_groups": []}
        if module.check_mode:
            return {"changed": True, "created": True, "load_balancer_arn": "", "security_groups": wanted}
        made = create(client, params)
        return {
            "changed": True,
            "created": True,
            "load_balancer_arn": made["LoadBalancerArn"],
            "security_groups": made.get("SecurityGroups", wanted),
        }
    if current.get("Type") != "network":
        raise ModuleError(f"{params['name']} is an {current.get('Type')} load balancer, not a network one")
    have = list(current.get("SecurityGroups") or [])
    result = {
        "changed": False,
        "created": False,
        "load_balancer_arn": current["LoadBalancerArn"],
        "security_groups": have,
    }
    if set(have) == set(wanted):
        return result
    if not have:
        raise ModuleError(
            f"{params['name']} was created without security groups and AWS cannot add them to such a "
            "Network Load Balancer: remove it (it is made again with its groups) or give no security groups"
        )
    result.update(changed=True, security_groups=wanted)
    if not module.check_mode:
        reply = client.set_security_groups(
            aws_retry=True, LoadBalancerArn=current["LoadBalancerArn"], SecurityGroups=wanted
        )
        result["security_groups"] = reply.get("SecurityGroupIds", wanted)
    return result


def main() -> None:
    module = AnsibleAWSModule(
        argument_spec=dict(
            name=dict(required=True),
            security_groups=dict(required=True, type="list", elements="str"),
            subnets=dict(type="list", elements="str", default=[]),
            scheme=dict(default="internet-facing", choices=["internet-facing", "internal"]),
            ip_address_type=dict(default="ipv4", choices=["ipv4", "dualstack"]),
            tags=dict(type="dict", default={}),
        ),
        supports_check_mode=True,
    )
    run_module(module, "elbv2", run, f"Could not set the security groups of {module.params['name']}")


if __name__ == "__main__":
    main()
