"""Unit tests for appstack.cloud.cloudwatch_dashboard: a stubbed CloudWatch client, no network."""

from __future__ import annotations

import json
from typing import Any
from unittest import mock

import pytest
from ansible_collections.appstack.cloud.plugins.modules import cloudwatch_dashboard as mod
from botocore.exceptions import ClientError

from tests.unit import conftest
from tests.unit.conftest import client_error

NAME = "starttech-test"
ARN = f"arn:aws:cloudwatch::123456789012:dashboard/{NAME}"
BODY = {
    "widgets": [
        {
            "type": "metric",
            "x": 0,
            "y": 0,
            "width": 12,
            "height": 6,
            "properties": {
                "title": "Requests",
                "region": "us-east-1",
                "metrics": [["AWS/ApplicationELB", "RequestCount", "LoadBalancer", "app/x/1"]],
            },
        }
    ]
}
OTHER_BODY = {"widgets": [{**BODY["widgets"][0], "width": 24}]}


def not_found(operation: str) -> ClientError:
    return conftest.client_error("ResourceNotFound", operation, "Dashboard does not exist")


class StubCloudWatch:
    """The three dashboard calls, over a dict of stored bodies (strings, as AWS keeps them)."""

    def __init__(self, stored: dict[str, str] | None = None, messages: list | None = None):
        self.stored = dict(stored or {})
        self.messages = messages or []
        self.calls: list[str] = []

    def get_dashboard(self, DashboardName: str, aws_retry: bool = False) -> dict[str, Any]:
        self.calls.append("get_dashboard")
        if DashboardName not in self.stored:
            raise not_found("GetDashboard")
        return {
            "DashboardName": DashboardName,
            "DashboardArn": ARN,
            "DashboardBody": self.stored[DashboardName],
        }

    def put_dashboard(self, DashboardName: str, DashboardBody: str, aws_retry: bool = False):
        self.calls.append("put_dashboard")
        json.loads(DashboardBody)  # AWS refuses a body that is not JSON
        self.stored[DashboardName] = DashboardBody
        return {"DashboardValidationMessages": self.messages}

    def delete_dashboards(self, DashboardNames: list[str], aws_retry: bool = False):
        self.calls.append("delete_dashboards")
        for name in DashboardNames:
            if name not in self.stored:
                raise not_found("DeleteDashboards")
            del self.stored[name]
        return {}


class FakeModule(conftest.FakeModule):
    """The shared fake, with the defaults of the options run() reads."""

    def __init__(self, params: dict[str, Any], check_mode: bool = False, diff: bool = False):
        super().__init__({"state": "present", "dashboard_body": None, **params}, check_mode, diff)


# The stored body as another writer (the console, a previous run) may have left it.
SAME_BODY_OTHER_FORM = json.dumps(BODY, indent=4, sort_keys=True)
REORDERED = json.dumps({"widgets": [dict(reversed(list(BODY["widgets"][0].items())))]})


@pytest.mark.parametrize(
    ("stored", "desired", "check_mode", "changed", "put"),
    [
        pytest.param({}, BODY, False, True, True, id="create"),
        pytest.param({}, BODY, True, True, False, id="create-check-mode"),
        pytest.param({NAME: json.dumps(BODY)}, BODY, False, False, False, id="no-op"),
        pytest.param({NAME: SAME_BODY_OTHER_FORM}, BODY, False, False, False, id="no-op-indented"),
        pytest.param({NAME: REORDERED}, BODY, False, False, False, id="no-op-key-order"),
        pytest.param({NAME: json.dumps(BODY)}, json.dumps(BODY), False, False, False, id="no-op-str"),
        pytest.param({NAME: json.dumps(OTHER_BODY)}, BODY, False, True, True, id="update"),
        pytest.param({NAME: json.dumps(OTHER_BODY)}, BODY, True, True, False, id="update-check"),
    ],
)
def test_present(stored, desired, check_mode, changed, put):
    client = StubCloudWatch(stored)
    module = FakeModule({"name": NAME, "dashboard_body": desired}, check_mode=check_mode)

    result = mod.run(module, client)

    assert result["changed"] is changed
    assert ("put_dashboard" in client.calls) is put
    assert result["dashboard"]["name"] == NAME
    assert result["dashboard"]["body"] == BODY
    assert "diff" not in result
    if put:
        assert json.loads(client.stored[NAME]) == BODY
    else:
        assert client.stored == stored


@pytest.mark.parametrize(
    ("stored", "check_mode", "changed", "deleted"),
    [
        pytest.param({NAME: json.dumps(BODY)}, False, True, True, id="delete"),
        pytest.param({NAME: json.dumps(BODY)}, True, True, False, id="delete-check-mode"),
        pytest.param({}, False, False, False, id="already-absent"),
        pytest.param({"other": json.dumps(BODY)}, False, False, False, id="other-dashboard-kept"),
    ],
)
def test_absent(stored, check_mode, changed, deleted):
    client = StubCloudWatch(stored)
    module = FakeModule({"name": NAME, "state": "absent"}, check_mode=check_mode)

    result = mod.run(module, client)

    assert result["changed"] is changed
    assert result["dashboard"] == {}
    assert ("delete_dashboards" in client.calls) is deleted
    assert (NAME in client.stored) is (NAME in stored and not deleted)
    assert ("other" in client.stored) is ("other" in stored)


@pytest.mark.parametrize(
    ("stored", "state", "before", "after"),
    [
        pytest.param({}, "present", "", mod.pretty(BODY), id="create"),
        pytest.param({NAME: json.dumps(OTHER_BODY)}, "present", mod.pretty(OTHER_BODY), mod.pretty(BODY), id="update"),
        pytest.param({NAME: json.dumps(BODY)}, "absent", mod.pretty(BODY), "", id="delete"),
    ],
)
def test_diff(stored, state, before, after):
    client = StubCloudWatch(stored)
    module = FakeModule({"name": NAME, "state": state, "dashboard_body": BODY}, check_mode=True, diff=True)

    result = mod.run(module, client)

    assert result["diff"]["before"] == before
    assert result["diff"]["after"] == after


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("{not json", id="invalid-json"),
        pytest.param("[1, 2]", id="not-an-object"),
    ],
)
def test_invalid_body_fails_before_any_call(body):
    client = StubCloudWatch()
    with pytest.raises(mod.ModuleError, match="not a JSON object"):
        mod.run(FakeModule({"name": NAME, "dashboard_body": body}), client)
    assert client.calls == []


def test_delete_race_is_not_a_change():
    client = StubCloudWatch({NAME: json.dumps(BODY)})
    client.delete_dashboards = mock.Mock(side_effect=not_found("DeleteDashboards"))

    result = mod.run(FakeModule({"name": NAME, "state": "absent"}), client)

    assert result["changed"] is False


def test_validation_messages_are_returned_in_snake_case():
    message = {"DataPath": "/widgets/0", "Message": "Should have required property 'region'"}
    client = StubCloudWatch(messages=[message])

    result = mod.run(FakeModule({"name": NAME, "dashboard_body": BODY}), client)

    assert result["validation_messages"] == [
        {"data_path": "/widgets/0", "message": "Should have required property 'region'"}
    ]


@pytest.mark.parametrize(
    ("args", "stored", "changed", "failed"),
    [
        pytest.param({"dashboard_body": BODY}, {}, True, False, id="create"),
        pytest.param({"dashboard_body": BODY, "_ansible_check_mode": True}, {}, True, False, id="check-mode"),
        pytest.param({"dashboard_body": json.dumps(BODY)}, {NAME: json.dumps(BODY)}, False, False, id="no-op"),
        pytest.param({"state": "absent"}, {NAME: json.dumps(BODY)}, True, False, id="delete"),
        pytest.param({}, {}, False, True, id="present-needs-a-body"),
    ],
)
def test_main(args, stored, changed, failed, run_main):
    client = StubCloudWatch(stored)

    result = run_main(mod, {"name": NAME, **args}, client)

    assert result.get("failed", False) is failed
    if failed:
        assert "dashboard_body" in result["msg"]
        assert client.calls == []
    else:
        assert result["changed"] is changed
        check_mode = args.get("_ansible_check_mode", False)
        assert ("put_dashboard" in client.calls) is (changed and not check_mode and "state" not in args)


def test_main_reports_api_errors(run_main):
    client = StubCloudWatch()
    client.put_dashboard = mock.Mock(
        side_effect=client_error("InvalidParameterInput", "PutDashboard", "The field DashboardBody...")
    )

    result = run_main(mod, {"name": NAME, "dashboard_body": BODY}, client)

    assert result["failed"] is True
    assert "Could not manage dashboard" in result["msg"]
