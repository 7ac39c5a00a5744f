#!/usr/bin/python
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: cloudfront_response_headers_policy
short_description: Manage a CloudFront response headers policy, idempotently and with check mode
version_added: 0.1.0
description:
  - Creates, updates or deletes a custom CloudFront response headers policy, the headers
    (security headers, CORS, custom headers) CloudFront adds to the responses of the cache
    behaviours that use it.
  - Takes the options of M(community.aws.cloudfront_response_headers_policy), but compares the
    desired policy with the one AWS holds (both normalised, with the defaults AWS fills in) and
    updates it, with its ETag, only when they differ. In check mode it reports exactly what
    would change, and with C(--diff) the policy before and after. The community module reports
    a change on every check run and guesses changes from the policy's modification time.
  - A policy is found by its I(name) among the account's custom policies (names are unique per
    account), so a rerun finds the one it made. Response headers policies carry no tags.
  - Settings this module does not manage (server timing headers, headers to remove) are kept as
    they are on an update.
  - A distribution that uses the policy must stop using it (or be deleted) before the policy
    can be deleted.
options:
  state:
    description: Whether the policy should exist.
    type: str
    choices: [present, absent]
    default: present
  name:
    description: The name of the policy (unique among the account's response headers policies).
    type: str
    required: true
  comment:
    description: A comment describing the policy. Omitted or empty, the policy has none.
    type: str
  security_headers_config:
    description:
      - The security headers CloudFront adds. Omit a header's entry to add no such header;
        omit the option for no security headers.
      - I(override) says whether the policy's header replaces the same header from the origin.
    type: dict
    suboptions:
      strict_transport_security:
        description: The C(Strict-Transport-Security) header.
        type: dict
        suboptions:
          access_control_max_age_sec:
            description: Its C(max-age) in seconds.
            type: int
            required: true
          include_subdomains:
            description: Whether it adds C(includeSubDomains). Omitted, it does not (and it is not sent).
            type: bool
          preload:
            description: Whether it adds C(preload). Omitted, it does not (and it is not sent).
            type: bool
          override:
            description: Whether it replaces the origin's header.
            type: bool
            required: true
      content_type_options:
        description: The C(X-Content-Type-Options) header, always C(nosniff).
        type: dict
        suboptions:
          override:
            description: Whether it replaces the origin's header.
            type: bool
            required: true
      frame_options:
        description: The C(X-Frame-Options) header.
        type: dict
        suboptions:
          frame_option:
            description: Its value.
            type: str
            choices: [DENY, SAMEORIGIN]
            required: true
          override:
            description: Whether it replaces the origin's header.
            type: bool
            required: true
      referrer_policy:
        description: The C(Referrer-Policy) header.
        type: dict
        suboptions:
          referrer_policy:
            description: Its value.
            type: str
            choices:
              - no-referrer
              - no-referrer-when-downgrade
              - origin
              - origin-when-cross-origin
              - same-origin
              - strict-origin
              - strict-origin-when-cross-origin
              - unsafe-url
            required: true
          override:
            description: Whether it replaces the origin's header.
            type: bool
            required: true
      xss_protection:
        description: The C(X-XSS-Protection) header.
        type: dict
        suboptions:
          protection:
            description: C(true) for C(1), C(false) for C(0).
            type: bool
            required: true
          mode_block:
            description:
              - Whether it adds C(mode=block) (only with I(protection=true)). Omitted, it does
                not (and it is not sent).
            type: bool
          report_uri:
            description: A C(report) URI (only with I(protection=true) and without I(mode_block)).
            type: str
          override:
            description: Whether it replaces the origin's header.
            type: bool
            required: true
      content_security_policy:
        description: The C(Content-Security-Policy) header.
        type: dict
        suboptions:
          content_security_policy:
            description: Its value, the policy's directives.
            type: str
            required: true
          override:
            description: Whether it replaces the origin's header.
            type: bool
            required: true
  cors_config:
    description:
      - The CORS headers CloudFront adds. Omit it for none.
      - Each list is given as C(items), as M(community.aws.cloudfront_response_headers_policy)
        takes it; the module adds the C(Quantity) AWS wants. The order of the items does not
        matter.
    type: dict
    suboptions:
      access_control_allow_origins:
        description: C(Access-Control-Allow-Origin) values.
        type: dict
        required: true
        suboptions:
          items:
            description: The origins (C(*) for any).
            type: list
            elements: str
            required: true
      access_control_allow_headers:
        description: C(Access-Control-Allow-Headers) values.
        type: dict
        required: true
        suboptions:
          items:
            description: The header names (C(*) for any).
            type: list
            elements: str
            required: true
      access_control_allow_methods:
        description: C(Access-Control-Allow-Methods) values.
        type: dict
        required: true
        suboptions:
          items:
            description: The methods, among C(GET), C(POST), C(OPTIONS), C(PUT), C(DELETE), C(PATCH), C(HEAD), C(ALL).
            type: list
            elements: str
            required: true
      access_control_expose_headers:
        description: C(Access-Control-Expose-Headers) values.
        type: dict
        suboptions:
          items:
            description: The header names.
            type: list
            elements: str
            default: []
      access_control_allow_credentials:
        description: The C(Access-Control-Allow-Credentials) header.
        type: bool
        required: true
      access_control_max_age_sec:
        description: The C(Access-Control-Max-Age) header, in seconds.
        type: int
      origin_override:
        description: Whether the CORS headers replace the origin's.
        type: bool
        required: true
  custom_headers_config:
    description: Headers of your own that CloudFront adds. Omit it for none.
    type: dict
    suboptions:
      items:
        description: The headers. Their order does not matter.
        type: list
        elements: dict
        default: []
        suboptions:
          header:
            description: The header's name.
            type: str
            required: true
          value:
            description: The header's value.
            type: str
            required: true
          override:
            description: Whether it replaces the origin's header.
            type: bool
            required: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Add security headers to a frontend's responses
  appstack.cloud.cloudfront_response_headers_policy:
    name: starttech-prod-cdn-security-headers
    comment: Security headers of starttech-prod-cdn
    security_headers_config:
      strict_transport_security:
        access_control_max_age_sec: 63072000
        include_subdomains: true
        override: true
      content_type_options:
        override: true
      frame_options:
        frame_option: DENY
        override: true
      referrer_policy:
        referrer_policy: strict-origin-when-cross-origin
        override: true
      xss_protection:
        protection: true
        mode_block: true
        override: true
      content_security_policy:
        content_security_policy: "default-src 'self'"
        override: true
  register: headers_policy

- name: Use it on a distribution
  appstack.cloud.cloudfront_distribution_oac:
    comment: starttech-prod-cdn
    origin_domain_name: starttech-prod-cdn.s3.us-east-1.amazonaws.com
    response_headers_policy_id: "{{ headers_policy.response_headers_policy.id }}"

- name: CORS for an API and a header of our own
  appstack.cloud.cloudfront_response_headers_policy:
    name: civstart-prod-api-cors
    cors_config:
      access_control_allow_origins:
        items: [https://app.example.com]
      access_control_allow_headers:
        items: [Authorization, Content-Type]
      access_control_allow_methods:
        items: [GET, POST, OPTIONS]
      access_control_allow_credentials: true
      access_control_max_age_sec: 600
      origin_override: true
    custom_headers_config:
      items:
        - header: X-Served-By
          value: cloudfront
          override: false

- name: Remove the policy (once no distribution uses it)
  appstack.cloud.cloudfront_response_headers_policy:
    name: starttech-prod-cdn-security-headers
    state: absent
"""

RETURN = r"""
response_headers_policy:
  description:
    - The policy, its config in snake_case; empty when absent, or when check mode plans to create it.
    - In check mode, an update shows the planned config with the current id and ETag.
  returned: always
  type: dict
  contains:
    id:
      description: The policy's id, for a cache behaviour's response_headers_policy_id.
      type: str
      sample: 10a45b52-630e-4b7c-77c6-205f06df0462
    etag:
      description: The policy's current ETag (the version an update or delete must name).
      type: str
      sample: E2QWRUHAPOMQZL
    last_modified_time:
      description: When the policy last changed (ISO 8601).
      type: str
      sample: "2024-02-04T13:23:27.304000+00:00"
    response_headers_policy_config:
      description: The policy's config as AWS holds it, in snake_case (C(XSSProtection) is C(xss_protection)).
      type: dict
      sample:
        name: starttech-prod-cdn-security-headers
        comment: Security headers of starttech-prod-cdn
        security_headers_config:
          content_type_options:
            override: true
          frame_options:
            frame_option: DENY
            override: true
"""

import copy
from typing import Any

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict, snake_dict_to_camel_dict
from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.appstack.cloud.plugins.module_utils.runner import ensure_state, run_module

# The parts of ResponseHeadersPolicyConfig this module manages; any other key AWS returns
# (ServerTimingHeadersConfig, RemoveHeadersConfig, ...) is sent back unchanged on an update.
MANAGED = ("Name", "Comment", "SecurityHeadersConfig", "CorsConfig", "CustomHeadersConfig")
CORS_LISTS = (
    "AccessControlAllowOrigins",
    "AccessControlAllowHeaders",
    "AccessControlAllowMethods",
    "AccessControlExposeHeaders",
)
# Optional booleans AWS treats (and may return) as false when they are not given.
SECURITY_FALSE_DEFAULTS = {
    "StrictTransportSecurity": ("IncludeSubdomains", "Preload"),
    "XSSProtection": ("ModeBlock",),
}


def _override() -> dict[str, Any]:
    return dict(type="bool", required=True)


def _items(required: bool = True) -> dict[str, Any]:
    """A CORS list option: a dict holding ``items``, as the community module takes it."""
    if required:
        return dict(type="dict", required=True, options=dict(items=dict(type="list", elements="str", required=True)))
    return dict(type="dict", options=dict(items=dict(type="list", elements="str", default=[])))


ARGUMENT_SPEC = dict(
    state=dict(default="present", choices=["present", "absent"]),
    name=dict(required=True),
    comment=dict(),
    security_headers_config=dict(
        type="dict",
        options=dict(
            strict_transport_security=dict(
                type="dict",
                options=dict(
                    access_control_max_age_sec=dict(type="int", required=True),
                    include_subdomains=dict(type="bool"),
                    preload=dict(type="bool"),
                    override=_override(),
                ),
            ),
            content_type_options=dict(type="dict", options=dict(override=_override())),
            frame_options=dict(
                type="dict",
                options=dict(frame_option=dict(required=True, choices=["DENY", "SAMEORIGIN"]), override=_override()),
            ),
            referrer_policy=dict(
                type="dict",
                options=dict(
                    referrer_policy=dict(
                        required=True,
                        choices=[
                            "no-referrer",
                            "no-referrer-when-downgrade",
                            "origin",
                            "origin-when-cross-origin",
                            "same-origin",
                            "strict-origin",
                            "strict-origin-when-cross-origin",
                            "unsafe-url",
                        ],
                    ),
                    override=_override(),
                ),
            ),
            xss_protection=dict(
                type="dict",
                options=dict(
                    protection=dict(type="bool", required=True),
                    mode_block=dict(type="bool"),
                    report_uri=dict(),
                    override=_override(),
                ),
            ),
            content_security_policy=dict(
                type="dict", options=dict(content_security_policy=dict(required=True), override=_override())
            ),
        ),
    ),
    cors_config=dict(
        type="dict",
        options=dict(
            access_control_allow_origins=_items(),
            access_control_allow_headers=_items(),
            access_control_allow_methods=_items(),
            access_control_expose_headers=_items(required=False),
            access_control_allow_credentials=dict(type="bool", required=True),
            access_control_max_age_sec=dict(type="int"),
            origin_override=dict(type="bool", required=True),
        ),
    ),
    custom_headers_config=dict(
        type="dict",
        options=dict(
            items=dict(
                type="list",
                elements="dict",
                default=[],
                options=dict(header=dict(required=True), value=dict(required=True), override=_override()),
            )
        ),
    ),
)


def _without_none(value: Any) -> Any:
    """The value with every None (an option not given) left out, recursively."""
    if isinstance(value, dict):
        return {k: _without_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_none(v) for v in value]
    return value


def _camel(options: dict[str, Any] | None) -> dict[str, Any]:
    """snake_case options in the API's CamelCase (XSSProtection, not XssProtection)."""
    config = snake_dict_to_camel_dict(_without_none(options or {}), capitalize_first=True)
    if "XssProtection" in config:
        config["XSSProtection"] = config.pop("XssProtection")
    return config


def _cf_list(container: dict[str, Any] | None) -> dict[str, Any]:
    items = list((container or {}).get("Items") or [])
    return {"Quantity": len(items), "Items": items}


def desired_config(params: dict[str, Any]) -> dict[str, Any]:
    """The ResponseHeadersPolicyConfig these parameters describe, in the API's shape."""
    config: dict[str, Any] = {"Name": params["name"]}
    if params.get("comment"):
        config["Comment"] = params["comment"]
    security = _camel(params.get("security_headers_config"))
    if security:
        config["SecurityHeadersConfig"] = security
    if params.get("cors_config"):
        cors = _camel(params["cors_config"])
        for key in CORS_LISTS:
            if key in cors:
                cors[key] = _cf_list(cors[key])
        if not cors.get("AccessControlExposeHeaders", {}).get("Quantity"):
            cors.pop("AccessControlExposeHeaders", None)
        config["CorsConfig"] = cors
    custom = _camel(params.get("custom_headers_config"))
    if custom.get("Items"):
        config["CustomHeadersConfig"] = _cf_list(custom)
    return config


def _header_order(item: dict[str, Any]) -> tuple[str, str, bool]:
    return (item.get("Header", "").lower(), item.get("Value", ""), bool(item.get("Override")))


def canonical(config: dict[str, Any] | None) -> dict[str, Any]:
    """The managed part of a config in one form, so equal policies compare equal.

    Quantities are dropped (the lists carry them), lists are sorted, an empty comment, list or
    block is the same as none, optional booleans AWS fills in are false when missing.
    """
    if not config:
        return {}
    config = copy.deepcopy(config)
    result: dict[str, Any] = {"Name": config.get("Name", ""), "Comment": config.get("Comment") or ""}
    security = {k: v for k, v in (config.get("SecurityHeadersConfig") or {}).items() if v}
    for header, fields in SECURITY_FALSE_DEFAULTS.items():
        for field in fields:
            if header in security:
                security[header][field] = bool(security[header].get(field, False))
    if "XSSProtection" in security and not security["XSSProtection"].get("ReportUri"):
        security["XSSProtection"].pop("ReportUri", None)
    if security:
        result["SecurityHeadersConfig"] = security
    cors = config.get("CorsConfig")
    if cors:
        for key in CORS_LISTS:
            items = sorted((cors.get(key) or {}).get("Items") or [])
            if items:
                cors[key] = items
            else:
                cors.pop(key, None)
        if cors.get("AccessControlMaxAgeSec") is None:
            cors.pop("AccessControlMaxAgeSec", None)
        result["CorsConfig"] = cors
    custom = (config.get("CustomHeadersConfig") or {}).get("Items") or []
    if custom:
        result["CustomHeadersConfig"] = sorted(custom, key=_header_order)
    return result


def differs(current: dict[str, Any], desired: dict[str, Any]) -> bool:
    return canonical(current) != canonical(desired)


def update_body(current: dict[str, Any], desired: dict[str, Any]) -> dict[str, Any]:
    """The desired config plus what AWS holds outside the managed fields."""
    kept = {k: v for k, v in current.items() if k not in MANAGED}
    return {**kept, **desired}


def find(client: Any, name: str) -> str | None:
    """The id of the custom policy called ``name``, or None (the list has no paginator)."""
    marker = ""
    while True:
        kwargs = {"Type": "custom", **({"Marker": marker} if marker else {})}
        reply = client.list_response_headers_policies(aws_retry=True, **kwargs)
        listing = reply.get("ResponseHeadersPolicyList") or {}
        for item in listing.get("Items") or []:
            policy = item.get("ResponseHeadersPolicy") or {}
            if (policy.get("ResponseHeadersPolicyConfig") or {}).get("Name") == name:
                return policy["Id"]
        marker = listing.get("NextMarker") or ""
        if not marker:
            return None


def get(client: Any, policy_id: str) -> tuple[dict[str, Any], str]:
    """The policy (Id, LastModifiedTime, ResponseHeadersPolicyConfig) and its ETag."""
    reply = client.get_response_headers_policy(aws_retry=True, Id=policy_id)
    return reply["ResponseHeadersPolicy"], reply["ETag"]


def to_result(policy: dict[str, Any] | None, etag: str = "") -> dict[str, Any]:
    if not policy:
        return {}
    modified = policy.get("LastModifiedTime")
    return {
        "id": policy.get("Id", ""),
        "etag": etag,
        "last_modified_time": modified.isoformat() if hasattr(modified, "isoformat") else str(modified or ""),
        "response_headers_policy_config": camel_dict_to_snake_dict(policy.get("ResponseHeadersPolicyConfig") or {}),
    }


def diff_for(before: dict[str, Any] | None, after: dict[str, Any] | None) -> dict[str, Any]:
    return {"before": canonical(before), "after": canonical(after)}


def ensure_present(client: Any, params: dict[str, Any], check_mode: bool) -> dict[str, Any]:
    desired = desired_config(params)
    policy_id = find(client, params["name"])
    if policy_id is None:
        result = {"changed": True, "diff": diff_for(None, desired)}
        if check_mode:
            return {**result, "response_headers_policy": {}}
        reply = client.create_response_headers_policy(aws_retry=True, ResponseHeadersPolicyConfig=desired)
        return {**result, "response_headers_policy": to_result(reply["ResponseHeadersPolicy"], reply["ETag"])}
    policy, etag = get(client, policy_id)
    current = policy["ResponseHeadersPolicyConfig"]
    if not differs(current, desired):
        result = {"changed": False, "diff": diff_for(current, current)}
        return {**result, "response_headers_policy": to_result(policy, etag)}
    body = update_body(current, desired)
    result = {"changed": True, "diff": diff_for(current, body)}
    if check_mode:
        return {**result, "response_headers_policy": to_result({**policy, "ResponseHeadersPolicyConfig": body}, etag)}
    reply = client.update_response_headers_policy(
        aws_retry=True, Id=policy_id, IfMatch=etag, ResponseHeadersPolicyConfig=body
    )
    return {**result, "response_headers_policy": to_result(reply["ResponseHeadersPolicy"], reply["ETag"])}


def ensure_absent(client: Any, params: dict[str, Any], check_mode: bool) -> dict[str, Any]:
    policy_id = find(client, params["name"])
    if policy_id is None:
        return {"changed": False, "diff": diff_for(None, None), "response_headers_policy": {}}
    policy, etag = get(client, policy_id)
    result = {"changed": True, "diff": diff_for(policy["ResponseHeadersPolicyConfig"], None)}
    if not check_mode:
        try:
            client.delete_response_headers_policy(aws_retry=True, Id=policy_id, IfMatch=etag)
        except is_boto3_error_code("NoSuchResponseHeadersPolicy"):
            result["changed"] = False  # deleted by someone else meanwhile
    return {**result, "response_headers_policy": {}}


def run(module: Any, client: Any) -> dict[str, Any]:
    return ensure_state(module, client, ensure_present, ensure_absent)


def main() -> None:
    module = AnsibleAWSModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    name = module.params["name"]
    messages = {
        "ResponseHeadersPolicyInUse": (
            f"Response headers policy {name} is still used by a distribution; detach it first"
        ),
        "PreconditionFailed": f"Response headers policy {name} changed meanwhile; run again",
    }
    run_module(module, "cloudfront", run, f"Could not manage response headers policy {name}", messages=messages)


if __name__ == "__main__":
    main()
