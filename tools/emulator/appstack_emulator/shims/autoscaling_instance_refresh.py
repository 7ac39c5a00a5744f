"""Auto Scaling instance refresh: Start/Describe/CancelInstanceRefresh (not implemented in moto).

amazon.aws.autoscaling_instance_refresh and autoscaling_instance_refresh_info fail on moto.
This shim keeps a list of refreshes per group and emulates a rolling replacement: a refresh
is ``InProgress`` for ``$APPSTACK_EMULATOR_INSTANCE_REFRESH_SECONDS`` seconds (default 0,
read at start), then, at the next call that looks at it, the group's instances that do not
run its current launch template version (all of them without ``SkipMatching``) are replaced
at once (new instances first, then the old ones deregistered and terminated) and the refresh
is ``Successful``.  A refresh cancelled before that ends ``Cancelled`` and replaces nothing.
Which version an instance runs comes from the autoscaling_instance_launch_template_version
shim (without it, moto reports the template's default version for every instance).
"""

from __future__ import annotations

import os
import time
import uuid
from datetime import UTC, datetime
from typing import Any

NAME = "autoscaling_instance_refresh"
MOTO_VERSION = "5.2.5"
GAP = (
    "StartInstanceRefresh, DescribeInstanceRefreshes and CancelInstanceRefresh are not "
    "implemented: autoscaling_instance_refresh(_info) fail"
)

DURATION_ENV = "APPSTACK_EMULATOR_INSTANCE_REFRESH_SECONDS"
ACTIVE = ("Pending", "InProgress", "Cancelling", "RollbackInProgress", "Baking")
# What AWS reports for preferences the request left out.
DEFAULT_PREFERENCES: dict[str, Any] = {
    "MinHealthyPercentage": 90,
    "SkipMatching": False,
    "AutoRollback": False,
    "ScaleInProtectedInstances": "Ignore",
    "StandbyInstances": "Ignore",
}
_STORE = "_appstack_instance_refreshes"
_DEADLINE = "_deadline"


def duration() -> float:
    try:
        return max(0.0, float(os.environ.get(DURATION_ENV) or 0))
    except ValueError:
        return 0.0


def store(backend: Any) -> dict[str, list[dict[str, Any]]]:
    """Refreshes per group name, newest first (kept on the backend: a reset drops them)."""
    return backend.__dict__.setdefault(_STORE, {})


def active(records: list[dict[str, Any]]) -> dict[str, Any] | None:
    return next((r for r in records if r["Status"] in ACTIVE), None)


def public(record: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in record.items() if not key.startswith("_")}


def instance_version(state: Any) -> str | None:
    spec = state.launch_template
    return None if spec is None else str(spec["Version"])


def wanted_version(group: Any) -> str | None:
    if group.ec2_launch_template is None:
        return None
    return str(group.ec2_launch_template.get_version(group.launch_template_version).number)


def to_replace(group: Any, skip_matching: bool) -> list[Any]:
    wanted = wanted_version(group)
    return [
        state
        for state in group.instance_states
        if not skip_matching or wanted is None or instance_version(state) != wanted
    ]


def replace(backend: Any, group: Any, old: list[Any]) -> None:
    """Launch replacements, then deregister and terminate the old instances."""
    if not old:
        return
    group.replace_autoscaling_group_instances(len(old), group.get_propagated_tags())
    ids = [state.instance.id for state in old]
    group.instance_states = [state for state in group.instance_states if state not in old]
    backend.elbv2_backend.notify_terminate_instances(ids)
    backend.ec2_backend.terminate_instances(ids)
    backend.update_attached_elbs(group.name)
    backend.update_attached_target_groups(group.name)


def advance(backend: Any, group_name: str) -> None:
    """Finish the group's running refresh if its time is up."""
    record = active(store(backend).get(group_name, []))
    if record is None or record["Status"] != "InProgress" or time.monotonic() < record[_DEADLINE]:
        return
    group = backend.autoscaling_groups.get(group_name)
    if group is not None:
        replace(backend, group, to_replace(group, record["Preferences"]["SkipMatching"]))
    record.update(
        Status="Successful",
        StatusReason="",
        EndTime=datetime.now(UTC),
        PercentageComplete=100,
        InstancesToUpdate=0,
        ProgressDetails={"LivePoolProgress": {"PercentageComplete": 100, "InstancesToUpdate": 0}},
    )


def apply() -> None:
    from moto.autoscaling.exceptions import AutoscalingClientError, ValidationError
    from moto.autoscaling.models import AutoScalingBackend
    from moto.autoscaling.responses import AutoScalingResponse
    from moto.core.responses import ActionResult

    class InstanceRefreshInProgress(AutoscalingClientError):
        code = "InstanceRefreshInProgress"

    class ActiveInstanceRefreshNotFound(AutoscalingClientError):
        code = "ActiveInstanceRefreshNotFound"

    def group_or_error(backend: Any, name: str) -> Any:
        group = backend.autoscaling_groups.get(name)
        if group is None:
            raise ValidationError(f"AutoScalingGroup name not found - AutoScalingGroup {name} not found")
        return group

    def start_instance_refresh(self: Any) -> ActionResult:
        backend = self.autoscaling_backend
        name = self._get_param("AutoScalingGroupName")
        group = group_or_error(backend, name)
        advance(backend, name)
        records = store(backend).setdefault(name, [])
        if active(records):
            raise InstanceRefreshInProgress(
                "An Instance Refresh is already in progress and blocks the execution of this Instance Refresh."
            )
        preferences = dict(DEFAULT_PREFERENCES, **(self._get_param("Preferences") or {}))
        count = len(to_replace(group, bool(preferences["SkipMatching"])))
        record = {
            "InstanceRefreshId": str(uuid.uuid4()),
            "AutoScalingGroupName": name,
            "Strategy": self._get_param("Strategy") or "Rolling",
            "Status": "InProgress",
            "StatusReason": "",
            "StartTime": datetime.now(UTC),
            "PercentageComplete": 0,
            "InstancesToUpdate": count,
            "ProgressDetails": {"LivePoolProgress": {"PercentageComplete": 0, "InstancesToUpdate": count}},
            "Preferences": preferences,
            _DEADLINE: time.monotonic() + duration(),
        }
        desired = self._get_param("DesiredConfiguration")
        if desired:
            record["DesiredConfiguration"] = desired
        records.insert(0, record)
        advance(backend, name)
        return ActionResult({"InstanceRefreshId": record["InstanceRefreshId"]})

    def describe_instance_refreshes(self: Any) -> ActionResult:
        backend = self.autoscaling_backend
        name = self._get_param("AutoScalingGroupName")
        advance(backend, name)
        records = store(backend).get(name, [])
        ids = self._get_param("InstanceRefreshIds") or []
        if ids:
            records = [r for r in records if r["InstanceRefreshId"] in ids]
        return ActionResult({"InstanceRefreshes": [public(r) for r in records]})

    def cancel_instance_refresh(self: Any) -> ActionResult:
        backend = self.autoscaling_backend
        name = self._get_param("AutoScalingGroupName")
        group_or_error(backend, name)
        advance(backend, name)
        record = active(store(backend).get(name, []))
        if record is None:
            raise ActiveInstanceRefreshNotFound(
                f"No in progress or pending Instance Refresh found for Auto Scaling group {name}"
            )
        record.update(Status="Cancelled", StatusReason="Cancelled by user", EndTime=datetime.now(UTC))
        return ActionResult({"InstanceRefreshId": record["InstanceRefreshId"]})

    original_delete = AutoScalingBackend.delete_auto_scaling_group

    def delete_auto_scaling_group(self: Any, group_name: str) -> None:
        original_delete(self, group_name)
        store(self).pop(group_name, None)

    AutoScalingResponse.start_instance_refresh = start_instance_refresh
    AutoScalingResponse.describe_instance_refreshes = describe_instance_refreshes
    AutoScalingResponse.cancel_instance_refresh = cancel_instance_refresh
    AutoScalingBackend.delete_auto_scaling_group = delete_auto_scaling_group
