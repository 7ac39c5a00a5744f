#!/usr/bin/python
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# The work is done by the action plugin of the same name (plugins/action/run_mode.py); this file
# holds its documentation.

DOCUMENTATION = r"""
---
module: run_mode
short_description: Tell whether the current task runs in check mode
version_added: 0.1.0
description:
  - Returns the effective check and diff mode of the task, including a play's or a block's
    C(check_mode) keyword, which the magic variable C(ansible_check_mode) does not reflect (it
    follows only the C(--check) command-line option).
  - Roles use it to plan steps that depend on resources which, in a planning run, do not exist yet.
  - Runs on the controller; changes nothing.
options: {}
author:
  - appstack
"""

EXAMPLES = r"""
- name: Find out whether this run only plans
  appstack.cloud.run_mode:
  register: __my_role_run

- name: Skip what needs a real VPC id when only planning
  ansible.builtin.assert:
    that: my_role_vpc_id | length > 0 or __my_role_run.check_mode
"""

RETURN = r"""
check_mode:
  description: Whether the task runs in check mode (command line, play, block or task).
  returned: always
  type: bool
  sample: true
diff_mode:
  description: Whether the task runs in diff mode.
  returned: always
  type: bool
  sample: false
"""
