#!/usr/bin/python
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: cloudwatchlogs_put_event
short_description: Write one event to a CloudWatch Logs log stream
version_added: 0.1.0
description:
  - Appends one log event (text, or a dictionary written as one line of JSON) to a log stream
    of an existing log group, creating the stream when it does not exist. Used for audit
    records such as one line per deploy.
  - Every run writes an event, so it always reports a change (in check mode nothing is written).
  - amazon.aws and community.aws manage log groups but have no module that writes events.
options:
  log_group_name:
    description: Name of the log group; it must exist.
    type: str
    required: true
  log_stream_name:
    description: Name of the log stream.
    type: str
    required: true
  message:
    description: The event, a string or a dictionary (written as JSON with sorted keys).
    type: raw
    required: true
  timestamp:
    description: Milliseconds since the epoch; default now.
    type: int
  create_log_stream:
    description: Create the log stream when it does not exist.
    type: bool
    default: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Record the deploy
  appstack.cloud.cloudwatchlogs_put_event:
    log_group_name: /starttech/prod/deploys
    log_stream_name: deploys
    message:
      image_tag: v42
      result: success
"""

RETURN = r"""
log_group_name:
  description: The log group written to.
  returned: always
  type: str
log_stream_name:
  description: The log stream written to.
  returned: always
  type: str
message:
  description: The event as written.
  returned: always
  type: str
timestamp:
  description: The event's time, milliseconds since the epoch.
  returned: always
  type: int
stream_created:
  description: Whether the log stream was created by this run.
  returned: always
  type: bool
"""

import json
import time
from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.appstack.cloud.plugins.module_utils.runner import run_module


def render(message: Any) -> str:
    if isinstance(message, (dict, list)):
        return json.dumps(message, sort_keys=True, separators=(",", ":"))
    return str(message)


def stream_exists(client, group: str, stream: str) -> bool:
    found = client.describe_log_streams(aws_retry=True, logGroupName=group, logStreamNamePrefix=stream)
    return any(s["logStreamName"] == stream for s in found.get("logStreams", []))


def ensure_stream(client, group: str, stream: str) -> bool:
    """Create the stream if missing; True if this call created it."""
    if stream_exists(client, group, stream):
        return False
    try:
        client.create_log_stream(aws_retry=True, logGroupName=group, logStreamName=stream)
    except is_boto3_error_code("ResourceAlreadyExistsException"):
        return False
    return True


def put_event(module, client, now_ms: int) -> None:
    params = module.params
    group, stream = params["log_group_name"], params["log_stream_name"]
    message = render(params["message"])
    timestamp = params["timestamp"] or now_ms
    result = {"log_group_name": group, "log_stream_name": stream, "message": message, "timestamp": timestamp}
    try:
        exists = stream_exists(client, group, stream)
    except is_boto3_error_code("ResourceNotFoundException"):
        module.fail_json(msg=f"Log group {group} does not exist", stream_created=False, **result)
    if module.check_mode:
        module.exit_json(changed=True, stream_created=not exists, **result)
    created = False
    if not exists:
        if not params["create_log_stream"]:
            module.fail_json(msg=f"Log stream {stream} does not exist in {group}", stream_created=False, **result)
        created = ensure_stream(client, group, stream)
    # Sequence tokens are no longer needed (AWS ignores them since 2023).
    client.put_log_events(
        aws_retry=True,
        logGroupName=group,
        logStreamName=stream,
        logEvents=[{"timestamp": timestamp, "message": message}],
    )
    module.exit_json(changed=True, stream_created=created, **result)


def run(module, client) -> None:
    """Write the event now; put_event exits the module itself."""
    put_event(module, client, int(time.time() * 1000))


def main() -> None:
    argument_spec = dict(
        log_group_name=dict(required=True),
        log_stream_name=dict(required=True),
        message=dict(type="raw", required=True),
        timestamp=dict(type="int"),
        create_log_stream=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    run_module(module, "logs", run, f"Could not write to {module.params['log_group_name']}")


if __name__ == "__main__":
    main()
