"""cloudwatchlogs_put_event: write, create the stream, missing group/stream and check mode, stubbed client."""

import json

import pytest
from ansible_collections.appstack.cloud.plugins.modules import cloudwatchlogs_put_event as mod

from tests.unit.conftest import FakeModule, client_error, run

NOW_MS = 1_800_000_000_000


def params(**overrides):
    base = {
        "log_group_name": "/web/prod/deploys",
        "log_stream_name": "deploys",
        "message": {"result": "success", "image_tag": "v2"},
        "timestamp": None,
        "create_log_stream": True,
    }
    base.update(overrides)
    return base


def streams(client, *names):
    client.describe_log_streams.return_value = {"logStreams": [{"logStreamName": n} for n in names]}


@pytest.mark.parametrize(
    ("message", "written"),
    [
        ({"result": "success", "image_tag": "v2"}, '{"image_tag":"v2","result":"success"}'),
        ("plain text", "plain text"),
        ([1, 2], "[1,2]"),
    ],
)
def test_writes_one_event(client, message, written):
    streams(client, "deploys")
    result = run(mod.put_event, FakeModule(params(message=message)), client, NOW_MS)
    assert not result.failed and result.result["changed"] is True
    assert result.result["stream_created"] is False
    client.create_log_stream.assert_not_called()
    client.put_log_events.assert_called_once_with(
        aws_retry=True,
        logGroupName="/web/prod/deploys",
        logStreamName="deploys",
        logEvents=[{"timestamp": NOW_MS, "message": written}],
    )


def test_creates_a_missing_stream(client):
    streams(client, "deploys-old")  # a prefix match that is not the stream
    result = run(mod.put_event, FakeModule(params(timestamp=5)), client, NOW_MS)
    assert result.result["stream_created"] is True
    client.create_log_stream.assert_called_once_with(
        aws_retry=True, logGroupName="/web/prod/deploys", logStreamName="deploys"
    )
    assert client.put_log_events.call_args.kwargs["logEvents"][0]["timestamp"] == 5


def test_missing_stream_without_create_fails(client):
    streams(client)
    result = run(mod.put_event, FakeModule(params(create_log_stream=False)), client, NOW_MS)
    assert result.failed and "does not exist" in result.result["msg"]
    client.put_log_events.assert_not_called()


def test_missing_group_fails(client):
    client.describe_log_streams.side_effect = client_error(
        "ResourceNotFoundException", "DescribeLogStreams", "no group"
    )
    result = run(mod.put_event, FakeModule(params()), client, NOW_MS)
    assert result.failed and "/web/prod/deploys does not exist" in result.result["msg"]


@pytest.mark.parametrize(("existing", "created"), [(("deploys",), False), ((), True)])
def test_check_mode_writes_nothing(client, existing, created):
    streams(client, *existing)
    result = run(mod.put_event, FakeModule(params(), check_mode=True), client, NOW_MS)
    assert result.result["changed"] is True and result.result["stream_created"] is created
    assert json.loads(result.result["message"]) == {"result": "success", "image_tag": "v2"}
    client.create_log_stream.assert_not_called()
    client.put_log_events.assert_not_called()


def test_stream_created_concurrently_is_fine(client):
    streams(client)
    client.create_log_stream.side_effect = client_error("ResourceAlreadyExistsException", "CreateLogStream", "exists")
    result = run(mod.put_event, FakeModule(params()), client, NOW_MS)
    assert not result.failed and result.result["stream_created"] is False
    client.put_log_events.assert_called_once()
