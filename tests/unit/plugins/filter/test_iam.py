"""iam filters: role checks, least-privilege guard, and policy documents."""

import pytest
from ansible.errors import AnsibleFilterError
from ansible_collections.appstack.cloud.plugins.filter.iam import (
    iam_policy_document,
    iam_role_problems,
    iam_trust_policy,
)

REPO = "arn:aws:ecr:us-east-1:123456789012:repository/web-prod-backend"
SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:web/prod/db-AbCdEf"
ARNS = {"ecr_repository": {"backend": REPO}, "secret": {"db": SECRET, "api_key": SECRET + "2"}}
WILDCARD = ["ecr:GetAuthorizationToken"]


def role(*statements, **overrides):
    base = {
        "name": "instance",
        "trust_service": "ec2.amazonaws.com",
        "instance_profile": True,
        "managed_policy_arns": ["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"],
        "statements": list(statements),
    }
    base.update(overrides)
    return base


def problems(*statements, arns=ARNS, pending=False, **overrides):
    return iam_role_problems([role(*statements, **overrides)], arns, WILDCARD, "web-prod", pending)


def test_instance_role_is_sound():
    assert (
        problems(
            {"sid": "Pull", "actions": ["ecr:BatchGetImage"], "resources_from": ["ecr_repository:backend"]},
            {"sid": "Login", "actions": ["ecr:GetAuthorizationToken"], "resources": ["*"]},
            {"actions": ["secretsmanager:GetSecretValue"], "resources_from": ["secret:*"]},
        )
        == []
    )


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ({"actions": ["s3:GetObject"], "resources": ["*"]}, "grants s3:GetObject on '*'"),
        (
            {"actions": ["ecr:GetAuthorizationToken", "ecr:BatchGetImage"], "resources": "*"},
            "grants ecr:BatchGetImage on '*'",
        ),
        ({"actions": ["*"], "resources": [REPO]}, "'*' is not a service:Action"),
        ({"actions": ["GetObject"], "resources": [REPO]}, "is not a service:Action"),
        ({"actions": [], "resources": [REPO]}, "has no actions"),
        ({"actions": ["s3:GetObject"]}, "names no resources"),
        ({"actions": ["s3:GetObject"], "resources_from": ["secret:nope"]}, "no secret named 'nope'"),
        ({"actions": ["s3:GetObject"], "resources_from": ["bucket:x"]}, "names kind 'bucket'"),
        ({"actions": ["s3:GetObject"], "resources_from": ["secret"]}, "is not <kind>:<name>"),
        ({"sid": "no-dash", "actions": ["s3:GetObject"], "resources": [REPO]}, "letters and digits"),
        ({"effect": "Maybe", "actions": ["s3:GetObject"], "resources": [REPO]}, "Allow or Deny"),
        ({"action": ["s3:GetObject"], "resources": [REPO]}, "unknown key 'action'"),
        ("x", "must be a mapping"),
    ],
)
def test_statement_problems(statement, expected):
    found = problems(statement)
    assert any(expected in p for p in found), found


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"name": "bad name"}, "name must be letters"),
        ({"name": "x" * 60}, "longer than 64 characters"),
        ({"trust_service": "ec2"}, "must be a service principal"),
        ({"trust_service": None}, "must be a service principal"),
        ({"managed_policy_arns": ["AmazonSSMManagedInstanceCore"]}, "is not a policy ARN"),
        ({"statements": "x"}, "statements must be a list"),
        ({"inline": []}, "unknown key 'inline'"),
    ],
)
def test_role_problems(overrides, expected):
    found = problems(**overrides)
    assert any(expected in p for p in found), found


def test_duplicate_roles_and_wrong_shapes():
    assert "must be a list" in iam_role_problems("x")[0]
    assert "must be a mapping" in iam_role_problems(["x"])[0]
    dupes = iam_role_problems([role(), role()], ARNS, WILDCARD, "web-prod")
    assert any("used twice" in p for p in dupes)


@pytest.mark.parametrize(("pending", "count"), [(True, 0), (False, 1)])
def test_pending_arns_are_allowed_only_in_check_mode(pending, count):
    arns = {"secret": {"db": ""}, "ecr_repository": {}}
    statement = {"actions": ["secretsmanager:GetSecretValue"], "resources_from": ["secret:db"]}
    found = problems(statement, arns=arns, pending=pending)
    assert len(found) == count
    if count:
        assert "has no ARN yet" in found[0]


def test_policy_document_resolves_references():
    document = iam_policy_document(
        [
            {
                "sid": "Pull",
                "actions": ["ecr:BatchGetImage", "ecr:BatchGetImage"],
                "resources_from": ["ecr_repository:backend"],
            },
            {"sid": "Login", "actions": ["ecr:GetAuthorizationToken"], "resources": ["*"]},
            {
                "actions": ["secretsmanager:GetSecretValue"],
                "resources_from": ["secret:*"],
                "conditions": {"Bool": {"aws:SecureTransport": "true"}},
            },
        ],
        ARNS,
    )
    assert document == {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "Pull", "Effect": "Allow", "Action": ["ecr:BatchGetImage"], "Resource": [REPO]},
            {"Sid": "Login", "Effect": "Allow", "Action": ["ecr:GetAuthorizationToken"], "Resource": "*"},
            {
                "Effect": "Allow",
                "Action": ["secretsmanager:GetSecretValue"],
                "Resource": sorted([SECRET, SECRET + "2"]),
                "Condition": {"Bool": {"aws:SecureTransport": "true"}},
            },
        ],
    }


def test_policy_document_drops_what_is_not_created_yet():
    arns = {"secret": {"db": ""}, "ecr_repository": {"backend": REPO}}
    document = iam_policy_document(
        [
            {"actions": ["secretsmanager:GetSecretValue"], "resources_from": ["secret:db"]},
            {"actions": ["ecr:BatchGetImage"], "resources_from": ["ecr_repository:backend", "secret:db"]},
        ],
        arns,
    )
    assert document["Statement"] == [{"Effect": "Allow", "Action": ["ecr:BatchGetImage"], "Resource": [REPO]}]


@pytest.mark.parametrize("statements", [None, []])
def test_empty_policy_document(statements):
    assert iam_policy_document(statements, ARNS) == {"Version": "2012-10-17", "Statement": []}


def test_policy_document_rejects_unknown_references():
    with pytest.raises(AnsibleFilterError, match="no secret named 'nope'"):
        iam_policy_document([{"actions": ["a:B"], "resources_from": ["secret:nope"]}], ARNS)


@pytest.mark.parametrize("service", ["ec2.amazonaws.com", "ecs-tasks.amazonaws.com"])
def test_trust_policy(service):
    statement = iam_trust_policy(service)["Statement"][0]
    assert statement == {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}
