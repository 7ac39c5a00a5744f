"""Shim cloudfront_response_headers_policies: the response headers policy API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import botocore.exceptions
import pytest

from .support import Emulator

pytestmark = pytest.mark.emulator

SECURITY_HEADERS = {
    "StrictTransportSecurity": {
        "Override": True,
        "IncludeSubdomains": True,
        "Preload": False,
        "AccessControlMaxAgeSec": 63072000,
    },
    "ContentTypeOptions": {"Override": True},
    "FrameOptions": {"Override": True, "FrameOption": "DENY"},
    "ReferrerPolicy": {"Override": True, "ReferrerPolicy": "strict-origin-when-cross-origin"},
    "XSSProtection": {"Override": True, "Protection": True, "ModeBlock": True},
}
MANAGED_SECURITY_HEADERS = "67f7725c-6f97-4210-82d7-5512b31e9d03"
ORIGIN = {"HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "https-only"}


def _config(name: str, **extra: Any) -> dict[str, Any]:
    return {"Name": name, "Comment": "security headers", "SecurityHeadersConfig": SECURITY_HEADERS, **extra}


def _error(call: Callable[[], Any]) -> tuple[str, int]:
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        call()
    response = caught.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]


def test_create_get_list_update_delete(emulator: Emulator, unique: Callable[[str], str]) -> None:
    cloudfront = emulator.client("cloudfront")
    name = unique("rhp")
    created = cloudfront.create_response_headers_policy(ResponseHeadersPolicyConfig=_config(name))
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    policy_id = created["ResponseHeadersPolicy"]["Id"]

    got = cloudfront.get_response_headers_policy(Id=policy_id)
    assert got["ResponseHeadersPolicy"]["ResponseHeadersPolicyConfig"] == _config(name)
    assert got["ETag"] == created["ETag"]
    assert cloudfront.get_response_headers_policy_config(Id=policy_id)["ResponseHeadersPolicyConfig"] == _config(name)

    custom = cloudfront.list_response_headers_policies(Type="custom")["ResponseHeadersPolicyList"]["Items"]
    assert name in [item["ResponseHeadersPolicy"]["ResponseHeadersPolicyConfig"]["Name"] for item in custom]
    managed = cloudfront.list_response_headers_policies(Type="managed")["ResponseHeadersPolicyList"]["Items"]
    assert MANAGED_SECURITY_HEADERS in [item["ResponseHeadersPolicy"]["Id"] for item in managed]

    # An update that changes nothing keeps the ETag and the time; a real change moves both.
    same = cloudfront.update_response_headers_policy(
        Id=policy_id, IfMatch=got["ETag"], ResponseHeadersPolicyConfig=_config(name)
    )
    assert same["ETag"] == got["ETag"]
    assert same["ResponseHeadersPolicy"]["LastModifiedTime"] == got["ResponseHeadersPolicy"]["LastModifiedTime"]
    changed = cloudfront.update_response_headers_policy(
        Id=policy_id, IfMatch=got["ETag"], ResponseHeadersPolicyConfig=_config(name, Comment="other")
    )
    assert changed["ETag"] != got["ETag"]
    assert changed["ResponseHeadersPolicy"]["ResponseHeadersPolicyConfig"]["Comment"] == "other"

    assert _error(lambda: cloudfront.delete_response_headers_policy(Id=policy_id, IfMatch=got["ETag"])) == (
        "PreconditionFailed",
        412,
    )
    cloudfront.delete_response_headers_policy(Id=policy_id, IfMatch=changed["ETag"])
    assert _error(lambda: cloudfront.get_response_headers_policy(Id=policy_id)) == ("NoSuchResponseHeadersPolicy", 404)


def test_list_comes_in_pages(emulator: Emulator, unique: Callable[[str], str]) -> None:
    """appstack.cloud.cloudfront_response_headers_policy follows NextMarker (the call has no paginator)."""
    cloudfront = emulator.client("cloudfront")
    names = [unique("rhp-page") for _ in range(3)]
    for name in names:
        cloudfront.create_response_headers_policy(ResponseHeadersPolicyConfig=_config(name))
    listed: list[str] = []
    pages = 0
    kwargs: dict[str, str] = {"Type": "custom", "MaxItems": "2"}
    while True:
        listing = cloudfront.list_response_headers_policies(**kwargs)["ResponseHeadersPolicyList"]
        pages += 1
        items = listing.get("Items") or []
        assert len(items) == listing["Quantity"] <= 2
        listed += [item["ResponseHeadersPolicy"]["ResponseHeadersPolicyConfig"]["Name"] for item in items]
        if "NextMarker" not in listing:
            break
        kwargs["Marker"] = listing["NextMarker"]
    assert pages >= 2
    assert len(listed) == len(set(listed))
    assert set(names) <= set(listed)


def test_names_are_unique_and_managed_policies_fixed(emulator: Emulator, unique: Callable[[str], str]) -> None:
    cloudfront = emulator.client("cloudfront")
    name = unique("rhp")
    cloudfront.create_response_headers_policy(ResponseHeadersPolicyConfig=_config(name))
    duplicate = _error(lambda: cloudfront.create_response_headers_policy(ResponseHeadersPolicyConfig=_config(name)))
    assert duplicate == ("ResponseHeadersPolicyAlreadyExists", 409)
    etag = cloudfront.get_response_headers_policy(Id=MANAGED_SECURITY_HEADERS)["ETag"]
    code, _ = _error(lambda: cloudfront.delete_response_headers_policy(Id=MANAGED_SECURITY_HEADERS, IfMatch=etag))
    assert code == "IllegalDelete"


def test_policy_in_use_is_not_deleted(emulator: Emulator, unique: Callable[[str], str]) -> None:
    cloudfront = emulator.client("cloudfront")
    name = unique("rhp")
    created = cloudfront.create_response_headers_policy(ResponseHeadersPolicyConfig=_config(name))
    policy_id = created["ResponseHeadersPolicy"]["Id"]
    cloudfront.create_distribution(
        DistributionConfig={
            "CallerReference": name,
            "Comment": name,
            "Enabled": True,
            "Origins": {
                "Quantity": 1,
                "Items": [{"Id": "o", "DomainName": "example.com", "CustomOriginConfig": ORIGIN}],
            },
            "DefaultCacheBehavior": {
                "TargetOriginId": "o",
                "ViewerProtocolPolicy": "redirect-to-https",
                "ResponseHeadersPolicyId": policy_id,
            },
        }
    )
    in_use = _error(lambda: cloudfront.delete_response_headers_policy(Id=policy_id, IfMatch=created["ETag"]))
    assert in_use == ("ResponseHeadersPolicyInUse", 409)


def test_gap_moto_has_no_response_headers_policies(bare_emulator: Emulator) -> None:
    cloudfront = bare_emulator.client("cloudfront")
    _code, status = _error(lambda: cloudfront.list_response_headers_policies())
    assert status == 404
