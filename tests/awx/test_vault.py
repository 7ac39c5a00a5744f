"""Secrets reach AWX jobs as AWX handles them: the repository source imports vault.yml with its
values still encrypted (ansible-inventory --export needs no password), and a job decrypts them
with the environment's vault credential (--vault-id <env>@prompt, answered by AWX)."""

from __future__ import annotations

import json

from tests.awx.support import Job, export_inventory, project_with_test_vault, run_job

SECRET = "mongodb://test-only-user:test-only-password@db.invalid/starttech"


def _template(objects, short_name: str, environment: str) -> dict:
    return next(
        t for t in objects["job_templates"] if t["short_name"] == short_name and t["environment"] == environment
    )


def test_the_import_keeps_vault_values_encrypted_and_the_job_decrypts_them(objects, tmp_path):
    project, password = project_with_test_vault(tmp_path / "project", "prod", {"starttech_mongodb_url": SECRET})

    imported = export_inventory(project, "inventories/prod/hosts.yml")
    text = json.dumps(imported)
    assert SECRET not in text
    assert imported["all"]["vars"]["starttech_mongodb_url"]["__ansible_vault"].startswith(
        "$ANSIBLE_VAULT;1.2;AES256;prod"
    )

    validate = _template(objects, "validate", "prod")
    assert validate["credentials"] == ["appstack-prod aws", "appstack-prod vault"]
    opened = run_job(Job(validate, "inventories/prod", vault=("prod", password)), tmp_path / "jobs", project)
    assert opened.rc == 0, opened
    assert SECRET not in opened.stdout

    locked = run_job(Job(validate, "inventories/prod"), tmp_path / "jobs-locked", project)
    assert locked.rc != 0
    assert "starttech_mongodb_url cannot be decrypted" in locked.stdout
