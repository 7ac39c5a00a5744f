"""module_utils.tags: comparing tags, and each service's tag calls, with a stubbed client."""

from __future__ import annotations

from unittest.mock import MagicMock

import pytest
from ansible_collections.appstack.cloud.plugins.module_utils import tags


@pytest.mark.parametrize(
    ("current", "wanted", "purge", "to_set", "to_remove"),
    [
        ({}, {"Project": "web"}, True, {"Project": "web"}, []),
        ({"Project": "web"}, {"Project": "web"}, True, {}, []),
        ({"Project": "old"}, {"Project": "web"}, True, {"Project": "web"}, []),
        ({"Project": "web", "Owner": "x"}, {"Project": "web"}, True, {}, ["Owner"]),
        ({"Project": "web", "Owner": "x"}, {"Project": "web"}, False, {}, []),
    ],
)
def test_tag_changes(current, wanted, purge, to_set, to_remove):
    assert tags.tag_changes(current, wanted, purge) == (to_set, to_remove)


def test_tag_changes_compare_values_as_text_and_leave_tags_alone_when_not_given():
    assert tags.tag_changes({"Port": "6379"}, {"Port": 6379}) == ({}, [])
    assert tags.tag_changes({}, {"Port": 6379}) == ({"Port": "6379"}, [])
    assert tags.tag_changes({"Project": "web"}, None) == ({}, [])


def test_tag_list_holds_text():
    assert tags.tag_list({"b": 2, "a": True}, "key", "value") == [
        {"key": "b", "value": "2"},
        {"key": "a", "value": "True"},
    ]


def test_snake_with_tags():
    resource = {"FlowLogId": "fl-1", "Tags": [{"Key": "Project", "Value": "web"}]}

    assert tags.snake_with_tags(resource, "Tags") == {"flow_log_id": "fl-1", "tags": {"Project": "web"}}
    assert tags.snake_with_tags(None, "Tags") == {}


@pytest.mark.parametrize("check_mode", [False, True])
def test_sync(check_mode):
    client = MagicMock()
    client.list_tags_for_resource.return_value = {"tags": [{"Key": "Owner", "Value": "x"}]}

    changed, after = tags.ECR.sync(client, "arn", {"Project": "web"}, True, check_mode)

    assert changed is True
    if check_mode:
        assert after == {"Project": "web"}
        client.untag_resource.assert_not_called()
        client.tag_resource.assert_not_called()
    else:
        client.untag_resource.assert_called_once_with(aws_retry=True, resourceArn="arn", tagKeys=["Owner"])
        client.tag_resource.assert_called_once_with(
            aws_retry=True, resourceArn="arn", tags=[{"Key": "Project", "Value": "web"}]
        )


def test_ecs_keys_and_values_are_lower_case():
    client = MagicMock()

    tags.ECS.apply(client, "arn", {"Project": "web"}, [])

    client.tag_resource.assert_called_once_with(
        aws_retry=True, resourceArn="arn", tags=[{"key": "Project", "value": "web"}]
    )


def test_cloudfront_wraps_its_lists_in_items():
    client = MagicMock()
    client.list_tags_for_resource.return_value = {"Tags": {"Items": [{"Key": "Owner", "Value": "x"}]}}

    assert tags.CLOUDFRONT.read(client, "arn") == {"Owner": "x"}
    tags.CLOUDFRONT.apply(client, "arn", {}, ["Owner"])
    client.untag_resource.assert_called_once_with(aws_retry=True, Resource="arn", TagKeys={"Items": ["Owner"]})


def test_elasticache_and_rds_add_and_remove_tags():
    client = MagicMock()

    tags.RDS.apply(client, "arn", {"Project": "web"}, ["Owner"])

    assert tags.RDS is tags.ELASTICACHE
    assert [name for name, _args, _kwargs in client.method_calls] == [
        "remove_tags_from_resource",
        "add_tags_to_resource",
    ]


def test_changes_read_nothing_when_tags_are_not_given():
    client = MagicMock()

    assert tags.ELASTICACHE.changes(client, "arn", None, True) == ({}, [])
    client.list_tags_for_resource.assert_not_called()
