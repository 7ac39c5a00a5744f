"""Unit tests for appstack.cloud.cloudfront_response_headers_policy: a stubbed CloudFront client."""

from __future__ import annotations

import copy
import datetime
from typing import Any
from unittest import mock

import pytest
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible_collections.appstack.cloud.plugins.modules import cloudfront_response_headers_policy as mod

from tests.unit.conftest import FakeModule, client_error

NAME = "starttech-test-cdn-security-headers"
# What the aws_cdn role asks for (roles/aws_cdn/vars/main.yml), as a task passes it.
SECURITY = {
    "strict_transport_security": {
        "access_control_max_age_sec": 63072000,
        "include_subdomains": True,
        "preload": False,
        "override": True,
    },
    "content_type_options": {"override": True},
    "frame_options": {"frame_option": "DENY", "override": True},
    "referrer_policy": {"referrer_policy": "strict-origin-when-cross-origin", "override": True},
    "xss_protection": {"protection": True, "mode_block": True, "override": True},
    "content_security_policy": {"content_security_policy": "default-src 'self'", "override": True},
}
CORS = {
    "access_control_allow_origins": {"items": ["https://a.example.com", "https://b.example.com"]},
    "access_control_allow_headers": {"items": ["Authorization"]},
    "access_control_allow_methods": {"items": ["GET", "OPTIONS"]},
    "access_control_allow_credentials": False,
    "origin_override": True,
}
CUSTOM = {
    "items": [
        {"header": "X-B", "value": "b", "override": False},
        {"header": "X-A", "value": "a", "override": True},
    ]
}
# SECURITY as the API spells it.
SECURITY_API = {
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
    "ContentSecurityPolicy": {"Override": True, "ContentSecurityPolicy": "default-src 'self'"},
}


def params(**options: Any) -> dict[str, Any]:
    """The parameters Ansible hands the module for these task options (suboption defaults, Nones)."""
    args = {"name": NAME, "comment": "Security headers", "security_headers_config": SECURITY, **options}
    result = ArgumentSpecValidator(mod.ARGUMENT_SPEC).validate(copy.deepcopy(args))
    assert not result.error_messages, result.error_messages
    return result.validated_parameters


def stored(**overrides: Any) -> dict[str, Any]:
    """A policy config as AWS holds it (the role's policy unless overridden)."""
    config = {"Name": NAME, "Comment": "Security headers", "SecurityHeadersConfig": copy.deepcopy(SECURITY_API)}
    config.update(overrides)
    return {k: v for k, v in config.items() if v is not None}


def as_aws_fills_it() -> dict[str, Any]:
    """The same policy, in the forms AWS may return: defaults filled in, empty blocks, other orders."""
    config = stored(
        CustomHeadersConfig={"Quantity": 0},
        ServerTimingHeadersConfig={"Enabled": False},
        RemoveHeadersConfig={"Quantity": 0},
    )
    security = config["SecurityHeadersConfig"]
    del security["StrictTransportSecurity"]["Preload"]  # false when not sent
    security["XSSProtection"]["ReportUri"] = ""
    return config


class StubCloudFront:
    """The response headers policy calls over id -> (config, etag), listed two per page.

    Like AWS, it also lists a managed policy (never the module's) and honours Type.
    """

    MANAGED_ID = "67f7725c-6f97-4210-82d7-5512b31e9d03"

    def __init__(self, policies: dict[str, dict[str, Any]] | None = None, managed_name: str = "Managed-Security"):
        self.stored = {pid: (copy.deepcopy(cfg), f"etag-{pid}") for pid, cfg in (policies or {}).items()}
        self.managed = {self.MANAGED_ID: {"Name": managed_name}}
        self.calls: list[str] = []
        self.sent: dict[str, Any] | None = None

    def _policy(self, pid: str) -> dict[str, Any]:
        config = self.stored[pid][0] if pid in self.stored else self.managed[pid]
        when = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
        return {"Id": pid, "LastModifiedTime": when, "ResponseHeadersPolicyConfig": copy.deepcopy(config)}

    def list_response_headers_policies(self, Type: str = "", Marker: str = "", aws_retry: bool = False) -> dict:
        items = [("managed", pid) for pid in self.managed] + [("custom", pid) for pid in self.stored]
        items = [(kind, pid) for kind, pid in items if Type in ("", kind)]
        start = int(Marker or 0)
        page = items[start : start + 2]
        listing: dict[str, Any] = {"MaxItems": 2, "Quantity": len(page)}
        if page:  # AWS leaves Items out of an empty list
            listing["Items"] = [{"Type": kind, "ResponseHeadersPolicy": self._policy(pid)} for kind, pid in page]
        if start + 2 < len(items):
            listing["NextMarker"] = str(start + 2)
        return {"ResponseHeadersPolicyList": listing}

    def _reply(self, pid: str) -> dict[str, Any]:
        return {"ResponseHeadersPolicy": self._policy(pid), "ETag": self.stored[pid][1]}

    def get_response_headers_policy(self, Id: str, aws_retry: bool = False) -> dict[str, Any]:
        self.calls.append("get")
        return self._reply(Id)

    def create_response_headers_policy(self, ResponseHeadersPolicyConfig: dict, aws_retry: bool = False) -> dict:
        self.calls.append("create")
        self.sent = copy.deepcopy(ResponseHeadersPolicyConfig)
        pid = f"P{len(self.stored) + 1}"
        self.stored[pid] = (copy.deepcopy(ResponseHeadersPolicyConfig), f"etag-{pid}")
        return self._reply(pid)

    def update_response_headers_policy(
        self, Id: str, IfMatch: str, ResponseHeadersPolicyConfig: dict, aws_retry: bool = False
    ) -> dict:
        self.calls.append("update")
        assert IfMatch == self.stored[Id][1], "update must send the current ETag"
        self.sent = copy.deepcopy(ResponseHeadersPolicyConfig)
        self.stored[Id] = (copy.deepcopy(ResponseHeadersPolicyConfig), f"etag-{Id}-2")
        return self._reply(Id)

    def delete_response_headers_policy(self, Id: str, IfMatch: str, aws_retry: bool = False) -> dict:
        self.calls.append("delete")
        assert IfMatch == self.stored[Id][1], "delete must send the current ETag"
        del self.stored[Id]
        return {}


# SECURITY without the optional booleans that are false: not sent, AWS holds them as false.
UNSENT_FALSES = {
    **SECURITY,
    "strict_transport_security": {"access_control_max_age_sec": 63072000, "include_subdomains": True, "override": True},
}
OTHERS = {"P8": stored(Name="other-a"), "P9": stored(Name="other-b")}
NEW_FRAME = {**SECURITY, "frame_options": {"frame_option": "SAMEORIGIN", "override": True}}
CHECK = pytest.mark.parametrize("check_mode", [False, True], ids=["apply", "check-mode"])


@CHECK
@pytest.mark.parametrize(
    ("policies", "wanted", "changed", "calls"),
    [
        pytest.param({}, params(), True, ["create"], id="create"),
        pytest.param(OTHERS, params(), True, ["create"], id="create-beside-others"),
        pytest.param({"P1": stored()}, params(), False, ["get"], id="no-op"),
        pytest.param({**OTHERS, "P1": stored()}, params(), False, ["get"], id="no-op-found-on-page-2"),
        pytest.param({"P1": as_aws_fills_it()}, params(), False, ["get"], id="no-op-aws-defaults"),
        pytest.param(
            {"P1": stored()}, params(security_headers_config=UNSENT_FALSES), False, ["get"], id="no-op-unsent-falses"
        ),
        pytest.param(
            {"P1": stored(Comment=None)}, params(comment=""), False, ["get"], id="no-op-no-comment-either-way"
        ),
        pytest.param({"P1": stored()}, params(security_headers_config=NEW_FRAME), True, ["get", "update"], id="update"),
        pytest.param({"P1": stored()}, params(comment="other"), True, ["get", "update"], id="update-comment"),
        pytest.param(
            {"P1": stored()}, params(cors_config=CORS, custom_headers_config=CUSTOM), True, ["get", "update"], id="add"
        ),
        pytest.param({"P1": stored()}, params(state="absent"), True, ["get", "delete"], id="delete"),
        pytest.param(OTHERS, params(state="absent"), False, [], id="already-absent"),
    ],
)
def test_run(policies, wanted, changed, calls, check_mode):
    client = StubCloudFront(policies)
    before = copy.deepcopy(client.stored)

    result = mod.run(FakeModule(wanted, check_mode=check_mode), client)

    assert result["changed"] is changed
    writes = {"create", "update", "delete"}
    assert client.calls == ([c for c in calls if c not in writes] if check_mode else calls)
    assert "diff" not in result
    if check_mode or not changed:
        assert client.stored == before, "nothing may be written"
    policy = result["response_headers_policy"]
    if wanted["state"] == "absent":
        assert policy == {}
        assert ("P1" in client.stored) is ("P1" in policies and check_mode)
    elif check_mode and "create" in calls:
        assert policy == {}  # planned: no id yet
    else:
        assert policy["id"] in client.stored
        assert policy["etag"] == client.stored[policy["id"]][1]
        # The returned config is the planned or written one, in snake_case.
        assert policy["response_headers_policy_config"]["name"] == NAME
        want_frame = wanted["security_headers_config"]["frame_options"]["frame_option"]
        assert policy["response_headers_policy_config"]["security_headers_config"]["frame_options"]["frame_option"] == (
            want_frame
        )
        if not check_mode:
            assert not mod.differs(client.stored[policy["id"]][0], mod.desired_config(wanted))
    for pid in OTHERS:  # other policies are never touched
        assert (pid in client.stored) is (pid in policies)


def test_create_sends_the_api_shape():
    client = StubCloudFront()

    mod.run(FakeModule(params(cors_config=CORS, custom_headers_config=CUSTOM)), client)

    assert client.sent == {
        "Name": NAME,
        "Comment": "Security headers",
        "SecurityHeadersConfig": SECURITY_API,
        "CorsConfig": {
            "AccessControlAllowOrigins": {"Quantity": 2, "Items": ["https://a.example.com", "https://b.example.com"]},
            "AccessControlAllowHeaders": {"Quantity": 1, "Items": ["Authorization"]},
            "AccessControlAllowMethods": {"Quantity": 2, "Items": ["GET", "OPTIONS"]},
            "AccessControlAllowCredentials": False,
            "OriginOverride": True,
        },
        "CustomHeadersConfig": {
            "Quantity": 2,
            "Items": [
                {"Header": "X-B", "Value": "b", "Override": False},
                {"Header": "X-A", "Value": "a", "Override": True},
            ],
        },
    }


def test_order_of_items_is_no_change():
    cors = copy.deepcopy(CORS)
    cors["access_control_allow_origins"]["items"].reverse()
    custom = {"items": list(reversed(CUSTOM["items"]))}
    client = StubCloudFront()
    mod.run(FakeModule(params(cors_config=CORS, custom_headers_config=CUSTOM)), client)

    result = mod.run(FakeModule(params(cors_config=cors, custom_headers_config=custom)), client)

    assert result["changed"] is False


@pytest.mark.parametrize(
    ("wanted", "gone"),
    [
        pytest.param(params(), "CorsConfig", id="cors-removed"),
        pytest.param(params(cors_config=CORS), "CustomHeadersConfig", id="custom-headers-removed"),
        pytest.param(params(comment=None, cors_config=CORS, custom_headers_config=CUSTOM), "Comment", id="comment"),
    ],
)
def test_update_removes_what_is_no_longer_asked_for(wanted, gone):
    client = StubCloudFront()
    mod.run(FakeModule(params(cors_config=CORS, custom_headers_config=CUSTOM)), client)

    result = mod.run(FakeModule(wanted), client)

    assert result["changed"] is True
    assert gone not in client.stored["P1"][0]


def test_update_keeps_what_the_module_does_not_manage():
    unmanaged = {
        "ServerTimingHeadersConfig": {"Enabled": True, "SamplingRate": 10.0},
        "RemoveHeadersConfig": {"Quantity": 1, "Items": [{"Header": "Server"}]},
    }
    client = StubCloudFront({"P1": stored(**unmanaged)})

    result = mod.run(FakeModule(params(security_headers_config=NEW_FRAME)), client)

    assert result["changed"] is True
    assert client.sent["SecurityHeadersConfig"]["FrameOptions"]["FrameOption"] == "SAMEORIGIN"
    assert {k: client.sent[k] for k in unmanaged} == unmanaged


def test_unmanaged_settings_alone_are_no_change():
    client = StubCloudFront({"P1": stored(ServerTimingHeadersConfig={"Enabled": True, "SamplingRate": 10.0})})

    assert mod.run(FakeModule(params()), client)["changed"] is False


def test_a_managed_policy_of_the_same_name_is_not_ours():
    client = StubCloudFront(managed_name=NAME)

    result = mod.run(FakeModule(params(state="absent")), client)

    assert result["changed"] is False
    assert client.calls == []


@pytest.mark.parametrize(
    ("policies", "wanted", "before", "after"),
    [
        pytest.param({}, params(), {}, mod.canonical(stored()), id="create"),
        pytest.param({"P1": as_aws_fills_it()}, params(), mod.canonical(stored()), mod.canonical(stored()), id="no-op"),
        pytest.param(
            {"P1": stored()},
            params(comment="new"),
            mod.canonical(stored()),
            mod.canonical(stored(Comment="new")),
            id="update",
        ),
        pytest.param({"P1": stored()}, params(state="absent"), mod.canonical(stored()), {}, id="delete"),
    ],
)
def test_diff(policies, wanted, before, after):
    result = mod.run(FakeModule(wanted, check_mode=True, diff=True), StubCloudFront(policies))

    assert result["diff"] == {"before": before, "after": after}
    assert (result["diff"]["before"] != result["diff"]["after"]) is result["changed"]


def test_delete_race_is_not_a_change():
    client = StubCloudFront({"P1": stored()})
    client.delete_response_headers_policy = mock.Mock(
        side_effect=client_error("NoSuchResponseHeadersPolicy", "DeleteResponseHeadersPolicy", "gone")
    )

    result = mod.run(FakeModule(params(state="absent")), client)

    assert result["changed"] is False


@pytest.mark.parametrize(
    ("args", "policies", "changed"),
    [
        pytest.param({}, {}, True, id="create"),
        pytest.param({"_ansible_check_mode": True}, {}, True, id="create-check-mode"),
        pytest.param({}, {"P1": stored()}, False, id="no-op"),
        pytest.param({"_ansible_check_mode": True}, {"P1": as_aws_fills_it()}, False, id="no-op-check-mode"),
        pytest.param({"state": "absent"}, {"P1": stored()}, True, id="delete"),
    ],
)
def test_main(args, policies, changed, run_main):
    task = {"name": NAME, "comment": "Security headers", "security_headers_config": SECURITY, **args}

    result = run_main(mod, task, StubCloudFront(policies))

    assert result.get("failed", False) is False, result
    assert result["changed"] is changed
    if policies and "state" not in args:
        assert result["response_headers_policy"]["id"] == "P1"
        assert result["response_headers_policy"]["last_modified_time"].startswith("2024-01-01T00:00:00")


@pytest.mark.parametrize(
    "security",
    [
        pytest.param({"frame_options": {"frame_option": "ALLOW", "override": True}}, id="bad-choice"),
        pytest.param({"frame_option": {"frame_option": "DENY", "override": True}}, id="typo"),
        pytest.param({"content_type_options": {}}, id="missing-override"),
    ],
)
def test_main_rejects_a_bad_config(security, run_main):
    client = StubCloudFront()

    result = run_main(mod, {"name": NAME, "security_headers_config": security}, client)

    assert result["failed"] is True
    assert client.calls == []


def test_main_explains_a_policy_in_use(run_main):
    client = StubCloudFront({"P1": stored()})
    client.delete_response_headers_policy = mock.Mock(
        side_effect=client_error("ResponseHeadersPolicyInUse", "DeleteResponseHeadersPolicy", "in use")
    )

    result = run_main(mod, {"name": NAME, "state": "absent"}, client)

    assert result["failed"] is True
    assert "still used by a distribution" in result["msg"]
