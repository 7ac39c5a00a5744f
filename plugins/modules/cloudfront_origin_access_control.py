#!/usr/bin/python
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: cloudfront_origin_access_control
short_description: Manage a CloudFront origin access control
version_added: 0.1.0
description:
  - Creates, updates or deletes a CloudFront origin access control (OAC), the successor of the
    legacy origin access identity. community.aws has a module for origin access identities
    only.
  - An origin access control is found by its I(name), which AWS keeps unique per account, so a
    rerun finds the one it made. Origin access controls carry no tags.
  - A distribution that uses the origin access control must be deleted (or stop using it)
    before the origin access control can be deleted.
options:
  state:
    description: Whether the origin access control should exist.
    type: str
    choices: [present, absent]
    default: present
  name:
    description: The name of the origin access control (at most 64 characters).
    type: str
    required: true
  description:
    description: A description of the origin access control.
    type: str
    default: ""
  origin_type:
    description: The kind of origin the origin access control signs requests to.
    type: str
    choices: [s3, mediastore, lambda, mediapackagev2]
    default: s3
  signing_behavior:
    description:
      - Which requests CloudFront signs. C(always) is what a private S3 bucket needs.
    type: str
    choices: [always, never, no-override]
    default: always
  signing_protocol:
    description: How CloudFront signs requests to the origin.
    type: str
    choices: [sigv4]
    default: sigv4
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Let CloudFront read a private S3 bucket
  appstack.cloud.cloudfront_origin_access_control:
    name: starttech-prod-cdn
    description: CloudFront access to the starttech-prod frontend bucket
  register: oac

- name: Use it on a distribution's S3 origin
  appstack.cloud.cloudfront_distribution_oac:
    comment: starttech-prod-cdn
    origin_domain_name: starttech-prod-cdn.s3.us-east-1.amazonaws.com
    origin_access_control_id: "{{ oac.origin_access_control.id }}"

- name: Remove the origin access control
  appstack.cloud.cloudfront_origin_access_control:
    name: starttech-prod-cdn
    state: absent
"""

RETURN = r"""
origin_access_control:
  description: The origin access control (snake_case); empty when absent, or planned in check mode.
  returned: always
  type: dict
  sample:
    id: E2QWRUHAPOMQZL
    name: starttech-prod-cdn
    description: CloudFront access to the starttech-prod frontend bucket
    origin_access_control_origin_type: s3
    signing_behavior: always
    signing_protocol: sigv4
"""

from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.appstack.cloud.plugins.module_utils.runner import ensure_state, run_module

# The fields of OriginAccessControlConfig this module manages, and their module parameters.
FIELDS = {
    "Name": "name",
    "Description": "description",
    "OriginAccessControlOriginType": "origin_type",
    "SigningBehavior": "signing_behavior",
    "SigningProtocol": "signing_protocol",
}


def desired_config(params: dict[str, Any]) -> dict[str, str]:
    """The OriginAccessControlConfig these parameters describe."""
    return {field: params[param] or "" for field, param in FIELDS.items()}


def differs(current: dict[str, Any], desired: dict[str, str]) -> bool:
    """True when an existing config differs from the desired one in a managed field."""
    return any((current.get(field) or "") != value for field, value in desired.items())


def find(client: Any, name: str) -> dict[str, Any] | None:
    """The summary of the origin access control called ``name``, or None."""
    paginator = client.get_paginator("list_origin_access_controls")
    for page in paginator.paginate():
        for summary in page.get("OriginAccessControlList", {}).get("Items") or []:
            if summary.get("Name") == name:
                return summary
    return None


def get(client: Any, control_id: str) -> tuple[dict[str, Any], str]:
    """The origin access control's config (with its Id) and its ETag."""
    reply = client.get_origin_access_control(aws_retry=True, Id=control_id)
    control = reply["OriginAccessControl"]
    return {"Id": control["Id"], **control["OriginAccessControlConfig"]}, reply["ETag"]


def to_result(config: dict[str, Any] | None) -> dict[str, Any]:
    if not config:
        return {}
    return {
        "id": config.get("Id", ""),
        "name": config.get("Name", ""),
        "description": config.get("Description", ""),
        "origin_access_control_origin_type": config.get("OriginAccessControlOriginType", ""),
        "signing_behavior": config.get("SigningBehavior", ""),
        "signing_protocol": config.get("SigningProtocol", ""),
    }


def without_id(config: dict[str, Any] | None) -> dict[str, Any]:
    return {k: v for k, v in (config or {}).items() if k != "Id"}


def diff_for(before: dict[str, Any] | None, after: dict[str, Any] | None) -> dict[str, Any]:
    return {"before": without_id(before), "after": without_id(after)}


def ensure_present(client: Any, params: dict[str, Any], check_mode: bool) -> dict[str, Any]:
    desired = desired_config(params)
    summary = find(client, params["name"])
    if summary is None:
        result = {"changed": True, "diff": diff_for(None, desired)}
        if check_mode:
            return {**result, "origin_access_control": {}}
        reply = client.create_origin_access_control(aws_retry=True, OriginAccessControlConfig=desired)
        control = reply["OriginAccessControl"]
        created = {"Id": control["Id"], **control["OriginAccessControlConfig"]}
        return {**result, "origin_access_control": to_result(created)}
    current, etag = get(client, summary["Id"])
    if not differs(current, desired):
        return {"changed": False, "diff": diff_for(current, current), "origin_access_control": to_result(current)}
    result = {"changed": True, "diff": diff_for(current, desired)}
    if check_mode:
        return {**result, "origin_access_control": to_result({**current, **desired})}
    reply = client.update_origin_access_control(
        aws_retry=True, Id=current["Id"], IfMatch=etag, OriginAccessControlConfig=desired
    )
    control = reply["OriginAccessControl"]
    updated = {"Id": control["Id"], **control["OriginAccessControlConfig"]}
    return {**result, "origin_access_control": to_result(updated)}


def ensure_absent(client: Any, params: dict[str, Any], check_mode: bool) -> dict[str, Any]:
    summary = find(client, params["name"])
    if summary is None:
        return {"changed": False, "diff": diff_for(None, None), "origin_access_control": {}}
    current, etag = get(client, summary["Id"])
    result = {"changed": True, "diff": diff_for(current, None), "origin_access_control": {}}
    if not check_mode:
        try:
            client.delete_origin_access_control(aws_retry=True, Id=current["Id"], IfMatch=etag)
        except is_boto3_error_code("NoSuchOriginAccessControl"):
            result["changed"] = False  # deleted by someone else meanwhile
    return result


def run(module: Any, client: Any) -> dict[str, Any]:
    return ensure_state(module, client, ensure_present, ensure_absent)


def main() -> None:
    module = AnsibleAWSModule(
        argument_spec=dict(
            state=dict(default="present", choices=["present", "absent"]),
            name=dict(required=True),
            description=dict(default=""),
            origin_type=dict(default="s3", choices=["s3", "mediastore", "lambda", "mediapackagev2"]),
            signing_behavior=dict(default="always", choices=["always", "never", "no-override"]),
            signing_protocol=dict(default="sigv4", choices=["sigv4"]),
        ),
        supports_check_mode=True,
    )
    name = module.params["name"]
    messages = {
        "OriginAccessControlInUse": f"Origin access control {name} is still used by a distribution; remove that first"
    }
    run_module(module, "cloudfront", run, f"Could not manage origin access control {name}", messages=messages)


if __name__ == "__main__":
    main()
