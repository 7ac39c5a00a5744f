"""ELBv2: target health as a load balancer sees it, and deregistration with draining.

moto reports every registered target ``healthy`` forever, drops a deregistered target at
once (no ``draining``), answers ``unavailable`` instead of ``unused`` for an IP target that is
not registered, and has nobody to health-check the targets.  AWS:

- a registered target is ``initial`` until the load balancer's checks pass, then ``healthy``
  or ``unhealthy`` (``Target.FailedHealthChecks``, ``Target.ResponseCodeMismatch``,
  ``Target.Timeout``);
- a deregistered target is ``draining`` (``Target.DeregistrationInProgress``) for the target
  group's ``deregistration_delay.timeout_seconds``: listed by DescribeTargetHealth, no new
  requests, in-flight ones finish; deregistering it again is accepted; then it is ``unused``
  (``Target.NotRegistered``);
- a target that is not registered is ``unused`` / ``Target.NotRegistered``, whatever its type.

The health checks themselves are run by the local load balancer (``appstack_emulator.lb``),
which reports what it sees to ``POST /moto-api/appstack/target-health`` every second::

    {"TargetGroupArn": "...", "Ttl": 5,
     "Targets": [{"Id": "172.18.0.3", "Port": 8080, "State": "unhealthy",
                  "Reason": "Target.ResponseCodeMismatch", "Description": "..."}]}

While a report for a target group is fresh (younger than its ``Ttl``) its registered targets
show the reported state, or ``initial`` when the report does not name them yet.  A target group
that nobody watches keeps moto's behaviour (registered means ``healthy``), so roles and tests
that run without a load balancer are unaffected.  Draining is emulated either way.
"""

from __future__ import annotations

import json
import threading
import time
from typing import Any

NAME = "elbv2_target_health"
MOTO_VERSION = "5.2.5"
GAP = (
    "DescribeTargetHealth: every registered target is healthy, deregistered targets vanish at "
    "once (no draining for deregistration_delay), unregistered IP targets are 'unavailable' "
    "(AWS: unused), and there is no way for a health checker to report target health"
)

REPORT_PATH = "/moto-api/appstack/target-health"
DEFAULT_TTL = 5.0
_lock = threading.Lock()
# target group ARN -> {"expires": monotonic time, "targets": {(id, port): health dict}}
_reports: dict[str, dict[str, Any]] = {}
# target group ARN -> {target id: {"Id", "Port", "until": monotonic time}}
_draining: dict[str, dict[str, dict[str, Any]]] = {}


def _delay(target_group: Any) -> float:
    try:
        return float(target_group.attributes.get("deregistration_delay.timeout_seconds", 300))
    except (TypeError, ValueError):
        return 300.0


def draining_targets(arn: str, now: float | None = None) -> dict[str, dict[str, Any]]:
    """Targets of ``arn`` still draining (expired entries are dropped)."""
    now = time.monotonic() if now is None else now
    with _lock:
        entries = _draining.get(arn, {})
        for target_id in [k for k, v in entries.items() if v["until"] <= now]:
            del entries[target_id]
        return dict(entries)


def watched_health(arn: str, target_id: str, port: Any) -> dict[str, Any] | None:
    """The reported health of a registered target, ``initial`` if unreported; None if unwatched."""
    with _lock:
        report = _reports.get(arn)
        if report is None or report["expires"] <= time.monotonic():
            return None
        found = report["targets"].get((str(target_id), str(port)))
    if found is None:
        return {
            "State": "initial",
            "Reason": "Elb.RegistrationInProgress",
            "Description": "Target registration is in progress",
        }
    return found


def record_report(body: dict[str, Any]) -> int:
    """Store one health report; return how many targets it named."""
    arn = body["TargetGroupArn"]
    ttl = float(body.get("Ttl", DEFAULT_TTL))
    targets = {}
    for target in body.get("Targets", []):
        state = target["State"]
        if state not in ("initial", "healthy", "unhealthy", "unavailable"):
            raise ValueError(f"state {state!r} cannot be reported")
        targets[(str(target["Id"]), str(target["Port"]))] = {
            "State": state,
            "Reason": target.get("Reason"),
            "Description": target.get("Description"),
        }
    with _lock:
        _reports[arn] = {"expires": time.monotonic() + ttl, "targets": targets}
    return len(targets)


def _report_handler(request: Any, full_url: str, headers: Any) -> tuple[int, dict[str, str], str]:
    if request.method == "DELETE":
        with _lock:
            _reports.clear()
            _draining.clear()
        return 200, {"Content-Type": "application/json"}, "{}"
    if request.method != "POST":
        return 405, {"Content-Type": "application/json"}, json.dumps({"error": "POST a report"})
    try:
        body = json.loads(request.get_data() or b"{}")
        count = record_report(body)
    except (KeyError, TypeError, ValueError) as exc:
        return 400, {"Content-Type": "application/json"}, json.dumps({"error": str(exc)})
    return 200, {"Content-Type": "application/json"}, json.dumps({"targets": count})


def _health(target_id: str, port: Any, health_port: Any, health: dict[str, Any]) -> Any:
    from moto.elbv2.models import FakeHealthStatus

    return FakeHealthStatus(
        target_id, port, health_port, health["State"], health.get("Reason"), health.get("Description")
    )


def apply() -> None:
    from moto.elbv2.exceptions import TargetGroupNotFoundError
    from moto.elbv2.models import ELBv2Backend, FakeTargetGroup
    from moto.moto_api._internal import urls

    original_register = FakeTargetGroup.register
    original_deregister = FakeTargetGroup.deregister
    original_health_for = FakeTargetGroup.health_for

    def register(self: Any, targets: list[dict[str, Any]]) -> None:
        original_register(self, targets)
        with _lock:
            entries = _draining.get(self.arn, {})
            for target in targets:
                entries.pop(target["Id"], None)

    def deregister(self: Any, targets: list[dict[str, Any]]) -> None:
        draining = draining_targets(self.arn)
        # AWS accepts deregistering a target that is already draining.
        todo = [t for t in targets if not (t["Id"] in draining and t["Id"] not in self.targets)]
        known = {t["Id"]: dict(self.targets[t["Id"]]) for t in todo if t["Id"] in self.targets}
        original_deregister(self, todo)
        until = time.monotonic() + _delay(self)
        with _lock:
            entries = _draining.setdefault(self.arn, {})
            for target_id, target in known.items():
                entries[target_id] = {"Id": target_id, "Port": target["Port"], "until": until}

    def health_for(self: Any, target: dict[str, Any], ec2_backend: Any) -> Any:
        registered = self.targets.get(target["Id"])
        if registered is not None:
            health = watched_health(self.arn, registered["Id"], registered["Port"])
            if health is not None:
                return _health(registered["Id"], registered["Port"], self.health_check_port, health)
            return original_health_for(self, target, ec2_backend)
        draining = draining_targets(self.arn).get(target["Id"])
        if draining is not None:
            health = {
                "State": "draining",
                "Reason": "Target.DeregistrationInProgress",
                "Description": "Target deregistration is in progress",
            }
            return _health(draining["Id"], draining["Port"], self.health_check_port, health)
        status = original_health_for(self, target, ec2_backend)
        if status.status == "unavailable" and status.reason == "Target.NotRegistered":
            status.status = "unused"
            status.description = "Target is not registered to the target group"
        return status

    original_describe = ELBv2Backend.describe_target_health

    def describe_target_health(self: Any, target_group_arn: str, targets: list[dict[str, Any]]) -> Any:
        target_group = self.target_groups.get(target_group_arn)
        if target_group is None:
            raise TargetGroupNotFoundError()
        if not targets:
            draining = draining_targets(target_group_arn)
            targets = list(target_group.targets.values()) + [
                {"Id": d["Id"], "Port": d["Port"]} for k, d in draining.items() if k not in target_group.targets
            ]
            if not targets:
                return []
        return original_describe(self, target_group_arn, targets)

    FakeTargetGroup.register = register
    FakeTargetGroup.deregister = deregister
    FakeTargetGroup.health_for = health_for
    ELBv2Backend.describe_target_health = describe_target_health
    urls.url_paths["{0}" + REPORT_PATH] = _report_handler
