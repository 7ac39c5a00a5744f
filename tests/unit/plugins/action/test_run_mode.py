"""appstack.cloud.run_mode reports the effective check mode, which ansible_check_mode does not."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]
PLAYBOOK = """
- hosts: localhost
  gather_facts: false
  check_mode: {play}
  tasks:
    - appstack.cloud.run_mode:
      register: run
    - appstack.cloud.run_mode:
      check_mode: false
      register: forced_off
    - ansible.builtin.copy:
        dest: "{out}"
        content: "{{{{ {{'run': run.check_mode, 'task_off': forced_off.check_mode,
                     'magic': ansible_check_mode}} | to_json }}}}"
      check_mode: false
"""


@pytest.mark.parametrize(
    ("play", "cli", "expected"),
    [
        ("false", [], {"run": False, "task_off": False, "magic": False}),
        # The case the plugin exists for: a play's check_mode, which the magic variable misses.
        ("true", [], {"run": True, "task_off": False, "magic": False}),
        ("null", ["--check"], {"run": True, "task_off": False, "magic": True}),
    ],
)
def test_run_mode_follows_play_task_and_command_line(tmp_path, play, cli, expected):
    out = tmp_path / "out.json"
    playbook = tmp_path / "play.yml"
    playbook.write_text(PLAYBOOK.format(play=play, out=out))
    env = {**os.environ, "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg")}
    command = [str(Path(sys.executable).parent / "ansible-playbook"), str(playbook), "-i", "localhost,", "-c", "local"]
    command += ["-e", f"ansible_python_interpreter={sys.executable}"]
    done = subprocess.run([*command, *cli], cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(out.read_text()) == expected
