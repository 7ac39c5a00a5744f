"""The README's main job: site.yml on the local inventory, end to end, for every enabled stack."""

import json

import pytest
import yaml

from tests.support import aws
from tests.support.playbooks import ROOT, inventory_copy, run_playbook

STACKS = ("starttech", "civstart")


@pytest.mark.slow
@pytest.mark.emulator
def test_provision_is_idempotent_drift_free_and_destroyable(clean_account, tmp_path):
    first = run_playbook("site.yml")
    assert first.returncode == 0, first
    assert all(first.changed[stack] > 0 for stack in STACKS), first.recap

    second = run_playbook("site.yml")
    assert second.returncode == 0, second
    assert second.changed == {"localhost": 0, **dict.fromkeys(STACKS, 0)}, second

    report = tmp_path / "drift.json"
    drift = run_playbook("playbooks/drift.yml", env={"APPSTACK_DRIFT_REPORT": str(report)})
    assert drift.returncode == 0, drift
    assert "DRIFT REPORT: no drift" in drift.output
    assert json.loads(report.read_text())["count"] == 0

    # One inventory value edited: drift names exactly that change, on that stack, and creates nothing.
    stacks = yaml.safe_load((ROOT / "inventories/local/group_vars/all/stacks.yml").read_text())["appstack_stacks"]
    stacks["starttech"].setdefault("network", {})["flow_logs"] = True
    edited = inventory_copy(tmp_path, "local", {"stacks.yml": {"appstack_stacks": stacks}})
    drift = run_playbook("playbooks/drift.yml", edited, env={"APPSTACK_DRIFT_REPORT": str(report)})
    assert drift.returncode == 0, drift
    changes = json.loads(report.read_text())["changes"]
    assert changes, drift
    assert {c["host"] for c in changes} == {"starttech"}
    assert all("flow log" in c["task"].lower() for c in changes), changes
    assert "flow_log" not in aws.stack_resources("starttech", "local")
    assert (
        aws.client("logs").describe_log_groups(logGroupNamePrefix="/starttech/local/vpc-flow-logs")["logGroups"] == []
    )

    # A protected environment is not destroyed without the confirmation variable.
    protected = inventory_copy(tmp_path / "protected", "local", {"environment.yml": {"appstack_protected": True}})
    refused = run_playbook("playbooks/destroy.yml", protected)
    assert refused.returncode != 0
    assert "is protected" in refused.output
    assert aws.stack_resources("starttech", "local")

    destroyed = run_playbook("playbooks/destroy.yml")
    assert destroyed.returncode == 0, destroyed
    for stack in STACKS:
        assert aws.stack_resources(stack, "local") == {}, stack

    rebuilt = run_playbook("playbooks/provision.yml")
    assert rebuilt.returncode == 0, rebuilt
    assert "vpc" in aws.stack_resources("starttech", "local")
