"""awx/configure.yml against a fake AWX that keeps what it is sent (tests/awx/fake_controller.py):
it stops before any change when an input or a secret is missing, creates every object of
awx/controller.yml as the data says, and a second run changes nothing."""

from __future__ import annotations

import json
import os
import re
import subprocess
from dataclasses import dataclass
from typing import Any

import pytest
import yaml

from tests.awx.fake_controller import ENCRYPTED, fake_controller
from tests.support.playbooks import ROOT

pytestmark = pytest.mark.slow

TOKEN = "test-token"
INPUTS = {
    "CONTROLLER_OAUTH_TOKEN": TOKEN,
    "APPSTACK_AWX_SCM_URL": "https://git.example.invalid/ops/appstack.git",
    "APPSTACK_AWX_EE_IMAGE": "registry.example.invalid/appstack/ee:test",
}
RECAP = re.compile(r"^localhost\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.M)


@dataclass
class Run:
    returncode: int
    output: str

    @property
    def changed(self) -> int:
        return int(RECAP.search(self.output).group(2))

    def __str__(self) -> str:
        return self.output[-6000:]


def configure(env: dict[str, str], *args: str) -> Run:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("CONTROLLER_", "APPSTACK_AWX_"))}
    done = subprocess.run(
        [str(ROOT / ".venv/bin/ansible-playbook"), "awx/configure.yml", *args],
        cwd=ROOT,
        env={**clean, "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"), "ANSIBLE_NOCOLOR": "1", **env},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    return Run(done.returncode, done.stdout + done.stderr)


def secrets_for(objects: dict[str, Any]) -> dict[str, str]:
    """A test-only value for every secret variable controller.yml names."""
    names = [v for c in objects["credentials"] for v in c["secret_inputs"].values()]
    names += [v for n in objects["notifications"] for v in n["secret_configuration"].values()]
    values = {name: f"test-only-{name.lower()}" for name in names}
    values["APPSTACK_AWX_NOTIFY_WEBHOOK_URL"] = "https://hooks.example.invalid/appstack"
    return values


def test_configure_names_the_missing_inputs_before_calling_awx():
    done = configure({})
    assert done.returncode != 0
    assert "Set CONTROLLER_HOST and CONTROLLER_OAUTH_TOKEN" in done.output


def test_configure_lists_every_missing_secret_and_changes_nothing():
    with fake_controller(TOKEN) as (url, controller):
        done = configure({**INPUTS, "CONTROLLER_HOST": url, "APPSTACK_AWX_DEV_AWS_ACCESS_KEY_ID": "test-only-id"})
    assert done.returncode != 0
    assert "Set these environment variables (nothing was changed):" in done.output
    assert "APPSTACK_AWX_PROD_VAULT_PASSWORD (appstack-prod vault)" in done.output
    assert "APPSTACK_AWX_NOTIFY_WEBHOOK_URL (appstack failures)" in done.output
    assert "APPSTACK_AWX_DEV_AWS_ACCESS_KEY_ID" not in done.output  # given
    assert controller.requests  # it asked AWX what exists...
    assert controller.writes() == []  # ...and wrote nothing
    assert controller.objects["organizations"] == {}


@pytest.fixture(scope="module")
def configured(objects):
    """configure.yml run twice against one fake AWX, with every secret given both times."""
    env = {**INPUTS, **secrets_for(objects)}
    with fake_controller(TOKEN) as (url, controller):
        first = configure({**env, "CONTROLLER_HOST": url})
        writes = len(controller.writes())
        second = configure({**env, "CONTROLLER_HOST": url})
        yield first, second, controller, controller.writes()[writes:]


def test_the_first_run_creates_every_object(configured, objects):
    first, _, awx, _ = configured
    assert first.returncode == 0, first
    assert first.changed > 0
    (organization,) = awx.objects["organizations"].values()
    assert organization["name"] == "appstack"
    (project,) = awx.objects["projects"].values()
    assert project["scm_url"] == INPUTS["APPSTACK_AWX_SCM_URL"]
    assert project["scm_update_on_launch"] is True
    (ee,) = awx.objects["execution_environments"].values()
    assert ee["image"] == INPUTS["APPSTACK_AWX_EE_IMAGE"]
    assert project["default_environment"] == ee["id"]
    assert sorted(awx.named("inventories")) == sorted(i["name"] for i in objects["inventories"])
    assert sorted(awx.named("credentials")) == sorted(c["name"] for c in objects["credentials"])
    assert sorted(awx.named("job_templates")) == sorted(t["name"] for t in objects["job_templates"])
    assert sorted(awx.named("workflow_job_templates")) == sorted(w["name"] for w in objects["workflows"])
    assert sorted(awx.named("schedules")) == sorted(s["name"] for s in objects["schedules"])


def test_credentials_hold_the_secrets_given_and_show_them_encrypted(configured, objects):
    _, _, awx, _ = configured
    credentials = awx.named("credentials")
    vault = credentials["appstack-prod vault"]
    assert vault["inputs"] == {
        "vault_id": "prod",
        "vault_password": secrets_for(objects)["APPSTACK_AWX_PROD_VAULT_PASSWORD"],
    }
    assert awx._show("credentials", vault)["inputs"]["vault_password"] == ENCRYPTED
    aws = credentials["appstack-staging aws"]
    assert aws["inputs"]["username"] == "test-only-appstack_awx_staging_aws_access_key_id"
    (notification,) = awx.objects["notification_templates"].values()
    assert notification["notification_configuration"]["url"] == "https://hooks.example.invalid/appstack"


def test_inventory_sources_read_the_environment_folders(configured):
    _, _, awx, _ = configured
    sources = awx.named("inventory_sources")
    inventories = awx.named("inventories")
    ec2 = sources["appstack-prod aws_ec2"]
    assert ec2["inventory"] == inventories["appstack-prod"]["id"]
    assert ec2["source"] == "ec2"
    assert ec2["credential"] == awx.named("credentials")["appstack-prod aws"]["id"]
    settings = yaml.safe_load((ROOT / "inventories/prod/aws_ec2.yml").read_text())
    del settings["plugin"]  # AWX adds it for the ec2 source
    assert json.loads(ec2["source_vars"]) == settings
    repository = sources["appstack-prod repository"]
    assert (repository["source"], repository["source_path"]) == ("scm", "inventories/prod/hosts.yml")
    assert repository["overwrite_vars"] is True and ec2["overwrite_vars"] is False
    assert all(source["update_on_launch"] for source in sources.values())


def test_job_templates_are_as_the_data_says(configured, objects):
    _, _, awx, _ = configured
    held = awx.named("job_templates")
    for template in objects["job_templates"]:
        job = held[template["name"]]
        assert job["playbook"] == template["playbook"], template["name"]
        assert job["inventory"] == awx.named("inventories")[template["inventory"]]["id"]
        assert json.loads(job["extra_vars"]) == template["extra_vars"]
        assert job["limit"] == template["limit"]
        assert awx.related_names("job_templates", job, "credentials") == sorted(template["credentials"])
        assert awx.related_names("job_templates", job, "notification_templates_error") == ["appstack failures"]
        assert awx.survey("job_templates", job) == template["survey_spec"]
        assert job["survey_enabled"] is bool(template["survey_spec"])


def test_workflows_chain_their_nodes_and_destroy_waits_for_an_approval(configured, objects):
    _, _, awx, _ = configured
    held = awx.named("workflow_job_templates")
    templates = {**awx.objects["job_templates"], **awx.objects["workflow_approval_templates"]}
    for workflow in objects["workflows"]:
        wfjt = held[workflow["name"]]
        nodes = {
            n["identifier"]: n
            for n in awx.objects["workflow_job_template_nodes"].values()
            if n["workflow_job_template"] == wfjt["id"]
        }
        assert set(nodes) == {node["identifier"] for node in workflow["nodes"]}
        for node in workflow["nodes"]:
            held_node = nodes[node["identifier"]]
            assert templates[held_node["unified_job_template"]]["name"] == node["unified_job_template"]["name"]
            wanted = sorted(n["identifier"] for n in node["related"]["success_nodes"])
            assert awx.related_names("workflow_job_template_nodes", held_node, "success_nodes") == wanted
        assert awx.survey("workflow_job_templates", wfjt) == workflow["survey_spec"]
        approvals = awx.related_names("workflow_job_templates", wfjt, "notification_templates_approvals")
        assert approvals == (["appstack failures"] if workflow["has_approval"] else [])
    destroy = held["appstack-prod destroy"]
    approval = next(
        n
        for n in awx.objects["workflow_job_template_nodes"].values()
        if n["workflow_job_template"] == destroy["id"] and n["identifier"] == "approve"
    )
    template = awx.objects["workflow_approval_templates"][approval["unified_job_template"]]
    assert (template["name"], template["timeout"]) == ("Approve destroying prod", 14400)


def test_schedules_launch_their_templates_with_their_rrules(configured, objects):
    _, _, awx, _ = configured
    held = awx.named("schedules")
    for schedule in objects["schedules"]:
        kept = held[schedule["name"]]
        assert kept["rrule"] == schedule["rrule"]
        assert awx.objects["job_templates"][kept["unified_job_template"]]["name"] == schedule["unified_job_template"]
        assert kept["enabled"] is True
    weekly = held["appstack-staging weekly deploy of the pinned tag"]
    assert weekly["extra_data"] == {"app_image_tag": "1.0.0", "app_deploy_batch": "25%"}


def test_a_second_run_changes_nothing(configured):
    _, second, _, writes = configured
    assert second.returncode == 0, second
    assert second.changed == 0, second
    # The one write: the project sync before the job templates (it reads Git, changes no setting).
    assert writes == [("POST", f"/api/v2/projects/{_project_id(configured)}/update/")]


def _project_id(configured) -> int:
    (project,) = configured[2].objects["projects"].values()
    return project["id"]
