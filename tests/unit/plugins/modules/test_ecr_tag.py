"""ecr_tag: create, no-op, update, purge, missing repository and check mode, with a stubbed ECR client."""

import pytest
from ansible_collections.appstack.cloud.plugins.modules import ecr_tag as mod

from tests.unit.conftest import FakeModule, client_error, run

ARN = "arn:aws:ecr:us-east-1:123456789012:repository/web-prod-backend"
URI = "123456789012.dkr.ecr.us-east-1.amazonaws.com/web-prod-backend"


def params(**overrides):
    base = {"repository_name": "web-prod-backend", "tags": {"Project": "web"}, "purge_tags": True}
    base.update(overrides)
    return base


def stub(client, tags=None, exists=True):
    if exists:
        client.describe_repositories.return_value = {
            "repositories": [{"repositoryArn": ARN, "repositoryUri": URI, "repositoryName": "web-prod-backend"}]
        }
    else:
        client.describe_repositories.side_effect = client_error(
            "RepositoryNotFoundException", "DescribeRepositories", "none"
        )
    client.list_tags_for_resource.return_value = {"tags": [{"Key": k, "Value": v} for k, v in (tags or {}).items()]}
    return client


@pytest.mark.parametrize(
    ("current", "changed", "tagged", "untagged"),
    [
        ({}, True, [{"Key": "Project", "Value": "web"}], None),
        ({"Project": "web"}, False, None, None),
        ({"Project": "web", "Owner": "x"}, True, None, ["Owner"]),
    ],
)
def test_apply(client, current, changed, tagged, untagged):
    stub(client, current)
    result = run(mod.ensure_tags, FakeModule(params()), client)
    assert not result.failed
    assert result.result["changed"] is changed
    assert result.result["repository_arn"] == ARN
    assert result.result["repository_uri"] == URI
    if tagged:
        client.tag_resource.assert_called_once_with(aws_retry=True, resourceArn=ARN, tags=tagged)
    else:
        client.tag_resource.assert_not_called()
    if untagged:
        client.untag_resource.assert_called_once_with(aws_retry=True, resourceArn=ARN, tagKeys=untagged)
    else:
        client.untag_resource.assert_not_called()


def test_check_mode_changes_nothing(client):
    stub(client, {"Owner": "x"})
    result = run(mod.ensure_tags, FakeModule(params(), check_mode=True), client)
    assert result.result["changed"] is True
    assert result.result["tags"] == {"Project": "web"}
    client.tag_resource.assert_not_called()
    client.untag_resource.assert_not_called()


@pytest.mark.parametrize(("check_mode", "failed"), [(True, False), (False, True)])
def test_missing_repository(client, check_mode, failed):
    stub(client, exists=False)
    result = run(mod.ensure_tags, FakeModule(params(), check_mode=check_mode), client)
    assert result.failed is failed
    if failed:
        assert "does not exist" in result.result["msg"]
    else:
        assert result.result == {
            "changed": True,
            "exists": False,
            "repository_arn": "",
            "repository_uri": "",
            "tags": {},
        }
