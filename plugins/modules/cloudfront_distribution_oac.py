#!/usr/bin/python
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: cloudfront_distribution_oac
short_description: Manage a CloudFront distribution that serves one private S3 bucket through an origin access control
version_added: 0.1.0
description:
  - Creates, updates, or disables and deletes a CloudFront distribution whose one origin is an S3
    bucket reached through an origin access control (OAC).
  - "Why not community.aws.cloudfront_distribution: it passes an undocumented
    C(origin_access_control_id) key through, but it decides whether to update by comparing the
    whole configuration AWS returns with the one it builds, so fields it does not model (and
    fields AWS adds over time) make it report a change and update on every run (its own
    integration tests have their idempotency assertions commented out); and it has no check mode."
  - This module manages only the settings below. Everything else in the distribution's
    configuration is kept as AWS returns it, so a rerun compares only what the module sets and
    changes nothing when that matches.
  - The distribution is found by its I(comment), which the caller keeps unique in the account
    (appstack uses the resource name, C(<project>-<env>-cdn)).
  - Caching uses the legacy settings (minimum, default and maximum TTL; query strings, cookies
    and headers not forwarded), so a cache policy on the default behaviour is removed.
  - With I(state=absent) the distribution is disabled, waited for (AWS deletes only a disabled,
    deployed distribution) and deleted.
options:
  state:
    description: Whether the distribution should exist.
    type: str
    choices: [present, absent]
    default: present
  comment:
    description: The distribution's comment; identifies it.
    type: str
    required: true
  origin_domain_name:
    description:
      - The bucket's regional domain name, C(<bucket>.s3.<region>.amazonaws.com).
      - Required with I(state=present).
    type: str
  origin_id:
    description: The id of the origin inside the distribution.
    type: str
    default: s3-origin
  origin_path:
    description: A folder of the bucket to serve instead of its root, e.g. C(/site).
    type: str
    default: ""
  origin_access_control_id:
    description:
      - The id of the origin access control CloudFront signs its requests to the bucket with.
      - Required with I(state=present).
    type: str
  enabled:
    description: Whether the distribution serves requests.
    type: bool
    default: true
  default_root_object:
    description: The object returned for a request to the root URL.
    type: str
    default: index.html
  viewer_protocol_policy:
    description: What viewers' plain HTTP requests get.
    type: str
    choices: [allow-all, https-only, redirect-to-https]
    default: redirect-to-https
  allowed_methods:
    description: The HTTP methods CloudFront passes to the origin.
    type: list
    elements: str
    default: [GET, HEAD]
  cached_methods:
    description: The methods whose responses CloudFront caches.
    type: list
    elements: str
    default: [GET, HEAD]
  compress:
    description: Compress responses for viewers that accept it.
    type: bool
    default: true
  min_ttl:
    description: Minimum seconds an object stays cached.
    type: int
    default: 0
  default_ttl:
    description: Seconds an object stays cached when the origin sends no Cache-Control.
    type: int
    default: 3600
  max_ttl:
    description: Maximum seconds an object stays cached.
    type: int
    default: 86400
  response_headers_policy_id:
    description:
      - The response headers policy of the default behaviour.
      - An empty string removes the policy; when omitted, the current one (if any) is kept.
    type: str
  custom_error_responses:
    description:
      - What viewers get instead of an origin error, e.g. 403 and 404 answered with
        C(/index.html) and 200 for a single-page application.
    type: list
    elements: dict
    default: []
    suboptions:
      error_code:
        description: The HTTP status code from the origin.
        type: int
        required: true
      response_code:
        description: The HTTP status code viewers get.
        type: int
      response_page_path:
        description: The object viewers get, e.g. C(/index.html).
        type: str
      error_caching_min_ttl:
        description: Seconds CloudFront caches the error response.
        type: int
        default: 10
  aliases:
    description:
      - Alternate domain names. They need I(acm_certificate_arn).
    type: list
    elements: str
    default: []
  acm_certificate_arn:
    description:
      - ARN of an ACM certificate in us-east-1 that covers the I(aliases). Without it the
        distribution uses the default C(*.cloudfront.net) certificate.
    type: str
  minimum_protocol_version:
    description: The lowest TLS version viewers may use with I(acm_certificate_arn).
    type: str
    default: TLSv1.2_2021
  price_class:
    description: Which edge locations serve the distribution.
    type: str
    choices: [PriceClass_100, PriceClass_200, PriceClass_All]
    default: PriceClass_100
  http_version:
    description: The highest HTTP version viewers may use.
    type: str
    choices: [http1.1, http2, http3, http2and3]
    default: http2and3
  ipv6_enabled:
    description: Answer on IPv6 too.
    type: bool
    default: true
  wait:
    description:
      - Wait until the distribution is deployed after creating or updating it (minutes on AWS).
      - Deleting always waits for the disabled distribution to deploy.
    type: bool
    default: false
  wait_timeout:
    description: Seconds to wait for the distribution to deploy.
    type: int
    default: 1800
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Serve a private bucket through CloudFront, as a single-page application
  appstack.cloud.cloudfront_distribution_oac:
    comment: starttech-prod-cdn
    origin_domain_name: starttech-prod-cdn-123456789012.s3.us-east-1.amazonaws.com
    origin_access_control_id: E2QWRUHAPOMQZL
    response_headers_policy_id: 67f7725c-6f97-4210-82d7-5512b31e9d03
    custom_error_responses:
      - {error_code: 403, response_code: 200, response_page_path: /index.html}
      - {error_code: 404, response_code: 200, response_page_path: /index.html}
    tags:
      Project: starttech
  register: cdn

- name: Disable, then delete it
  appstack.cloud.cloudfront_distribution_oac:
    comment: starttech-prod-cdn
    state: absent
"""

RETURN = r"""
distribution:
  description:
    - The distribution as GetDistribution returns it (snake_case), with its tags; empty when
      absent, or when check mode plans its creation.
  returned: always
  type: dict
  sample:
    id: E1ABCDEF2GHIJK
    arn: arn:aws:cloudfront::123456789012:distribution/E1ABCDEF2GHIJK
    domain_name: d111111abcdef8.cloudfront.net
    status: InProgress
    distribution_config:
      comment: starttech-prod-cdn
      enabled: true
    tags:
      Project: starttech
distribution_ids_deleted:
  description: Ids of the distributions this run deleted.
  returned: always
  type: list
  elements: str
"""

import copy
import math
import uuid
from typing import Any

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.appstack.cloud.plugins.module_utils.data import deep_merge
from ansible_collections.appstack.cloud.plugins.module_utils.runner import ModuleError, ensure_state, run_module
from ansible_collections.appstack.cloud.plugins.module_utils.tags import CLOUDFRONT

# Seconds between two looks at a distribution that is deploying.
WAIT_DELAY = 15

# Query strings, cookies and headers are not part of the cache key (a static site needs none).
FORWARDED_VALUES = {
    "QueryString": False,
    "Cookies": {"Forward": "none"},
    "Headers": {"Quantity": 0},
    "QueryStringCacheKeys": {"Quantity": 0},
}


def cf_list(items: list[Any]) -> dict[str, Any]:
    """CloudFront's list form: a Quantity, and Items unless there are none."""
    result: dict[str, Any] = {"Quantity": len(items)}
    if items:
        result["Items"] = list(items)
    return result


def error_response(params: dict[str, Any]) -> dict[str, Any]:
    response: dict[str, Any] = {"ErrorCode": params["error_code"]}
    if params.get("response_page_path"):
        response["ResponsePagePath"] = params["response_page_path"]
    if params.get("response_code") is not None:
        response["ResponseCode"] = str(params["response_code"])
    if params.get("error_caching_min_ttl") is not None:
        response["ErrorCachingMinTTL"] = params["error_caching_min_ttl"]
    return response


def viewer_certificate(params: dict[str, Any]) -> dict[str, Any]:
    if params.get("acm_certificate_arn"):
        return {
            "ACMCertificateArn": params["acm_certificate_arn"],
            "SSLSupportMethod": "sni-only",
            "MinimumProtocolVersion": params["minimum_protocol_version"],
        }
    return {"CloudFrontDefaultCertificate": True}


def desired_config(params: dict[str, Any]) -> dict[str, Any]:
    """The part of a DistributionConfig these parameters manage, in the API's shape."""
    origin = {
        "Id": params["origin_id"],
        "DomainName": params["origin_domain_name"],
        "OriginPath": params["origin_path"] or "",
        "S3OriginConfig": {"OriginAccessIdentity": ""},
        "OriginAccessControlId": params["origin_access_control_id"] or "",
    }
    behavior: dict[str, Any] = {
        "TargetOriginId": params["origin_id"],
        "ViewerProtocolPolicy": params["viewer_protocol_policy"],
        "AllowedMethods": {
            **cf_list(params["allowed_methods"]),
            "CachedMethods": cf_list(params["cached_methods"]),
        },
        "Compress": params["compress"],
        "ForwardedValues": copy.deepcopy(FORWARDED_VALUES),
        "MinTTL": params["min_ttl"],
        "DefaultTTL": params["default_ttl"],
        "MaxTTL": params["max_ttl"],
    }
    if params.get("response_headers_policy_id") is not None:
        # "" asks merge() to remove the policy.
        behavior["ResponseHeadersPolicyId"] = params["response_headers_policy_id"]
    return {
        "Comment": params["comment"],
        "Enabled": params["enabled"],
        "DefaultRootObject": params["default_root_object"] or "",
        "Aliases": cf_list(params["aliases"]),
        "Origins": cf_list([origin]),
        "DefaultCacheBehavior": behavior,
        "CustomErrorResponses": cf_list([error_response(e) for e in params["custom_error_responses"]]),
        "ViewerCertificate": viewer_certificate(params),
        "PriceClass": params["price_class"],
        "HttpVersion": params["http_version"],
        "IsIPV6Enabled": params["ipv6_enabled"],
    }


def _sorted_items(container: dict[str, Any] | None, key: Any = None) -> None:
    if isinstance(container, dict) and isinstance(container.get("Items"), list):
        container["Items"] = sorted(container["Items"], key=key)


def normalise(config: dict[str, Any]) -> dict[str, Any]:
    """A copy with the lists whose order AWS does not keep sorted, for comparisons."""
    config = copy.deepcopy(config)
    _sorted_items(config.get("Aliases"))
    _sorted_items(config.get("CustomErrorResponses"), key=lambda response: response.get("ErrorCode", 0))
    methods = config.get("DefaultCacheBehavior", {}).get("AllowedMethods")
    _sorted_items(methods)
    _sorted_items((methods or {}).get("CachedMethods"))
    return config


def contains(want: Any, have: Any) -> bool:
    """True when ``have`` holds everything ``want`` says (dicts may hold more keys)."""
    if isinstance(want, dict):
        return isinstance(have, dict) and all(k in have and contains(v, have[k]) for k, v in want.items())
    if isinstance(want, list):
        return isinstance(have, list) and len(want) == len(have) and all(map(contains, want, have))
    return want == have


def merge(current: dict[str, Any], desired: dict[str, Any]) -> dict[str, Any]:
    """The config to send: ``current`` with the managed settings of ``desired`` applied.

    Unmanaged fields stay as AWS returned them. Where AWS returns more than the module sets
    (certificate and error response details), a current value that holds the desired one is kept.
    """
    new = copy.deepcopy(current)
    for key, value in desired.items():
        if key == "Origins":
            wanted = value["Items"][0]
            existing = next((o for o in current.get(key, {}).get("Items") or [] if o.get("Id") == wanted["Id"]), {})
            origin = deep_merge(existing, wanted)
            origin.pop("CustomOriginConfig", None)
            new[key] = cf_list([origin])
        elif key == "DefaultCacheBehavior":
            behavior = deep_merge(current.get(key, {}), value)
            if not behavior.get("ResponseHeadersPolicyId"):
                behavior.pop("ResponseHeadersPolicyId", None)
            if behavior.get("CachePolicyId"):
                # Legacy TTLs and a cache policy exclude each other; the module manages the TTLs.
                behavior.pop("CachePolicyId")
                behavior.pop("OriginRequestPolicyId", None)
            new[key] = behavior
        elif key in ("ViewerCertificate", "CustomErrorResponses", "Aliases"):
            keep = contains(normalise({key: value})[key], normalise({key: current.get(key)})[key])
            new[key] = copy.deepcopy(current[key] if keep else value)
        else:
            new[key] = value
    return new


def create_config(desired: dict[str, Any]) -> dict[str, Any]:
    # A fresh caller reference: AWS may keep a deleted distribution's reference.
    config = {"CallerReference": f"{desired['Comment']}-{uuid.uuid4()}", **copy.deepcopy(desired)}
    if not config["DefaultCacheBehavior"].get("ResponseHeadersPolicyId"):
        config["DefaultCacheBehavior"].pop("ResponseHeadersPolicyId", None)
    return config


def find(client: Any, comment: str) -> list[dict[str, Any]]:
    """Summaries of the distributions whose comment is ``comment``."""
    paginator = client.get_paginator("list_distributions")
    found = []
    for page in paginator.paginate():
        for summary in page.get("DistributionList", {}).get("Items") or []:
            if summary.get("Comment") == comment:
                found.append(summary)
    return found


def get_config(client: Any, distribution_id: str) -> tuple[dict[str, Any], str]:
    reply = client.get_distribution_config(aws_retry=True, Id=distribution_id)
    return reply["DistributionConfig"], reply["ETag"]


def ensure_tags(client: Any, arn: str, params: dict[str, Any], check_mode: bool) -> bool:
    to_set, to_remove = CLOUDFRONT.changes(client, arn, params.get("tags"), params["purge_tags"])
    if not check_mode:
        CLOUDFRONT.apply(client, arn, to_set, to_remove)
    return bool(to_set or to_remove)


def wait_deployed(client: Any, distribution_id: str, timeout: int) -> None:
    waiter = client.get_waiter("distribution_deployed")
    attempts = max(1, math.ceil(timeout / WAIT_DELAY))
    waiter.wait(Id=distribution_id, WaiterConfig={"Delay": WAIT_DELAY, "MaxAttempts": attempts})


def describe(client: Any, distribution_id: str) -> dict[str, Any]:
    """The distribution (snake_case) with its tags."""
    distribution = client.get_distribution(aws_retry=True, Id=distribution_id)["Distribution"]
    result = camel_dict_to_snake_dict(distribution)
    result["tags"] = CLOUDFRONT.read(client, distribution["ARN"])
    return result


def ensure_present(client: Any, params: dict[str, Any], check_mode: bool) -> dict[str, Any]:
    if params.get("aliases") and not params.get("acm_certificate_arn"):
        raise ModuleError("aliases need acm_certificate_arn (a certificate in us-east-1 that covers them)")
    desired = desired_config(params)
    found = find(client, params["comment"])
    if len(found) > 1:
        ids = ", ".join(summary["Id"] for summary in found)
        raise ModuleError(f"more than one distribution has the comment {params['comment']}: {ids}")
    result: dict[str, Any] = {"changed": True, "distribution_ids_deleted": []}
    if not found:
        result["diff"] = {"before": {}, "after": normalise(desired)}
        if check_mode:
            return {**result, "distribution": {}}
        config = create_config(desired)
        if params.get("tags"):
            tags = {"Items": CLOUDFRONT.tag_list(params["tags"])}
            reply = client.create_distribution_with_tags(
                aws_retry=True, DistributionConfigWithTags={"DistributionConfig": config, "Tags": tags}
            )
        else:
            reply = client.create_distribution(aws_retry=True, DistributionConfig=config)
        distribution_id = reply["Distribution"]["Id"]
    else:
        distribution_id = found[0]["Id"]
        current, etag = get_config(client, distribution_id)
        new = merge(current, desired)
        config_changed = normalise(new) != normalise(current)
        result["diff"] = {"before": normalise(current), "after": normalise(new)}
        if config_changed and not check_mode:
            client.update_distribution(aws_retry=True, Id=distribution_id, IfMatch=etag, DistributionConfig=new)
        tags_changed = ensure_tags(client, found[0]["ARN"], params, check_mode)
        result["changed"] = config_changed or tags_changed
    if params["wait"] and result["changed"] and not check_mode:
        wait_deployed(client, distribution_id, params["wait_timeout"])
    result["distribution"] = describe(client, distribution_id)
    return result


def ensure_absent(client: Any, params: dict[str, Any], check_mode: bool) -> dict[str, Any]:
    found = find(client, params["comment"])
    ids = [summary["Id"] for summary in found]
    result = {"changed": bool(ids), "distribution": {}, "distribution_ids_deleted": ids, "diff": {}}
    if check_mode:
        return result
    for distribution_id in ids:
        config, etag = get_config(client, distribution_id)
        if config.get("Enabled"):
            config["Enabled"] = False
            client.update_distribution(aws_retry=True, Id=distribution_id, IfMatch=etag, DistributionConfig=config)
        wait_deployed(client, distribution_id, params["wait_timeout"])
        _config, etag = get_config(client, distribution_id)
        client.delete_distribution(aws_retry=True, Id=distribution_id, IfMatch=etag)
    return result


def run(module: Any, client: Any) -> dict[str, Any]:
    return ensure_state(module, client, ensure_present, ensure_absent)


def main() -> None:
    error_response_spec = dict(
        error_code=dict(type="int", required=True),
        response_code=dict(type="int"),
        response_page_path=dict(),
        error_caching_min_ttl=dict(type="int", default=10),
    )
    methods = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"]
    module = AnsibleAWSModule(
        argument_spec=dict(
            state=dict(default="present", choices=["present", "absent"]),
            comment=dict(required=True),
            origin_domain_name=dict(),
            origin_id=dict(default="s3-origin"),
            origin_path=dict(default=""),
            origin_access_control_id=dict(),
            enabled=dict(type="bool", default=True),
            default_root_object=dict(default="index.html"),
            viewer_protocol_policy=dict(
                default="redirect-to-https", choices=["allow-all", "https-only", "redirect-to-https"]
            ),
            allowed_methods=dict(type="list", elements="str", default=["GET", "HEAD"], choices=methods),
            cached_methods=dict(type="list", elements="str", default=["GET", "HEAD"], choices=methods),
            compress=dict(type="bool", default=True),
            min_ttl=dict(type="int", default=0),
            default_ttl=dict(type="int", default=3600),
            max_ttl=dict(type="int", default=86400),
            response_headers_policy_id=dict(),
            custom_error_responses=dict(type="list", elements="dict", default=[], options=error_response_spec),
            aliases=dict(type="list", elements="str", default=[]),
            acm_certificate_arn=dict(),
            minimum_protocol_version=dict(default="TLSv1.2_2021"),
            price_class=dict(default="PriceClass_100", choices=["PriceClass_100", "PriceClass_200", "PriceClass_All"]),
            http_version=dict(default="http2and3", choices=["http1.1", "http2", "http3", "http2and3"]),
            ipv6_enabled=dict(type="bool", default=True),
            tags=dict(type="dict", aliases=["resource_tags"]),
            purge_tags=dict(type="bool", default=True),
            wait=dict(type="bool", default=False),
            wait_timeout=dict(type="int", default=1800),
        ),
        required_if=[("state", "present", ["origin_domain_name", "origin_access_control_id"])],
        supports_check_mode=True,
    )
    comment = module.params["comment"]
    messages = {"WaiterError": f"Distribution {comment} was not deployed within {module.params['wait_timeout']} s"}
    run_module(module, "cloudfront", run, f"Could not manage distribution {comment}", messages=messages)


if __name__ == "__main__":
    main()
