"""Run a job template the way AWX runs it: ansible-runner on a private data directory.

AWX gives each job a directory with
  project/          a copy of the project's Git checkout (the job's working directory)
  inventory/hosts   a script printing the inventory AWX holds, as JSON: what its sources
                    imported (`ansible-inventory --list --export`, vault values still encrypted)
  env/extravars     the template's extra vars, survey answers and workflow variables
  env/envvars       the credentials' environment (AWS_ACCESS_KEY_ID, ...)
  env/cmdline       more ansible-playbook options (a vault credential adds --vault-id <id>@prompt)
  env/passwords     answers to ansible-playbook's prompts (the vault password)
and runs ansible-runner on it with the template's playbook and limit.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import stat
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ansible_runner
import yaml

from tests.support.playbooks import ROOT, failed_tasks

BIN = ROOT / ".venv" / "bin"
CONTROLLER_FILE = ROOT / "awx" / "controller.yml"


def controller_data() -> dict[str, Any]:
    """awx/controller.yml as the filter takes it: keys without the appstack_awx_ prefix."""
    raw = yaml.safe_load(CONTROLLER_FILE.read_text())
    return {key.removeprefix("appstack_awx_"): value for key, value in raw.items()}


def copy_project(target: Path) -> Path:
    """The project as AWX checks it out: the files Git tracks or would track (no .venv, caches)."""
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if not source.exists() and not source.is_symlink():
            continue  # deleted in the work tree
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            destination.symlink_to(os.readlink(source))
        elif source.is_file():
            shutil.copy2(source, destination)
    return target


def project_with_test_vault(target: Path, environment: str, values: dict[str, str] | None = None) -> tuple[Path, str]:
    """A copy of the project whose inventories/<environment>/group_vars/all/vault.yml holds
    test-only values (every key of vault.yml.example unless values are given) under a password
    made here, never written down: the job's vault credential answers with it. The committed
    vault.yml stays as it is (its values are placeholders under a password nobody kept)."""
    project = copy_project(target)
    folder = project / "inventories" / environment / "group_vars" / "all"
    if values is None:
        example = yaml.safe_load((folder / "vault.yml.example").read_text())
        values = {key: f"test-only-{key}-{environment}" for key in example}
    password = secrets.token_urlsafe(24)
    password_file = target.parent / f"vault-password-{environment}"
    password_file.write_text(password)
    password_file.chmod(0o600)
    try:
        parts = ["---"]
        for key, value in values.items():
            command = [str(BIN / "ansible-vault"), "encrypt_string", "--vault-id", f"{environment}@{password_file}"]
            parts.append(
                subprocess.run(
                    [*command, "--name", key, value],
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout.strip()
            )
    finally:
        password_file.unlink()
    (folder / "vault.yml").write_text("\n".join(parts) + "\n")
    return project, password


def export_inventory(project: Path, source: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    """What an AWX inventory source imports from a file of the project."""
    done = subprocess.run(
        [str(BIN / "ansible-inventory"), "-i", source, "--list", "--export"],
        cwd=project,
        env={**os.environ, "ANSIBLE_CONFIG": str(project / "ansible.cfg"), **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@dataclass
class Job:
    """One job of a job template (as awx_objects expands it), on a given inventory folder."""

    template: dict[str, Any]
    inventory_dir: str
    extravars: dict[str, Any] = field(default_factory=dict)
    envvars: dict[str, str] = field(default_factory=dict)
    vault: tuple[str, str] | None = None  # (vault id, password) of a vault credential


@dataclass
class Result:
    rc: int
    status: str
    stdout: str
    stats: dict[str, Any]

    def __repr__(self) -> str:  # shown when an assertion on a Result fails: the failures, then the end
        failures = failed_tasks(self.stdout)
        return f"Result(rc={self.rc}, status={self.status!r}, failures={failures}, stdout=...{self.stdout[-4000:]})"


def run_job(job: Job, workdir: Path, project: Path) -> Result:
    """Run job in a fresh private data directory under workdir, as AWX would."""
    workdir.mkdir(parents=True, exist_ok=True)
    private = workdir / f"job-{len(list(workdir.glob('job-*')))}"
    (private / "env").mkdir(parents=True)
    (private / "project").symlink_to(project)

    inventory = export_inventory(project, f"{job.inventory_dir}/hosts.yml", job.envvars)
    (private / "inventory").mkdir()
    (private / "inventory" / "hosts.json").write_text(json.dumps(inventory))
    script = private / "inventory" / "hosts"
    script.write_text(f"#!/bin/sh\ncat '{private / 'inventory' / 'hosts.json'}'\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    (private / "inventory" / "hosts.json").chmod(0o600)

    extravars = {**job.template["extra_vars"], **job.extravars}
    (private / "env" / "extravars").write_text(yaml.safe_dump(extravars))
    envvars = {"PATH": f"{BIN}:{os.environ['PATH']}", "ANSIBLE_NOCOLOR": "1", **job.envvars}
    (private / "env" / "envvars").write_text(yaml.safe_dump(envvars))
    if job.vault:
        vault_id, password = job.vault
        (private / "env" / "cmdline").write_text(f"--vault-id {vault_id}@prompt")
        (private / "env" / "passwords").write_text(yaml.safe_dump({rf"^Vault password \({vault_id}\):\s*?$": password}))

    runner = ansible_runner.run(
        private_data_dir=str(private),
        playbook=job.template["playbook"],
        inventory=str(script),
        limit=job.template["limit"] or None,
        quiet=True,
        timeout=900,
    )
    stdout = runner.stdout.read()
    return Result(runner.rc, runner.status, stdout, runner.stats or {})
