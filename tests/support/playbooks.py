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


@dataclass
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

    def __str__(self) -> str:  # shown by pytest when an assertion on a Run fails
        return self.output[-6000:]


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
