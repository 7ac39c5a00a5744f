"""module_utils.runner: how errors fail a module, and the result by state, with the fake module."""

from __future__ import annotations

from unittest.mock import MagicMock

import pytest
from ansible_collections.appstack.cloud.plugins.module_utils.runner import ModuleError, ensure_state, run_module
from botocore.exceptions import WaiterError

from tests.unit.conftest import FakeModule, client_error, run


def module_with(client):
    module = FakeModule({"state": "present"})
    module.client = MagicMock(return_value=client)
    return module


def test_run_module_exits_with_the_result():
    module = module_with("the client")

    outcome = run(run_module, module, "ecs", lambda module, client: {"changed": False, "client": client}, "failed")

    assert not outcome.failed
    assert outcome.result == {"changed": False, "client": "the client"}
    assert module.client.call_args.args == ("ecs",)


def test_a_module_error_fails_with_its_message_and_details():
    def work(module, client):
        raise ModuleError("rolled back", rolled_back=True)

    outcome = run(run_module, module_with(None), "ecs", work, "Could not manage it")

    assert outcome.failed
    assert outcome.result == {"msg": "rolled back", "rolled_back": True}


@pytest.mark.parametrize(
    ("error", "message"),
    [
        pytest.param(client_error("InUse", "Delete"), "still in use", id="known-code"),
        pytest.param(client_error("Throttling", "Delete"), "Could not manage it", id="other-code"),
        pytest.param(WaiterError("Deployed", "Max attempts exceeded", {}), "not deployed in time", id="botocore-error"),
    ],
)
def test_aws_errors_fail_with_the_message_for_their_code(error, message):
    def work(module, client):
        raise error

    messages = {"InUse": "still in use", "WaiterError": "not deployed in time"}
    outcome = run(run_module, module_with(None), "ecs", work, "Could not manage it", messages)

    assert outcome.failed
    assert outcome.result["msg"] == message


@pytest.mark.parametrize(("state", "diff_mode"), [("present", False), ("absent", False), ("absent", True)])
def test_ensure_state_picks_by_state_and_keeps_the_diff_in_diff_mode(state, diff_mode):
    def present(client, params, check_mode):
        return {"state": "present", "check_mode": check_mode, "diff": {}}

    def absent(client, params, check_mode):
        return {"state": "absent", "check_mode": check_mode, "diff": {}}

    result = ensure_state(FakeModule({"state": state}, check_mode=True, diff=diff_mode), None, present, absent)

    assert result["state"] == state
    assert result["check_mode"] is True
    assert ("diff" in result) is diff_mode
