"""deploy_lock: take, no-op, held, stale takeover, races, release and check mode, with a stubbed SSM client."""

import json

import pytest
from ansible_collections.appstack.cloud.plugins.modules import deploy_lock as mod

from tests.unit.conftest import FakeModule, client_error, run

NAME = "/web/prod/deploy-lock"
NOW = 1_800_000_000.0


def params(**overrides):
    base = {
        "name": NAME,
        "state": "present",
        "deploy_id": "ours",
        "holder": "alice@laptop",
        "image_tag": "v2",
        "stale_after": 3600,
        "tags": {"Project": "web"},
    }
    base.update(overrides)
    return base


def held(deploy_id="theirs", age=10, holder="bob@ci"):
    value = mod.lock_value(deploy_id, holder, "v9", NOW - age)
    return {"Parameter": {"Name": NAME, "Value": json.dumps(value)}}


def stub_reads(client, *answers):
    """Successive GetParameter answers: a dict, or None for ParameterNotFound."""
    effects = [a if a is not None else client_error("ParameterNotFound", "GetParameter") for a in answers]
    client.get_parameter.side_effect = effects


def test_takes_a_free_lock(client):
    stub_reads(client, None)
    result = run(mod.acquire, FakeModule(params()), client, NOW)
    assert not result.failed
    assert result.result["changed"] is True and result.result["acquired"] is True
    kwargs = client.put_parameter.call_args.kwargs
    assert kwargs["Overwrite"] is False
    assert kwargs["Tags"] == [{"Key": "Project", "Value": "web"}]
    value = json.loads(kwargs["Value"])
    assert value == {
        "deploy_id": "ours",
        "holder": "alice@laptop",
        "image_tag": "v2",
        "since": "2027-01-15T08:00:00Z",
        "time": int(NOW),
    }


def test_holding_it_already_is_a_no_op(client):
    stub_reads(client, held("ours"))
    result = run(mod.acquire, FakeModule(params()), client, NOW)
    assert result.result["changed"] is False and result.result["acquired"] is True
    client.put_parameter.assert_not_called()


@pytest.mark.parametrize("check_mode", [False, True])
def test_held_lock_fails_naming_the_holder(client, check_mode):
    stub_reads(client, held("theirs", age=42))
    result = run(mod.acquire, FakeModule(params(), check_mode=check_mode), client, NOW)
    assert result.failed
    message = result.result["msg"]
    assert "held by bob@ci" in message and "42 s ago" in message and "deploy theirs" in message
    assert "image tag v9" in message
    client.put_parameter.assert_not_called()


def test_stale_lock_is_taken_over(client):
    stub_reads(client, held("dead", age=4000), held("ours", age=0))
    result = run(mod.acquire, FakeModule(params()), client, NOW)
    assert not result.failed and result.result["took_over"] is True
    kwargs = client.put_parameter.call_args.kwargs
    assert kwargs["Overwrite"] is True and "Tags" not in kwargs


def test_stale_takeover_lost_to_another_deploy_fails(client):
    stub_reads(client, held("dead", age=4000), held("other", age=0))
    result = run(mod.acquire, FakeModule(params()), client, NOW)
    assert result.failed and "deploy other" in result.result["msg"]


@pytest.mark.parametrize(("winner", "failed"), [("other", True), ("ours", False)])
def test_race_on_create(client, winner, failed):
    """Another deploy created it between read and write; or botocore retried our own create."""
    stub_reads(client, None, held(winner, age=0))
    client.put_parameter.side_effect = client_error("ParameterAlreadyExists", "PutParameter")
    result = run(mod.acquire, FakeModule(params()), client, NOW)
    assert result.failed is failed


def test_check_mode_takes_nothing(client):
    stub_reads(client, None)
    result = run(mod.acquire, FakeModule(params(), check_mode=True), client, NOW)
    assert result.result["changed"] is True
    client.put_parameter.assert_not_called()


def test_unreadable_value_counts_as_held_by_unknown(client):
    client.get_parameter.return_value = {"Parameter": {"Name": NAME, "Value": "not json"}}
    assert mod.parse("not json")["holder"] == "unknown"
    # time 0: stale, so it is taken over.
    stub_reads(client, {"Parameter": {"Value": "x"}}, held("ours", age=0))
    assert not run(mod.acquire, FakeModule(params()), client, NOW).failed


@pytest.mark.parametrize(
    ("current", "changed", "deleted"),
    [(held("ours"), True, True), (held("theirs"), False, False), (None, False, False)],
)
@pytest.mark.parametrize("check_mode", [False, True])
def test_release(client, current, changed, deleted, check_mode):
    stub_reads(client, current)
    module = FakeModule(params(state="absent"), check_mode=check_mode)
    result = run(mod.release, module, client)
    assert not result.failed
    assert result.result["changed"] is changed
    assert client.delete_parameter.called is (deleted and not check_mode)


@pytest.mark.parametrize(("age", "stale"), [(10, False), (3600, False), (3601, True)])
def test_is_stale(age, stale):
    assert mod.is_stale({"time": NOW - age}, NOW, 3600) is stale
