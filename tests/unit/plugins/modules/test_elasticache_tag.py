"""elasticache_tag: add, update, purge, no-op and check mode, with a stubbed ElastiCache client."""

from __future__ import annotations

import pytest
from ansible_collections.appstack.cloud.plugins.modules import elasticache_tag as mod

ARN = "arn:aws:elasticache:us-east-1:123456789012:subnetgroup:civstart-test-redis"


def stub(client, tags):
    state = dict(tags)
    client.list_tags_for_resource.side_effect = lambda **kw: {
        "TagList": [{"Key": k, "Value": v} for k, v in state.items()]
    }
    client.add_tags_to_resource.side_effect = lambda **kw: state.update({t["Key"]: t["Value"] for t in kw["Tags"]})
    client.remove_tags_from_resource.side_effect = lambda **kw: [state.pop(k) for k in kw["TagKeys"]]
    return state


@pytest.mark.parametrize(
    ("current", "wanted", "purge", "changed", "after"),
    [
        pytest.param({}, {"Project": "civstart"}, True, True, {"Project": "civstart"}, id="add"),
        pytest.param(
            {"Project": "civstart"}, {"Project": "civstart"}, True, False, {"Project": "civstart"}, id="no-op"
        ),
        pytest.param({"Project": "old"}, {"Project": "civstart"}, True, True, {"Project": "civstart"}, id="update"),
        pytest.param(
            {"Project": "civstart", "Owner": "x"}, {"Project": "civstart"}, True, True, {"Project": "civstart"}
        ),
        pytest.param(
            {"Project": "civstart", "Owner": "x"},
            {"Project": "civstart"},
            False,
            False,
            {"Project": "civstart", "Owner": "x"},
            id="no-purge",
        ),
        pytest.param({}, {"Port": 6379}, True, True, {"Port": "6379"}, id="values-as-text"),
    ],
)
@pytest.mark.parametrize("check_mode", [False, True])
def test_ensure_tags(client, current, wanted, purge, changed, after, check_mode):
    state = stub(client, current)

    result = mod.ensure_tags(client, ARN, wanted, purge, check_mode)

    assert result == {"changed": changed, "tags": after}
    assert state == (current if check_mode else after)
    if check_mode or not changed:
        client.add_tags_to_resource.assert_not_called()
        client.remove_tags_from_resource.assert_not_called()
