"""Unit tests for appstack.cloud.elb_listener_attributes: a stubbed ELBv2 client."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from ansible_collections.appstack.cloud.plugins.modules import elb_listener_attributes as mod

from tests.unit.conftest import FakeModule, client_error

ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/net/civstart-test-nlb/50dc6c49/f2f7dc8e"


class StubElbv2:
    """Describe/ModifyListenerAttributes over one listener's attribute dict."""

    def __init__(self, stored: dict[str, str]):
        self.stored = dict(stored)
        self.calls: list[Any] = []

    def describe_listener_attributes(self, ListenerArn: str, aws_retry: bool = False) -> dict[str, Any]:
        assert ListenerArn == ARN
        self.calls.append("describe")
        return {"Attributes": [{"Key": k, "Value": v} for k, v in self.stored.items()]}

    def modify_listener_attributes(self, ListenerArn: str, Attributes: list, aws_retry: bool = False) -> dict:
        assert ListenerArn == ARN
        self.calls.append(("modify", {a["Key"]: a["Value"] for a in Attributes}))
        self.stored.update({a["Key"]: a["Value"] for a in Attributes})
        return {"Attributes": [{"Key": k, "Value": v} for k, v in self.stored.items()]}


DEFAULTS = {"tcp.idle_timeout.seconds": "350"}


@pytest.mark.parametrize(
    ("stored", "wanted", "check_mode", "changed", "modified", "after"),
    [
        pytest.param(
            DEFAULTS,
            {"tcp.idle_timeout.seconds": 3600},
            False,
            True,
            {"tcp.idle_timeout.seconds": "3600"},
            "3600",
            id="update-int-as-string",
        ),
        pytest.param(DEFAULTS, {"tcp.idle_timeout.seconds": "3600"}, True, True, None, "350", id="update-check-mode"),
        pytest.param(
            {"tcp.idle_timeout.seconds": "3600"},
            {"tcp.idle_timeout.seconds": "3600"},
            False,
            False,
            None,
            "3600",
            id="no-op",
        ),
        pytest.param(
            {},
            {"tcp.idle_timeout.seconds": "600"},
            False,
            True,
            {"tcp.idle_timeout.seconds": "600"},
            "600",
            id="missing-key-is-set",
        ),
    ],
)
def test_run(stored, wanted, check_mode, changed, modified, after):
    client = StubElbv2(stored)

    result = mod.run(FakeModule({"listener_arn": ARN, "attributes": wanted}, check_mode=check_mode), client)

    assert result["changed"] is changed
    assert [c for c in client.calls if c != "describe"] == ([("modify", modified)] if modified else [])
    assert client.stored.get("tcp.idle_timeout.seconds") == after
    # The returned attributes are what the listener has (or would have).
    assert result["attributes"]["tcp.idle_timeout.seconds"] == str(wanted["tcp.idle_timeout.seconds"])
    assert "diff" not in result


def test_only_given_attributes_change():
    client = StubElbv2({"tcp.idle_timeout.seconds": "350", "other": "x"})

    mod.run(FakeModule({"listener_arn": ARN, "attributes": {"tcp.idle_timeout.seconds": "60"}}), client)

    assert client.stored == {"tcp.idle_timeout.seconds": "60", "other": "x"}


@pytest.mark.parametrize(("value", "expected"), [(True, "true"), (False, "false"), (60, "60"), ("x", "x")])
def test_as_strings(value, expected):
    assert mod.as_strings({"k": value}) == {"k": expected}


def test_diff():
    result = mod.run(
        FakeModule({"listener_arn": ARN, "attributes": {"tcp.idle_timeout.seconds": "60"}}, check_mode=True, diff=True),
        StubElbv2(DEFAULTS),
    )

    assert result["diff"] == {
        "before": {"tcp.idle_timeout.seconds": "350"},
        "after": {"tcp.idle_timeout.seconds": "60"},
    }


@pytest.mark.parametrize(
    ("extra", "changed"),
    [pytest.param({}, True, id="apply"), pytest.param({"_ansible_check_mode": True}, True, id="check")],
)
def test_main(extra, changed, run_main):
    client = StubElbv2(DEFAULTS)

    result = run_main(mod, {"listener_arn": ARN, "attributes": {"tcp.idle_timeout.seconds": "60"}, **extra}, client)

    assert result["changed"] is changed
    assert client.stored["tcp.idle_timeout.seconds"] == ("350" if extra else "60")


def test_main_reports_aws_errors(run_main):
    client = StubElbv2(DEFAULTS)
    client.modify_listener_attributes = mock.Mock(
        side_effect=client_error("ValidationError", "ModifyListenerAttributes", "out of range")
    )

    result = run_main(mod, {"listener_arn": ARN, "attributes": {"tcp.idle_timeout.seconds": "9"}}, client)

    assert result["failed"] is True
    assert ARN in result["msg"]
