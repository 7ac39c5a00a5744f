#!/usr/bin/python
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: deploy_lock
short_description: Take or release a deploy lock held in an SSM parameter
version_added: 0.1.0
description:
  - A lock so that two deploys of one environment cannot overlap. The lock is an SSM
    Parameter Store parameter (String) whose value is JSON naming the holder, the deploy id,
    the image tag and the time it was taken.
  - Taking it uses PutParameter without overwrite, which AWS performs atomically; of two deploys
    that start at once exactly one gets it, and the other fails with a message naming the holder.
  - A lock older than I(stale_after) seconds is taken over (the deploy that held it died
    without releasing it). The takeover overwrites and reads back, so of two deploys taking over the
    same stale lock only the one whose write landed last proceeds.
  - Releasing deletes the parameter only when I(deploy_id) holds it; a lock held by another
    deploy is left alone.
  - neither amazon.aws nor community.aws has a conditional-create for SSM parameters
    (M(amazon.aws.ssm_parameter) always overwrites).
options:
  name:
    description: Name of the SSM parameter, e.g. C(/starttech/prod/deploy-lock).
    type: str
    required: true
  state:
    description: C(present) takes the lock, C(absent) releases it.
    type: str
    choices: [present, absent]
    default: present
  deploy_id:
    description: Unique id of this deploy; taking a lock this deploy already holds is a no-op.
    type: str
    required: true
  holder:
    description: Who deploys, e.g. C(alice@laptop) or the AWX job; shown to anyone who finds the lock taken.
    type: str
    default: ""
  image_tag:
    description: The image tag being deployed (recorded in the lock).
    type: str
    default: ""
  stale_after:
    description: Seconds after which a lock counts as stale and is taken over.
    type: int
    default: 3600
  tags:
    description: Tags of the parameter (set when it is created).
    type: dict
    default: {}
    aliases: [resource_tags]
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Take the deploy lock
  appstack.cloud.deploy_lock:
    name: /starttech/prod/deploy-lock
    deploy_id: "{{ deploy_id }}"
    holder: "{{ lookup('ansible.builtin.env', 'USER') }}"
    image_tag: v42

- name: Release it
  appstack.cloud.deploy_lock:
    name: /starttech/prod/deploy-lock
    deploy_id: "{{ deploy_id }}"
    state: absent
"""

RETURN = r"""
acquired:
  description: Whether this deploy holds the lock after the run (state=present).
  returned: always
  type: bool
took_over:
  description: The previous holder's lock was stale and has been replaced.
  returned: always
  type: bool
lock:
  description: The lock as found before the run (empty when there was none).
  returned: always
  type: dict
  sample: {holder: alice@laptop, deploy_id: 3f2a, image_tag: v42, since: "2026-01-01T10:00:00Z", time: 1767261600}
"""

import datetime
import json
import time
from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.appstack.cloud.plugins.module_utils.runner import run_module
from ansible_collections.appstack.cloud.plugins.module_utils.tags import tag_list, text_tags


def lock_value(deploy_id: str, holder: str, image_tag: str, now: float) -> dict[str, Any]:
    since = datetime.datetime.fromtimestamp(int(now), tz=datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {"deploy_id": deploy_id, "holder": holder, "image_tag": image_tag, "since": since, "time": int(now)}


def parse(value: str) -> dict[str, Any]:
    """The lock held in a parameter value; a value that is not ours counts as held by 'unknown'."""
    try:
        data = json.loads(value)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        return {"deploy_id": "", "holder": "unknown", "image_tag": "", "since": "", "time": 0}
    return data


def read_lock(client, name: str) -> dict[str, Any] | None:
    try:
        parameter = client.get_parameter(aws_retry=True, Name=name)["Parameter"]
    except is_boto3_error_code("ParameterNotFound"):
        return None
    return parse(parameter.get("Value", ""))


def is_stale(lock: dict[str, Any], now: float, stale_after: int) -> bool:
    try:
        taken = float(lock.get("time") or 0)
    except (TypeError, ValueError):
        taken = 0.0
    return now - taken > stale_after


def held_message(name: str, lock: dict[str, Any], now: float, stale_after: int) -> str:
    age = int(now - float(lock.get("time") or 0))
    return (
        f"Deploy lock {name} is held by {lock.get('holder') or 'unknown'} since {lock.get('since') or '?'} "
        f"({age} s ago; deploy {lock.get('deploy_id') or '?'}, image tag {lock.get('image_tag') or '?'}). "
        f"Another deploy of this environment is running: wait for it to finish. A lock older than "
        f"{stale_after} s counts as stale and is taken over."
    )


def put(client, name: str, value: dict[str, Any], overwrite: bool, tags: dict[str, str]) -> None:
    kwargs: dict[str, Any] = {
        "Name": name,
        "Value": json.dumps(value, sort_keys=True),
        "Type": "String",
        "Overwrite": overwrite,
        "Description": "appstack deploy lock",
    }
    if tags and not overwrite:
        kwargs["Tags"] = tag_list(tags)
    # No aws_retry: the caller handles "already exists" (which a retried create can also cause).
    client.put_parameter(**kwargs)


def acquire(module, client, now: float) -> None:
    params = module.params
    name, deploy_id, stale_after = params["name"], params["deploy_id"], params["stale_after"]
    wanted = lock_value(deploy_id, params["holder"], params["image_tag"], now)
    tags = text_tags(params["tags"])
    current = read_lock(client, name)
    if current is not None and current.get("deploy_id") == deploy_id:
        module.exit_json(changed=False, acquired=True, took_over=False, lock=current)
    if current is not None and not is_stale(current, now, stale_after):
        module.fail_json(msg=held_message(name, current, now, stale_after), acquired=False, lock=current)
    took_over = current is not None
    if module.check_mode:
        module.exit_json(changed=True, acquired=True, took_over=took_over, lock=current or {})
    try:
        put(client, name, wanted, overwrite=took_over, tags=tags)
    except is_boto3_error_code("ParameterAlreadyExists"):
        # Another deploy took it between our read and our write, or botocore retried our own
        # create after losing its reply: the value tells which.
        winner = read_lock(client, name) or {}
        if winner.get("deploy_id") != deploy_id:
            module.fail_json(msg=held_message(name, winner, now, stale_after), acquired=False, lock=winner)
    if took_over:
        check = read_lock(client, name) or {}
        if check.get("deploy_id") != deploy_id:
            module.fail_json(msg=held_message(name, check, now, stale_after), acquired=False, lock=check)
    module.exit_json(changed=True, acquired=True, took_over=took_over, lock=current or {})


def release(module, client) -> None:
    name, deploy_id = module.params["name"], module.params["deploy_id"]
    current = read_lock(client, name)
    if current is None or current.get("deploy_id") != deploy_id:
        if current is not None:
            module.warn(f"{name} is held by deploy {current.get('deploy_id')} ({current.get('holder')}), not by us")
        module.exit_json(changed=False, acquired=False, took_over=False, lock=current or {})
    if not module.check_mode:
        try:
            client.delete_parameter(aws_retry=True, Name=name)
        except is_boto3_error_code("ParameterNotFound"):
            pass
    module.exit_json(changed=True, acquired=False, took_over=False, lock=current)


def run(module, client) -> None:
    """Take or release the lock; both exit the module themselves."""
    if module.params["state"] == "present":
        acquire(module, client, time.time())
    else:
        release(module, client)


def main() -> None:
    argument_spec = dict(
        name=dict(required=True),
        state=dict(default="present", choices=["present", "absent"]),
        deploy_id=dict(required=True),
        holder=dict(default=""),
        image_tag=dict(default=""),
        stale_after=dict(type="int", default=3600),
        tags=dict(type="dict", default={}, aliases=["resource_tags"]),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    run_module(module, "ssm", run, f"Could not update the deploy lock {module.params['name']}")


if __name__ == "__main__":
    main()
