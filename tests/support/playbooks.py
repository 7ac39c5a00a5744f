"""Run the project's playbooks as a user would, and read their recap."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
RECAP = re.compile(r"^(\S+)\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.M)
DELETE = object()


def failed_tasks(output: str) -> list[str]:
    """Each failed task's report in ansible-playbook output: its first line and what follows up
    to a blank line."""
    blocks, block = [], None
    for line in output.splitlines():
        if line.startswith(("fatal:", "failed:", "ERROR!", "[ERROR]")):
            block = [line]
            blocks.append(block)
        elif block is not None and line.strip() and len(block) < 40:
            block.append(line)
        else:
            block = None
    return ["\n".join(block) for block in blocks]


@dataclass(repr=False)
class Run:
    returncode: int
    output: str

    @property
    def recap(self) -> dict[str, dict[str, int]]:
        return {
            host: {"ok": int(ok), "changed": int(changed), "unreachable": int(unreachable), "failed": int(failed)}
            for host, ok, changed, unreachable, failed in RECAP.findall(self.output)
        }

    @property
    def changed(self) -> dict[str, int]:
        return {host: counts["changed"] for host, counts in self.recap.items()}

    # pytest shows an assertion message through repr(): lead with the failures, then the end
    # of the output.
    def __repr__(self) -> str:
        failed = "\n".join(failed_tasks(self.output))[:4000]
        return f"exit {self.returncode}\n{failed}\n--- end of output ---\n{self.output[-3000:]}"

    __str__ = __repr__


def run_playbook(
    playbook: str, inventory: Path | str = "inventories/local", *args: str, env: dict | None = None
) -> Run:
    command = [str(ROOT / ".venv/bin/ansible-playbook"), playbook, "-i", str(inventory), *args]
    full_env = {**os.environ, "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"), "ANSIBLE_NOCOLOR": "1", **(env or {})}
    done = subprocess.run(command, cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=1800)
    return Run(done.returncode, done.stdout + done.stderr)


def inventory_copy(tmp_path: Path, name: str = "local", changes: dict[str, dict[str, Any]] | None = None) -> Path:
    """A copy of inventories/<name> with values changed: {file under group_vars/all: {key: value}}.

    A value of DELETE removes the key; dictionaries are merged one level deep.
    """
    target = tmp_path / name
    shutil.copytree(ROOT / "inventories" / name, target)
    for file_name, values in (changes or {}).items():
        path = target / "group_vars" / "all" / file_name
        data = yaml.safe_load(path.read_text()) if path.exists() else {}
        for key, value in values.items():
            if value is DELETE:
                data.pop(key, None)
            else:
                data[key] = value
        path.write_text(yaml.safe_dump(data, sort_keys=False))
    return target
