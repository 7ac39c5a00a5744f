# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Ends a check-mode run (drift.yml, or any playbook with --check) with the list of changes."""

from __future__ import annotations

import json
from typing import Any

from ansible import context
from ansible.plugins.callback import CallbackBase

DOCUMENTATION = r"""
name: drift_report
type: aggregate
short_description: List what a check-mode run would change
description:
  - In plays run in check mode (drift.yml sets appstack_drift, or ansible-playbook --check),
    records every task result that reports a change and prints them after the recap, one line
    each, or "No drift" when there is none.
  - Writes the same list as JSON to the file named by APPSTACK_DRIFT_REPORT, for AWX and tests.
requirements:
  - enabled in ansible.cfg (callbacks_enabled)
options:
  report_path:
    description: File the JSON report is written to.
    env:
      - name: APPSTACK_DRIFT_REPORT
    ini:
      - section: appstack_drift_report
        key: report_path
"""


def describe_change(host: str, task_name: str, result: dict[str, Any]) -> dict[str, Any]:
    """One change as the report shows it: where, what, and on which loop item."""
    change: dict[str, Any] = {"host": host, "task": task_name}
    label = result.get("_ansible_item_label", result.get("item"))
    if label is not None:
        change["item"] = label if isinstance(label, str | int | float) else json.dumps(label, sort_keys=True)
    return change


def changes_of(host: str, task_name: str, result: dict[str, Any]) -> list[dict[str, Any]]:
    """The changes a task result stands for: one per changed loop item, or one for the task."""
    if "results" in result:
        return [
            describe_change(host, task_name, item)
            for item in result["results"]
            if isinstance(item, dict) and item.get("changed")
        ]
    return [describe_change(host, task_name, result)] if result.get("changed") else []


def format_report(changes: list[dict[str, Any]]) -> list[str]:
    if not changes:
        return ["DRIFT REPORT: no drift, nothing would change"]
    lines = [f"DRIFT REPORT: {len(changes)} change(s) would be made"]
    for change in changes:
        item = f" ({change['item']})" if "item" in change else ""
        lines.append(f"  - {change['host']}: {change['task']}{item}")
    return lines


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "appstack.cloud.drift_report"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self) -> None:
        super().__init__()
        self._planning = False
        self._seen_plan = False
        self._changes: list[dict[str, Any]] = []

    def v2_playbook_on_play_start(self, play) -> None:
        self._planning = bool(context.CLIARGS.get("check")) or str(
            play.vars.get("appstack_drift", "false")
        ).lower() in ("true", "yes", "1")
        self._seen_plan = self._seen_plan or self._planning

    def v2_runner_on_ok(self, result) -> None:
        if self._planning and not result._task.action.endswith("set_fact"):
            self._changes.extend(changes_of(result._host.get_name(), result._task.get_name(), result._result))

    def v2_playbook_on_stats(self, stats) -> None:
        if not self._seen_plan:
            return
        for line in format_report(self._changes):
            self._display.display(line)
        path = self.get_option("report_path")
        if path:
            with open(path, "w", encoding="utf-8") as handle:
                json.dump({"count": len(self._changes), "changes": self._changes}, handle, indent=2)
