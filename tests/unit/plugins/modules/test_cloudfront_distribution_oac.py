"""Unit tests for appstack.cloud.cloudfront_distribution_oac: a stubbed CloudFront client."""

from __future__ import annotations

import copy
from typing import Any
from unittest import mock

import pytest
from ansible_collections.appstack.cloud.plugins.modules import cloudfront_distribution_oac as mod

from tests.unit.conftest import FakeModule

COMMENT = "starttech-test-cdn"
BUCKET = "starttech-test-cdn-123456789012.s3.us-east-1.amazonaws.com"
CERT = "arn:aws:acm:us-east-1:123456789012:certificate/abc"
SPA_ERRORS = [
    {"error_code": 403, "response_code": 200, "response_page_path": "/index.html", "error_caching_min_ttl": 10},
    {"error_code": 404, "response_code": 200, "response_page_path": "/index.html", "error_caching_min_ttl": 10},
]


def params(**overrides: Any) -> dict[str, Any]:
    base = {
        "state": "present",
        "comment": COMMENT,
        "origin_domain_name": BUCKET,
        "origin_id": "s3-origin",
        "origin_path": "",
        "origin_access_control_id": "OAC1",
        "enabled": True,
        "default_root_object": "index.html",
        "viewer_protocol_policy": "redirect-to-https",
        "allowed_methods": ["GET", "HEAD"],
        "cached_methods": ["GET", "HEAD"],
        "compress": True,
        "min_ttl": 0,
        "default_ttl": 3600,
        "max_ttl": 86400,
        "response_headers_policy_id": "RHP1",
        "custom_error_responses": SPA_ERRORS,
        "aliases": [],
        "acm_certificate_arn": None,
        "minimum_protocol_version": "TLSv1.2_2021",
        "price_class": "PriceClass_100",
        "http_version": "http2and3",
        "ipv6_enabled": True,
        "tags": {"Project": "starttech", "Component": "cdn"},
        "purge_tags": True,
        "wait": False,
        "wait_timeout": 1800,
    }
    base.update(overrides)
    return base


def as_aws_returns(wanted: dict[str, Any]) -> dict[str, Any]:
    """The config AWS returns for a distribution made from ``wanted``: more fields, other orders."""
    config = mod.create_config(mod.desired_config(wanted))
    config.update(
        {
            "OriginGroups": {"Quantity": 0},
            "CacheBehaviors": {"Quantity": 0},
            "Logging": {"Enabled": False, "IncludeCookies": False, "Bucket": "", "Prefix": ""},
            "Restrictions": {"GeoRestriction": {"RestrictionType": "none", "Quantity": 0}},
            "WebACLId": "",
            "ContinuousDeploymentPolicyId": "",
            "Staging": False,
        }
    )
    origin = config["Origins"]["Items"][0]
    origin.update(
        {
            "CustomHeaders": {"Quantity": 0},
            "ConnectionAttempts": 3,
            "ConnectionTimeout": 10,
            "OriginShield": {"Enabled": False},
        }
    )
    origin["S3OriginConfig"]["OriginReadTimeout"] = 30
    behavior = config["DefaultCacheBehavior"]
    behavior.update(
        {
            "TrustedSigners": {"Enabled": False, "Quantity": 0},
            "TrustedKeyGroups": {"Enabled": False, "Quantity": 0},
            "SmoothStreaming": False,
            "LambdaFunctionAssociations": {"Quantity": 0},
            "FunctionAssociations": {"Quantity": 0},
            "FieldLevelEncryptionId": "",
            "GrpcConfig": {"Enabled": False},
        }
    )
    behavior["AllowedMethods"]["Items"].reverse()
    config["CustomErrorResponses"].get("Items", []).reverse()
    if config["Aliases"].get("Items"):
        config["Aliases"]["Items"].reverse()
    if config["ViewerCertificate"].get("CloudFrontDefaultCertificate"):
        config["ViewerCertificate"] = {
            "CloudFrontDefaultCertificate": True,
            "SSLSupportMethod": "vip",
            "MinimumProtocolVersion": "TLSv1",
            "CertificateSource": "cloudfront",
        }
    else:
        config["ViewerCertificate"].update(
            {"CloudFrontDefaultCertificate": False, "Certificate": CERT, "CertificateSource": "acm"}
        )
    return config


class Waiter:
    def __init__(self, client: StubCloudFront):
        self.client = client

    def wait(self, Id: str, WaiterConfig: dict[str, int]) -> None:
        assert WaiterConfig["Delay"] * WaiterConfig["MaxAttempts"] >= 1800
        self.client.calls.append("wait")
        self.client.status[Id] = "Deployed"


class StubCloudFront:
    """Distributions as id -> config, ETags that change on every update, tags by ARN."""

    def __init__(self, configs: dict[str, dict[str, Any]] | None = None, tags: dict[str, str] | None = None):
        self.configs = {i: copy.deepcopy(c) for i, c in (configs or {}).items()}
        self.etags = {i: f"{i}-v1" for i in self.configs}
        self.status = dict.fromkeys(self.configs, "Deployed")
        self.tags = {self.arn(i): dict(tags or {}) for i in self.configs}
        self.calls: list[str] = []

    @staticmethod
    def arn(distribution_id: str) -> str:
        return f"arn:aws:cloudfront::123456789012:distribution/{distribution_id}"

    def get_paginator(self, name: str) -> Any:
        assert name == "list_distributions"
        items = [{"Id": i, "ARN": self.arn(i), "Comment": c["Comment"]} for i, c in self.configs.items()]
        paginator = mock.Mock()
        paginator.paginate.return_value = [{"DistributionList": {"Items": items[:1]}}, {"DistributionList": {}}]
        if len(items) > 1:
            paginator.paginate.return_value.append({"DistributionList": {"Items": items[1:]}})
        return paginator

    def get_waiter(self, name: str) -> Waiter:
        assert name == "distribution_deployed"
        return Waiter(self)

    def get_distribution_config(self, Id: str, aws_retry: bool = False) -> dict[str, Any]:
        return {"DistributionConfig": copy.deepcopy(self.configs[Id]), "ETag": self.etags[Id]}

    def get_distribution(self, Id: str, aws_retry: bool = False) -> dict[str, Any]:
        return {
            "Distribution": {
                "Id": Id,
                "ARN": self.arn(Id),
                "Status": self.status[Id],
                "DomainName": f"{Id.lower()}.cloudfront.net",
                "DistributionConfig": copy.deepcopy(self.configs[Id]),
            }
        }

    def create_distribution(self, DistributionConfig: dict[str, Any], aws_retry: bool = False) -> dict[str, Any]:
        return self._create(DistributionConfig, {})

    def create_distribution_with_tags(self, DistributionConfigWithTags: dict[str, Any], aws_retry: bool = False):
        tags = {t["Key"]: t["Value"] for t in DistributionConfigWithTags["Tags"]["Items"]}
        return self._create(DistributionConfigWithTags["DistributionConfig"], tags)

    def _create(self, config: dict[str, Any], tags: dict[str, str]) -> dict[str, Any]:
        self.calls.append("create")
        distribution_id = f"E{len(self.configs) + 1}"
        self.configs[distribution_id] = copy.deepcopy(config)
        self.etags[distribution_id] = f"{distribution_id}-v1"
        self.status[distribution_id] = "InProgress"
        self.tags[self.arn(distribution_id)] = tags
        return {"Distribution": {"Id": distribution_id}}

    def update_distribution(self, Id: str, IfMatch: str, DistributionConfig: dict[str, Any], aws_retry: bool = False):
        self.calls.append("update")
        assert IfMatch == self.etags[Id], "update must send the current ETag"
        assert DistributionConfig["CallerReference"] == self.configs[Id]["CallerReference"]
        self.configs[Id] = copy.deepcopy(DistributionConfig)
        self.etags[Id] = f"{Id}-v{int(self.etags[Id].rsplit('v', 1)[1]) + 1}"
        self.status[Id] = "InProgress"
        return {"Distribution": {"Id": Id}}

    def delete_distribution(self, Id: str, IfMatch: str, aws_retry: bool = False) -> dict[str, Any]:
        self.calls.append("delete")
        assert IfMatch == self.etags[Id], "delete must send the current ETag"
        assert not self.configs[Id]["Enabled"] and self.status[Id] == "Deployed", "AWS deletes only disabled, deployed"
        del self.configs[Id]
        return {}

    def list_tags_for_resource(self, Resource: str, aws_retry: bool = False) -> dict[str, Any]:
        return {"Tags": {"Items": [{"Key": k, "Value": v} for k, v in self.tags[Resource].items()]}}

    def tag_resource(self, Resource: str, Tags: dict[str, Any], aws_retry: bool = False) -> None:
        self.calls.append("tag")
        self.tags[Resource].update({t["Key"]: t["Value"] for t in Tags["Items"]})

    def untag_resource(self, Resource: str, TagKeys: dict[str, Any], aws_retry: bool = False) -> None:
        self.calls.append("untag")
        for key in TagKeys["Items"]:
            self.tags[Resource].pop(key)


TAGS = {"Project": "starttech", "Component": "cdn"}


def with_cache_policy(config: dict[str, Any]) -> dict[str, Any]:
    config["DefaultCacheBehavior"]["CachePolicyId"] = "658327ea-f89d-4fab-a63d-7e88639e58f6"
    return config


def with_second_origin(config: dict[str, Any]) -> dict[str, Any]:
    config["Origins"] = {"Quantity": 2, "Items": [*config["Origins"]["Items"], {"Id": "old", "DomainName": "x"}]}
    return config


@pytest.mark.parametrize(
    ("stored", "wanted", "changed", "calls"),
    [
        pytest.param(as_aws_returns(params()), params(), False, [], id="no-op-aws-shape"),
        pytest.param(
            as_aws_returns(params(aliases=["a.example.com", "b.example.com"], acm_certificate_arn=CERT)),
            params(aliases=["a.example.com", "b.example.com"], acm_certificate_arn=CERT),
            False,
            [],
            id="no-op-with-certificate",
        ),
        pytest.param(as_aws_returns(params()), params(default_ttl=600), True, ["update"], id="ttl"),
        pytest.param(as_aws_returns(params()), params(origin_access_control_id="OAC2"), True, ["update"], id="oac"),
        pytest.param(as_aws_returns(params()), params(response_headers_policy_id=""), True, ["update"], id="no-rhp"),
        pytest.param(as_aws_returns(params()), params(response_headers_policy_id=None), False, [], id="rhp-unmanaged"),
        pytest.param(as_aws_returns(params(response_headers_policy_id="")), params(), True, ["update"], id="add-rhp"),
        pytest.param(with_cache_policy(as_aws_returns(params())), params(), True, ["update"], id="cache-policy"),
        pytest.param(with_second_origin(as_aws_returns(params())), params(), True, ["update"], id="extra-origin"),
        pytest.param(
            as_aws_returns(params()),
            params(custom_error_responses=SPA_ERRORS[:1]),
            True,
            ["update"],
            id="error-responses",
        ),
        pytest.param(
            as_aws_returns(params()),
            params(aliases=["a.example.com"], acm_certificate_arn=CERT),
            True,
            ["update"],
            id="certificate",
        ),
        pytest.param(as_aws_returns(params()), params(enabled=False), True, ["update"], id="disable"),
        pytest.param(as_aws_returns(params()), params(tags={"Project": "other"}), True, ["tag", "untag"], id="tags"),
        pytest.param(as_aws_returns(params()), params(tags=None), False, [], id="tags-unmanaged"),
    ],
)
def test_present_existing(stored, wanted, changed, calls):
    client = StubCloudFront({"E1": stored}, tags=TAGS)

    result = mod.run(FakeModule(wanted), client)

    assert result["changed"] is changed
    assert sorted(client.calls) == sorted(calls)
    assert result["distribution"]["id"] == "E1"
    new = client.configs["E1"]
    desired = mod.desired_config(wanted)
    if desired["DefaultCacheBehavior"].get("ResponseHeadersPolicyId") == "":
        del desired["DefaultCacheBehavior"]["ResponseHeadersPolicyId"]  # "" means: remove it
    assert mod.contains(mod.normalise(desired), mod.normalise(new))
    # What the module does not manage stays as AWS returned it.
    assert new["Staging"] is False
    assert new["Origins"]["Items"][0]["S3OriginConfig"]["OriginReadTimeout"] == 30
    assert new["DefaultCacheBehavior"]["GrpcConfig"] == {"Enabled": False}
    assert "CachePolicyId" not in new["DefaultCacheBehavior"]
    kept = wanted["response_headers_policy_id"] != ""
    assert ("ResponseHeadersPolicyId" in new["DefaultCacheBehavior"]) is kept
    assert new["Origins"]["Quantity"] == 1


def test_rerun_after_update_is_a_no_op():
    client = StubCloudFront({"E1": as_aws_returns(params())}, tags=TAGS)
    mod.run(FakeModule(params(default_ttl=600, aliases=["a.example.com"], acm_certificate_arn=CERT)), client)
    client.calls.clear()

    result = mod.run(FakeModule(params(default_ttl=600, aliases=["a.example.com"], acm_certificate_arn=CERT)), client)

    assert result["changed"] is False
    assert client.calls == []


@pytest.mark.parametrize(
    ("stored", "wanted", "changed", "config_changed"),
    [
        pytest.param({}, params(), True, True, id="create"),
        pytest.param({"E1": as_aws_returns(params())}, params(default_ttl=1), True, True, id="update"),
        pytest.param({"E1": as_aws_returns(params())}, params(tags={"New": "tag"}), True, False, id="tags"),
        pytest.param({"E1": as_aws_returns(params())}, params(), False, False, id="no-op"),
    ],
)
def test_check_mode_changes_nothing(stored, wanted, changed, config_changed):
    client = StubCloudFront(stored, tags=TAGS)
    before = copy.deepcopy(client.configs)

    result = mod.run(FakeModule(wanted, check_mode=True, diff=True), client)

    assert result["changed"] is changed
    assert client.calls == []
    assert client.configs == before
    assert (result["distribution"] == {}) is (not stored)
    assert (result["diff"]["before"] != result["diff"]["after"]) is config_changed


@pytest.mark.parametrize(("wait", "calls"), [(False, ["create"]), (True, ["create", "wait"])])
def test_create(wait, calls):
    client = StubCloudFront()

    result = mod.run(FakeModule(params(wait=wait)), client)

    assert result["changed"] is True
    assert client.calls == calls
    config = client.configs["E1"]
    assert config["CallerReference"].startswith(COMMENT + "-")
    assert config["Origins"]["Items"][0]["OriginAccessControlId"] == "OAC1"
    assert config["Origins"]["Items"][0]["S3OriginConfig"] == {"OriginAccessIdentity": ""}
    assert config["DefaultCacheBehavior"]["DefaultTTL"] == 3600
    assert config["ViewerCertificate"] == {"CloudFrontDefaultCertificate": True}
    assert result["distribution"]["tags"] == TAGS
    assert result["distribution"]["status"] == ("Deployed" if wait else "InProgress")


def test_create_without_tags():
    client = StubCloudFront()
    mod.run(FakeModule(params(tags=None)), client)
    assert client.tags[client.arn("E1")] == {}


def test_two_distributions_with_the_comment_fail():
    client = StubCloudFront({"E1": as_aws_returns(params()), "E2": as_aws_returns(params())})
    with pytest.raises(mod.ModuleError, match="more than one distribution"):
        mod.run(FakeModule(params()), client)


def test_aliases_need_a_certificate():
    with pytest.raises(mod.ModuleError, match="acm_certificate_arn"):
        mod.run(FakeModule(params(aliases=["a.example.com"])), StubCloudFront())


def disabled(config: dict[str, Any]) -> dict[str, Any]:
    return {**config, "Enabled": False}


@pytest.mark.parametrize(
    ("stored", "check_mode", "changed", "calls"),
    [
        pytest.param({"E1": as_aws_returns(params())}, False, True, ["update", "wait", "delete"], id="enabled"),
        pytest.param({"E1": disabled(as_aws_returns(params()))}, False, True, ["wait", "delete"], id="disabled"),
        pytest.param({"E1": as_aws_returns(params())}, True, True, [], id="check-mode"),
        pytest.param({"E1": as_aws_returns(params(comment="other"))}, False, False, [], id="absent"),
    ],
)
def test_absent(stored, check_mode, changed, calls):
    client = StubCloudFront(stored)

    result = mod.run(FakeModule(params(state="absent"), check_mode=check_mode), client)

    assert result["changed"] is changed
    assert client.calls == calls
    assert result["distribution"] == {}
    assert result["distribution_ids_deleted"] == (["E1"] if changed else [])
    assert ("E1" in client.configs) is (not changed or check_mode)


@pytest.mark.parametrize(
    ("want", "have", "expected"),
    [
        ({"a": 1}, {"a": 1, "b": 2}, True),
        ({"a": {"b": 1}}, {"a": {"b": 1, "c": 2}}, True),
        ({"a": [{"b": 1}]}, {"a": [{"b": 1, "c": 2}]}, True),
        ({"a": [{"b": 1}]}, {"a": [{"b": 1}, {"b": 2}]}, False),
        ({"a": 1}, {}, False),
        ({"a": {"b": 1}}, {"a": None}, False),
    ],
)
def test_contains(want, have, expected):
    assert mod.contains(want, have) is expected


@pytest.mark.parametrize(
    ("args", "stored", "changed", "failed"),
    [
        pytest.param({"origin_domain_name": BUCKET, "origin_access_control_id": "OAC1"}, {}, True, False, id="create"),
        pytest.param({"state": "absent"}, {"E1": as_aws_returns(params())}, True, False, id="delete"),
        pytest.param({"origin_domain_name": BUCKET}, {}, False, True, id="present-needs-the-oac"),
    ],
)
def test_main(args, stored, changed, failed, run_main):
    result = run_main(mod, {"comment": COMMENT, **args}, StubCloudFront(stored))

    assert result.get("failed", False) is failed
    if not failed:
        assert result["changed"] is changed
    else:
        assert "origin_access_control_id" in result["msg"]
