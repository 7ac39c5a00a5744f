"""ec2_vpc_flow_log: identity, replacement rules, and each state with a stubbed EC2 client."""

from unittest.mock import patch

import pytest
from ansible_collections.appstack.cloud.plugins.modules import ec2_vpc_flow_log as mod

from tests.unit.conftest import FakeModule, run

ROLE = "arn:aws:iam::123456789012:role/flow"


def params(**overrides):
    base = {
        "state": "present",
        "resource_id": "vpc-1",
        "resource_type": "VPC",
        "traffic_type": "ALL",
        "log_destination_type": "cloud-watch-logs",
        "log_group_name": "/web/prod/vpc-flow-logs",
        "log_destination": None,
        "deliver_logs_permission_arn": ROLE,
        "max_aggregation_interval": 600,
        "tags": {"Project": "web"},
        "purge_tags": True,
    }
    base.update(overrides)
    return base


def existing(**overrides):
    flow_log = {
        "FlowLogId": "fl-1",
        "ResourceId": "vpc-1",
        "TrafficType": "ALL",
        "LogGroupName": "/web/prod/vpc-flow-logs",
        "DeliverLogsPermissionArn": ROLE,
        "MaxAggregationInterval": 600,
        "Tags": [{"Key": "Project", "Value": "web"}],
    }
    flow_log.update(overrides)
    return flow_log


@pytest.mark.parametrize(
    ("flow_log", "wanted", "expected"),
    [
        (existing(), params(), True),
        (existing(LogGroupName="/other"), params(), False),
        (existing(), params(state="absent", log_group_name=None), True),
        (
            {"LogDestination": "arn:aws:s3:::b"},
            params(log_destination_type="s3", log_destination="arn:aws:s3:::b"),
            True,
        ),
    ],
)
def test_matches(flow_log, wanted, expected):
    assert mod.matches(flow_log, wanted) is expected


@pytest.mark.parametrize(
    ("flow_log", "wanted", "expected"),
    [
        (existing(), params(), False),
        (existing(TrafficType="REJECT"), params(), True),
        (existing(MaxAggregationInterval=60), params(), True),
        (existing(DeliverLogsPermissionArn="arn:aws:iam::1:role/other"), params(), True),
        (existing(), params(deliver_logs_permission_arn=None), False),
    ],
)
def test_needs_replacing(flow_log, wanted, expected):
    assert mod.needs_replacing(flow_log, wanted) is expected


def test_create_request_for_cloudwatch_logs():
    request = mod.create_request(params())
    assert request["ResourceIds"] == ["vpc-1"]
    assert request["LogGroupName"] == "/web/prod/vpc-flow-logs"
    assert "LogDestination" not in request
    assert request["TagSpecifications"][0]["ResourceType"] == "vpc-flow-log"


def test_create_request_for_s3():
    request = mod.create_request(
        params(log_destination_type="s3", log_destination="arn:aws:s3:::b", log_group_name=None)
    )
    assert request["LogDestination"] == "arn:aws:s3:::b"
    assert "LogGroupName" not in request


@pytest.mark.parametrize("check_mode", [False, True])
def test_creates_when_missing(client, check_mode):
    client.create_flow_logs.return_value = {"FlowLogIds": ["fl-9"]}
    with patch.object(mod, "describe", return_value=[existing(FlowLogId="fl-9")]):
        outcome = run(mod.ensure_present, FakeModule(params(), check_mode), client, [])
    assert outcome.result["changed"] is True
    assert client.create_flow_logs.called is not check_mode
    if not check_mode:
        assert outcome.result["flow_log"]["flow_log_id"] == "fl-9"


def test_leaves_a_matching_flow_log_alone(client):
    with patch.object(mod, "ensure_ec2_tags", return_value=False):
        outcome = run(mod.ensure_present, FakeModule(params()), client, [existing()])
    assert outcome.result["changed"] is False
    client.create_flow_logs.assert_not_called()
    client.delete_flow_logs.assert_not_called()
    assert outcome.result["flow_log"]["tags"] == {"Project": "web"}


def test_replaces_when_traffic_type_differs(client):
    client.create_flow_logs.return_value = {"FlowLogIds": ["fl-2"]}
    with patch.object(mod, "describe", return_value=[existing(FlowLogId="fl-2", TrafficType="REJECT")]):
        outcome = run(mod.ensure_present, FakeModule(params(traffic_type="REJECT")), client, [existing()])
    client.delete_flow_logs.assert_called_once_with(aws_retry=True, FlowLogIds=["fl-1"])
    assert outcome.result["flow_log_ids_deleted"] == ["fl-1"]
    assert outcome.result["changed"] is True


def test_reports_a_failed_create(client):
    client.create_flow_logs.return_value = {"FlowLogIds": [], "Unsuccessful": [{"Error": {"Code": "x"}}]}
    outcome = run(mod.ensure_present, FakeModule(params()), client, [])
    assert outcome.failed


@pytest.mark.parametrize(
    ("wanted", "flow_logs", "deleted"),
    [
        (
            params(state="absent", log_group_name=None),
            [existing(), existing(FlowLogId="fl-2", LogGroupName="/x")],
            ["fl-1", "fl-2"],
        ),
        (params(state="absent"), [existing(), existing(FlowLogId="fl-2", LogGroupName="/x")], ["fl-1"]),
        (params(state="absent"), [], []),
    ],
)
@pytest.mark.parametrize("check_mode", [False, True])
def test_deletes(client, wanted, flow_logs, deleted, check_mode):
    outcome = run(mod.ensure_absent, FakeModule(wanted, check_mode), client, flow_logs)
    assert outcome.result["changed"] is bool(deleted)
    assert outcome.result["flow_log_ids_deleted"] == deleted
    assert client.delete_flow_logs.called is bool(deleted and not check_mode)
