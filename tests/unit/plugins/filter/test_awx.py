"""awx_objects: controller.yml's data expanded over the environments, as configure.yml sends it."""

import pytest
from ansible_collections.appstack.cloud.plugins.filter.awx import awx_objects, schedule_rrule, substitute, survey_spec

DATA = {
    "organization": {"name": "acme", "description": "d"},
    "project": {"name": "acme", "description": "p"},
    "execution_environment": {"name": "acme-ee", "pull": "missing"},
    "environments": [{"name": "dev"}, {"name": "prod", "description": "production"}],
    "credentials": {
        "aws": {
            "credential_type": "Amazon Web Services",
            "inputs": {},
            "secret_inputs": {"username": "X_<ENV>_ID", "password": "X_<ENV>_KEY"},
        },
        "vault": {
            "credential_type": "Vault",
            "inputs": {"vault_id": "<env>"},
            "secret_inputs": {"vault_password": "V_<ENV>"},
        },
    },
    "inventory_sources": {
        "repository": {"source": "scm", "source_path": "inventories/<env>/hosts.yml"},
        "aws_ec2": {"source": "ec2", "source_vars_file": "inventories/<env>/aws_ec2.yml", "credential": "aws"},
    },
    "job_templates": [
        {"name": "provision", "playbook": "site.yml", "description": "build <env>"},
        {
            "name": "deploy",
            "playbook": "playbooks/deploy.yml",
            "credentials": ["aws"],
            "limit": "stacks",
            "survey": [
                {"variable": "tag", "question_name": "Tag", "type": "text", "required": True, "min": 1, "max": 9}
            ],
        },
        {"name": "destroy", "playbook": "playbooks/destroy.yml", "extra_vars": {"appstack_protected": True}},
    ],
    "workflows": [
        {
            "name": "destroy",
            "nodes": [
                {"identifier": "approve", "approval": {"name": "Approve <env>", "timeout": 60}, "success": ["destroy"]},
                {"identifier": "destroy", "template": "destroy"},
            ],
        }
    ],
    "schedules": [
        {
            "name": "nightly",
            "template": "provision",
            "environments": ["prod"],
            "rrule": "DTSTART;TZID=UTC:20250101T000000 RRULE:FREQ=DAILY",
        }
    ],
    "notifications": [{"name": "fail", "notification_type": "webhook", "secret_configuration": {"url": "HOOK"}}],
}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("inventories/<env>/hosts.yml", "inventories/prod/hosts.yml"),
        ("APPSTACK_<ENV>_KEY", "APPSTACK_PROD_KEY"),
        ({"a": ["<env>", 1, True]}, {"a": ["prod", 1, True]}),
        (None, None),
    ],
)
def test_substitute(value, expected):
    assert substitute(value, "prod") == expected


def test_every_environment_gets_every_object():
    objects = awx_objects(DATA)
    assert objects["environments"] == ["dev", "prod"]
    assert [i["name"] for i in objects["inventories"]] == ["acme-dev", "acme-prod"]
    assert [t["name"] for t in objects["job_templates"]] == [
        "acme-dev provision",
        "acme-dev deploy",
        "acme-dev destroy",
        "acme-prod provision",
        "acme-prod deploy",
        "acme-prod destroy",
    ]
    assert [c["name"] for c in objects["credentials"]] == [
        "acme-dev aws",
        "acme-dev vault",
        "acme-prod aws",
        "acme-prod vault",
    ]


def test_references_resolve_to_full_names():
    objects = awx_objects(DATA)
    provision, deploy = objects["job_templates"][3], objects["job_templates"][4]
    assert provision["credentials"] == ["acme-prod aws", "acme-prod vault"]  # the default pair
    assert provision["description"] == "build prod"
    assert deploy["credentials"] == ["acme-prod aws"]
    assert deploy["inventory"] == "acme-prod"
    assert deploy["limit"] == "stacks"
    ec2 = next(s for s in objects["inventory_sources"] if s["name"] == "acme-prod aws_ec2")
    assert ec2["credential"] == "acme-prod aws"
    assert ec2["source_vars_file"] == "inventories/prod/aws_ec2.yml"
    scm = next(s for s in objects["inventory_sources"] if s["name"] == "acme-prod repository")
    assert scm["source_project"] == "acme"
    assert "credential" not in scm


def test_secret_inputs_stay_names_of_environment_variables():
    vault = next(c for c in awx_objects(DATA)["credentials"] if c["name"] == "acme-prod vault")
    assert vault["inputs"] == {"vault_id": "prod"}
    assert vault["secret_inputs"] == {"vault_password": "V_PROD"}


def test_survey_spec_is_in_awx_form():
    spec = survey_spec([{"variable": "tag", "question_name": "Tag", "type": "text", "min": 1, "max": 9}], "T")
    assert spec == {
        "name": "T",
        "description": "",
        "spec": [
            {
                "question_name": "Tag",
                "question_description": "",
                "variable": "tag",
                "type": "text",
                "required": False,
                "min": 1,
                "max": 9,
                "default": "",
            }
        ],
    }
    assert survey_spec([], "T") == {}


def test_workflow_nodes_are_in_the_modules_form():
    workflow = awx_objects(DATA)["workflows"][1]
    assert workflow["name"] == "acme-prod destroy"
    assert workflow["has_approval"] is True
    approve, destroy = workflow["nodes"]
    assert approve["unified_job_template"] == {
        "name": "Approve prod",
        "description": "",
        "timeout": 60,
        "type": "workflow_approval",
    }
    assert approve["related"]["success_nodes"] == [{"identifier": "destroy"}]
    assert destroy["unified_job_template"] == {
        "name": "acme-prod destroy",
        "type": "job_template",
        "organization": {"name": "acme"},
    }


def test_approval_nodes_and_links_are_apart_from_the_template_nodes():
    objects = awx_objects(DATA)
    workflow = objects["workflows"][1]
    assert workflow["template_nodes"] == [
        {
            "identifier": "destroy",
            "unified_job_template": {
                "name": "acme-prod destroy",
                "type": "job_template",
                "organization": {"name": "acme"},
            },
        }
    ]
    assert objects["approval_nodes"] == [
        {
            "workflow": "acme-dev destroy",
            "identifier": "approve",
            "name": "Approve dev",
            "description": "",
            "timeout": 60,
        },
        {
            "workflow": "acme-prod destroy",
            "identifier": "approve",
            "name": "Approve prod",
            "description": "",
            "timeout": 60,
        },
    ]
    assert objects["workflow_links"][2:] == [
        {
            "workflow": "acme-prod destroy",
            "identifier": "approve",
            "success_nodes": ["destroy"],
            "failure_nodes": [],
            "always_nodes": [],
        },
        {
            "workflow": "acme-prod destroy",
            "identifier": "destroy",
            "success_nodes": [],
            "failure_nodes": [],
            "always_nodes": [],
        },
    ]


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (
            "DTSTART;TZID=UTC:20250101T000000 RRULE:FREQ=DAILY;INTERVAL=1",
            "DTSTART;TZID=UTC:20250101T000000 RRULE:FREQ=DAILY;INTERVAL=1",
        ),
        (
            {"frequency": "day", "start_date": "2025-01-06 02:00:00", "timezone": "UTC", "every": 1},
            "DTSTART;TZID=UTC:20250106T020000 RRULE:FREQ=DAILY;INTERVAL=1",
        ),
        (
            {
                "frequency": "week",
                "start_date": "2025-01-06 06:00:00",
                "timezone": "Europe/Paris",
                "every": 2,
                "on_days": "monday,friday",
            },
            "DTSTART;TZID=Europe/Paris:20250106T060000 RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR",
        ),
    ],
)
def test_schedule_rrule_is_built_by_the_awx_lookup(rule, expected):
    assert schedule_rrule(rule) == expected


def test_schedules_run_in_the_environments_they_name():
    (schedule,) = awx_objects(DATA)["schedules"]
    assert schedule["name"] == "acme-prod nightly"
    assert schedule["unified_job_template"] == "acme-prod provision"
    assert schedule["extra_data"] == {}
    assert "environments" not in schedule


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"schedules": [{**DATA["schedules"][0], "template": "nope"}]}, "unknown template 'nope'"),
        ({"schedules": [{**DATA["schedules"][0], "environments": ["qa"]}]}, "unknown template 'provision'"),
        (
            {"workflows": [{"name": "w", "nodes": [{"identifier": "a", "template": "nope"}]}]},
            "unknown job template 'acme-dev nope'",
        ),
        (
            {"workflows": [{"name": "w", "nodes": [{"identifier": "a", "template": "provision", "success": ["b"]}]}]},
            r"links 'a' to unknown nodes \['b'\]",
        ),
    ],
)
def test_unknown_references_are_refused(change, message):
    with pytest.raises(ValueError, match=message):
        awx_objects({**DATA, **change})
