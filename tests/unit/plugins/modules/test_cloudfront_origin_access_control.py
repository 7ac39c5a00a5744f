"""Unit tests for appstack.cloud.cloudfront_origin_access_control: a stubbed CloudFront client."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from ansible_collections.appstack.cloud.plugins.modules import cloudfront_origin_access_control as mod

from tests.unit.conftest import FakeModule, client_error

NAME = "starttech-test-cdn"


def config(**overrides: Any) -> dict[str, str]:
    base = {
        "Name": NAME,
        "Description": "CloudFront access to the frontend bucket",
        "SigningProtocol": "sigv4",
        "SigningBehavior": "always",
        "OriginAccessControlOriginType": "s3",
    }
    base.update(overrides)
    return base


def params(**overrides: Any) -> dict[str, Any]:
    base = {
        "state": "present",
        "name": NAME,
        "description": "CloudFront access to the frontend bucket",
        "origin_type": "s3",
        "signing_behavior": "always",
        "signing_protocol": "sigv4",
    }
    base.update(overrides)
    return base


class StubPaginator:
    def __init__(self, pages: list[dict[str, Any]]):
        self.pages = pages

    def paginate(self) -> list[dict[str, Any]]:
        return self.pages


class StubCloudFront:
    """The origin access control calls over a dict id -> (config, etag); listed two per page."""

    def __init__(self, stored: dict[str, dict[str, str]] | None = None):
        self.stored = {control_id: (dict(cfg), f"etag-{control_id}") for control_id, cfg in (stored or {}).items()}
        self.calls: list[str] = []

    def get_paginator(self, name: str) -> StubPaginator:
        assert name == "list_origin_access_controls"
        summaries = [{"Id": control_id, **cfg} for control_id, (cfg, _etag) in self.stored.items()]
        pages = [summaries[i : i + 2] for i in range(0, len(summaries), 2)] or [[]]
        return StubPaginator([{"OriginAccessControlList": {"Items": page}} for page in pages])

    def _reply(self, control_id: str) -> dict[str, Any]:
        cfg, etag = self.stored[control_id]
        return {"OriginAccessControl": {"Id": control_id, "OriginAccessControlConfig": dict(cfg)}, "ETag": etag}

    def get_origin_access_control(self, Id: str, aws_retry: bool = False) -> dict[str, Any]:
        self.calls.append("get")
        return self._reply(Id)

    def create_origin_access_control(self, OriginAccessControlConfig: dict, aws_retry: bool = False) -> dict:
        self.calls.append("create")
        control_id = f"E{len(self.stored) + 1}"
        self.stored[control_id] = (dict(OriginAccessControlConfig), f"etag-{control_id}")
        return self._reply(control_id)

    def update_origin_access_control(
        self, Id: str, IfMatch: str, OriginAccessControlConfig: dict, aws_retry: bool = False
    ) -> dict:
        self.calls.append("update")
        assert IfMatch == self.stored[Id][1], "update must send the current ETag"
        self.stored[Id] = (dict(OriginAccessControlConfig), f"etag-{Id}-2")
        return self._reply(Id)

    def delete_origin_access_control(self, Id: str, IfMatch: str, aws_retry: bool = False) -> dict:
        self.calls.append("delete")
        assert IfMatch == self.stored[Id][1], "delete must send the current ETag"
        del self.stored[Id]
        return {}


OTHERS = {"E8": config(Name="other-a"), "E9": config(Name="other-b")}


@pytest.mark.parametrize(
    ("stored", "wanted", "check_mode", "changed", "calls"),
    [
        pytest.param({}, params(), False, True, ["create"], id="create"),
        pytest.param({}, params(), True, True, [], id="create-check-mode"),
        pytest.param({"E1": config()}, params(), False, False, ["get"], id="no-op"),
        pytest.param({**OTHERS, "E1": config()}, params(), False, False, ["get"], id="no-op-found-on-page-2"),
        pytest.param(
            {"E1": config()}, params(signing_behavior="no-override"), False, True, ["get", "update"], id="update"
        ),
        pytest.param({"E1": config()}, params(description="new"), True, True, ["get"], id="update-check-mode"),
        pytest.param(
            {"E1": config(Description=None)}, params(description=""), False, False, ["get"], id="no-op-empty-desc"
        ),
        pytest.param({"E1": config()}, params(state="absent"), False, True, ["get", "delete"], id="delete"),
        pytest.param({"E1": config()}, params(state="absent"), True, True, ["get"], id="delete-check-mode"),
        pytest.param(OTHERS, params(state="absent"), False, False, [], id="already-absent"),
    ],
)
def test_run(stored, wanted, check_mode, changed, calls):
    client = StubCloudFront(stored)

    result = mod.run(FakeModule(wanted, check_mode=check_mode), client)

    assert result["changed"] is changed
    assert client.calls == calls
    assert "diff" not in result
    if wanted["state"] == "absent":
        assert result["origin_access_control"] == {}
        assert ("E1" in client.stored) is ("E1" in stored and check_mode)
    elif not check_mode:
        assert result["origin_access_control"]["name"] == NAME
        assert result["origin_access_control"]["signing_behavior"] == wanted["signing_behavior"]
        assert mod.desired_config(wanted) == {
            k: v or "" for k, v in client.stored[result["origin_access_control"]["id"]][0].items()
        }
    # Other origin access controls are never touched.
    for control_id in OTHERS:
        assert (control_id in client.stored) is (control_id in stored)


@pytest.mark.parametrize(
    ("stored", "wanted", "before", "after"),
    [
        pytest.param({}, params(), {}, config(), id="create"),
        pytest.param({"E1": config()}, params(description="new"), config(), config(Description="new"), id="update"),
        pytest.param({"E1": config()}, params(state="absent"), config(), {}, id="delete"),
    ],
)
def test_diff(stored, wanted, before, after):
    result = mod.run(FakeModule(wanted, check_mode=True, diff=True), StubCloudFront(stored))

    assert result["diff"] == {"before": before, "after": after}


def test_delete_race_is_not_a_change():
    client = StubCloudFront({"E1": config()})
    client.delete_origin_access_control = mock.Mock(
        side_effect=client_error("NoSuchOriginAccessControl", "DeleteOriginAccessControl", "gone")
    )

    result = mod.run(FakeModule(params(state="absent")), client)

    assert result["changed"] is False


@pytest.mark.parametrize(
    ("args", "stored", "changed"),
    [
        pytest.param({"description": "CloudFront access to the frontend bucket"}, {}, True, id="create"),
        pytest.param({"_ansible_check_mode": True}, {}, True, id="check-mode"),
        pytest.param({"description": "CloudFront access to the frontend bucket"}, {"E1": config()}, False, id="no-op"),
        pytest.param({"state": "absent"}, {"E1": config()}, True, id="delete"),
    ],
)
def test_main(args, stored, changed, run_main):
    result = run_main(mod, {"name": NAME, **args}, StubCloudFront(stored))

    assert result.get("failed", False) is False
    assert result["changed"] is changed


def test_main_explains_an_origin_access_control_in_use(run_main):
    client = StubCloudFront({"E1": config()})
    client.delete_origin_access_control = mock.Mock(
        side_effect=client_error("OriginAccessControlInUse", "DeleteOriginAccessControl", "in use")
    )

    result = run_main(mod, {"name": NAME, "state": "absent"}, client)

    assert result["failed"] is True
    assert "still used by a distribution" in result["msg"]
