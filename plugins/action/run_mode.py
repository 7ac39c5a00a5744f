# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin of appstack.cloud.run_mode: tells a role whether this run only plans."""

from __future__ import annotations

from typing import Any

from ansible.plugins.action import ActionBase


class ActionModule(ActionBase):
    """Report the effective check mode of the task.

    ``ansible_check_mode`` reflects only ``--check`` on the command line, not a play's or a
    block's ``check_mode:`` (drift.yml, Molecule's prepare). The play context of a task has the
    effective value, and an action plugin can read it.
    """

    TRANSFERS_FILES = False
    _requires_connection = False
    _supports_check_mode = True

    def run(self, tmp: Any = None, task_vars: dict[str, Any] | None = None) -> dict[str, Any]:
        result = super().run(tmp, task_vars)
        planning = bool(self._play_context.check_mode)
        result.update(changed=False, check_mode=planning, diff_mode=bool(self._play_context.diff))
        return result
