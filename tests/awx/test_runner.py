"""AWX's way of running the job templates, against the emulator: the dev environment's provision,
drift, deploy (with its survey answers), smoke and destroy templates, each through
ansible-runner on a private data directory laid out as AWX lays it out (tests/awx/support.py),
with the template's playbook, extra vars and limit, the inventory AWX imports from
inventories/dev, and the credentials' environment and vault password.

What differs from AWX: the endpoint (extra var aws_endpoint_url, the emulator) and the vault
(the project copy's inventories/dev/group_vars/all/vault.yml holds test-only values under a
password made for the test, which the job's vault credential answers). The inventory is the
`repository` source only: the `aws_ec2` source would add the fleet's instances, which the
emulator cannot run commands on (tests/integration/test_environments.py checks what that
source finds)."""

from __future__ import annotations

import boto3
import pytest

from tests.awx.support import Job, Result, project_with_test_vault, run_job

pytestmark = [pytest.mark.emulator, pytest.mark.slow]

ENVIRONMENT = "dev"
REGION = "eu-west-1"  # inventories/dev/group_vars/all/aws.yml


@pytest.fixture(scope="module")
def dev_project(tmp_path_factory):
    return project_with_test_vault(tmp_path_factory.mktemp("runner") / "project", ENVIRONMENT)


@pytest.fixture(scope="module")
def jobs(objects, dev_project, awx_emulator, tmp_path_factory):
    """Runs a template of dev as AWX would, against the emulator; remembers every result."""
    project, password = dev_project
    workdir = tmp_path_factory.mktemp("jobs")
    # What the credentials "appstack-dev aws" and "appstack-dev vault" give the job.
    envvars = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
    templates = {t["short_name"]: t for t in objects["job_templates"] if t["environment"] == ENVIRONMENT}

    def run(short_name: str, **answers) -> Result:
        template = templates[short_name]
        assert template["credentials"] == ["appstack-dev aws", "appstack-dev vault"]
        extravars = {"aws_endpoint_url": awx_emulator, **answers}
        job = Job(template, f"inventories/{ENVIRONMENT}", extravars, envvars, vault=(ENVIRONMENT, password))
        return run_job(job, workdir, project)

    return run


def client(url: str, service: str):
    return boto3.client(
        service, endpoint_url=url, region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing"
    )


def dev_vpcs(url: str) -> list[str]:
    tags = [{"Name": "tag:Environment", "Values": [ENVIRONMENT]}, {"Name": "tag:ManagedBy", "Values": ["appstack"]}]
    return sorted(v["VpcId"] for v in client(url, "ec2").describe_vpcs(Filters=tags)["Vpcs"])


def test_the_job_templates_of_dev_run_as_awx_runs_them(jobs, awx_emulator, objects):
    assert dev_vpcs(awx_emulator) == []
    provision = jobs("provision")
    assert provision.rc == 0, provision
    assert provision.status == "successful"
    assert all(provision.stats["changed"].get(stack, 0) > 0 for stack in ("starttech", "civstart")), provision.stats
    assert len(dev_vpcs(awx_emulator)) == 2

    # The nightly drift check: provisioned as the inventory says, nothing left to change.
    drift = jobs("drift")
    assert drift.rc == 0, drift
    assert drift.status == "successful"
    assert "DRIFT REPORT: no drift, nothing would change" in drift.stdout

    # The deploy template's survey answers reach the playbook as AWX passes them (extra vars).
    deploy = next(t for t in objects["job_templates"] if t["name"] == "appstack-dev deploy")
    asked = {q["variable"] for q in deploy["survey_spec"]["spec"]}
    answers = {"app_image_tag": "release-2025.01.06", "app_deploy_batch": "50%"}
    assert set(answers) == asked
    done = jobs("deploy", **answers)
    assert done.rc == 0, done
    released = client(awx_emulator, "ssm").get_parameter(Name=f"/starttech/{ENVIRONMENT}/backend/image-tag")
    assert released["Parameter"]["Value"] == "release-2025.01.06"

    smoke = jobs("smoke")
    assert smoke.rc == 0, smoke
    assert "starttech-dev-alb is active" in smoke.stdout

    # Launched on its own (not through the approved workflow), destroy deletes nothing.
    refused = jobs("destroy")
    assert refused.rc != 0
    assert refused.status == "failed"
    assert "Environment dev is protected" in refused.stdout
    assert "Nothing was deleted" in refused.stdout
    assert len(dev_vpcs(awx_emulator)) == 2
