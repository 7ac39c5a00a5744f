# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Turns awx/controller.yml into the AWX objects awx/configure.yml creates.

controller.yml describes job templates, workflows, credentials and inventory sources once;
awx_objects expands them over the environments, names them "<organization>-<env> <short
name>", replaces the <env> and <ENV> placeholders, and resolves every reference (credential,
inventory, job template) to the full name AWX knows. tests/awx checks the same expansion.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

DOCUMENTATION = r"""
name: awx_objects
short_description: Expand awx/controller.yml into AWX objects, one set per environment
description:
  - Takes the data of awx/controller.yml (keys without the appstack_awx_ prefix) and returns the
    objects awx/configure.yml creates, each list in the order AWX needs them.
  - Secret inputs stay names of environment variables; configure.yml reads their values.
"""

DEFAULT_CREDENTIALS = ("aws", "vault")
LINKS = ("success_nodes", "failure_nodes", "always_nodes")
SURVEY_KEYS = ("question_name", "question_description", "variable", "type", "required", "min", "max", "choices")


def substitute(value: Any, environment: str) -> Any:
    """value with <env> and <ENV> replaced by the environment's name (and it in capitals)."""
    if isinstance(value, str):
        return value.replace("<env>", environment).replace("<ENV>", environment.upper())
    if isinstance(value, Mapping):
        return {key: substitute(item, environment) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [substitute(item, environment) for item in value]
    return copy.deepcopy(value)


def object_name(organization: str, environment: str, short_name: str) -> str:
    """The name AWX shows for an environment's object, e.g. "appstack-prod deploy"."""
    return f"{organization}-{environment} {short_name}"


def inventory_name(organization: str, environment: str) -> str:
    return f"{organization}-{environment}"


def survey_spec(questions: list[Mapping[str, Any]] | None, title: str) -> dict[str, Any]:
    """AWX's survey_spec for a list of questions ({} for none)."""
    if not questions:
        return {}
    spec = []
    for question in questions:
        entry = {key: question[key] for key in SURVEY_KEYS if key in question}
        entry.setdefault("question_description", "")
        entry.setdefault("required", False)
        entry["default"] = question.get("default", "")
        spec.append(entry)
    return {"name": title, "description": "", "spec": spec}


def _credentials(data: Mapping[str, Any], organization: str, environment: str) -> list[dict[str, Any]]:
    return [
        {
            "name": object_name(organization, environment, short),
            "short_name": short,
            "environment": environment,
            "organization": organization,
            "credential_type": spec["credential_type"],
            "description": substitute(spec.get("description", ""), environment),
            "inputs": substitute(spec.get("inputs") or {}, environment),
            "secret_inputs": substitute(spec.get("secret_inputs") or {}, environment),
        }
        for short, spec in (data.get("credentials") or {}).items()
    ]


def _inventory_sources(
    data: Mapping[str, Any], organization: str, environment: str, project: str
) -> list[dict[str, Any]]:
    sources = []
    for short, spec in (data.get("inventory_sources") or {}).items():
        source = substitute(dict(spec), environment)
        source["name"] = object_name(organization, environment, short)
        source["short_name"] = short
        source["environment"] = environment
        source["inventory"] = inventory_name(organization, environment)
        source.setdefault("description", "")
        if source.get("credential"):
            source["credential"] = object_name(organization, environment, source["credential"])
        if source["source"] == "scm":
            source["source_project"] = project
        sources.append(source)
    return sources


def _job_templates(data: Mapping[str, Any], organization: str, environment: str, project: str) -> list[dict]:
    templates = []
    for spec in data.get("job_templates") or []:
        spec = substitute(spec, environment)
        name = object_name(organization, environment, spec["name"])
        templates.append(
            {
                "name": name,
                "short_name": spec["name"],
                "environment": environment,
                "organization": organization,
                "description": spec.get("description", ""),
                "project": project,
                "playbook": spec["playbook"],
                "inventory": inventory_name(organization, environment),
                "credentials": [
                    object_name(organization, environment, short)
                    for short in spec.get("credentials", DEFAULT_CREDENTIALS)
                ],
                "extra_vars": spec.get("extra_vars") or {},
                "limit": spec.get("limit", ""),
                "survey_spec": survey_spec(spec.get("survey"), name),
            }
        )
    return templates


def _node(node: Mapping[str, Any], organization: str, environment: str) -> dict[str, Any]:
    """One node in the form of awx.awx.workflow_job_template's workflow_nodes."""
    if "approval" in node:
        approval = node["approval"]
        template = {
            "name": approval["name"],
            "description": approval.get("description", ""),
            "timeout": approval.get("timeout", 0),
            "type": "workflow_approval",
        }
    else:
        template = {
            "name": object_name(organization, environment, node["template"]),
            "type": "job_template",
            "organization": {"name": organization},
        }
    return {
        "identifier": node["identifier"],
        "unified_job_template": template,
        "related": {
            "success_nodes": [{"identifier": name} for name in node.get("success", [])],
            "failure_nodes": [{"identifier": name} for name in node.get("failure", [])],
            "always_nodes": [{"identifier": name} for name in node.get("always", [])],
        },
    }


def _workflows(data: Mapping[str, Any], organization: str, environment: str) -> list[dict[str, Any]]:
    """Each workflow, with its graph three ways: nodes (the whole graph in the form of
    workflow_job_template's workflow_nodes), template_nodes (the job template nodes without
    links, which that module creates idempotently), approval_nodes and links (for
    workflow_job_template_node: an approval through workflow_nodes is changed on every run,
    because the module compares the node's identifier with the approval template, which has none).
    """
    workflows = []
    for spec in data.get("workflows") or []:
        spec = substitute(spec, environment)
        name = object_name(organization, environment, spec["name"])
        nodes = [_node(node, organization, environment) for node in spec["nodes"]]
        workflows.append(
            {
                "name": name,
                "short_name": spec["name"],
                "environment": environment,
                "organization": organization,
                "description": spec.get("description", ""),
                "inventory": inventory_name(organization, environment),
                "survey_spec": survey_spec(spec.get("survey"), name),
                "has_approval": any("approval" in node for node in spec["nodes"]),
                "templates": [node["template"] for node in spec["nodes"] if "template" in node],
                "nodes": nodes,
                "template_nodes": [
                    {"identifier": node["identifier"], "unified_job_template": node["unified_job_template"]}
                    for node in nodes
                    if node["unified_job_template"]["type"] != "workflow_approval"
                ],
                "approval_nodes": [
                    {
                        "workflow": name,
                        "identifier": node["identifier"],
                        "name": node["approval"]["name"],
                        "description": node["approval"].get("description", ""),
                        "timeout": node["approval"].get("timeout", 0),
                    }
                    for node in spec["nodes"]
                    if "approval" in node
                ],
                "links": [
                    {
                        "workflow": name,
                        "identifier": node["identifier"],
                        **{kind: [n["identifier"] for n in node["related"][kind]] for kind in LINKS},
                    }
                    for node in nodes
                ],
            }
        )
    return workflows


def schedule_rrule(rule: str | Mapping[str, Any]) -> str:
    """AWX's rrule string of a schedule: given as such, or as the options of the
    awx.awx.schedule_rrule lookup (frequency, start_date, timezone, every, on_days, ...), which
    builds it. The lookup's builder is called directly: awx.awx 24.6.1's lookup returns a string
    where ansible-core 2.19 requires a list, so lookup('awx.awx.schedule_rrule', ...) fails
    there (fixed upstream after 24.6.1)."""
    if isinstance(rule, str):
        return rule
    from ansible_collections.awx.awx.plugins.lookup.schedule_rrule import LookupModule  # needs pytz

    options = {key: value for key, value in rule.items() if key != "frequency"}
    return LookupModule().get_rrule(rule["frequency"], options)


def _schedules(data: Mapping[str, Any], organization: str, names: set[str]) -> list[dict[str, Any]]:
    schedules = []
    for spec in data.get("schedules") or []:
        for environment in spec["environments"]:
            template = object_name(organization, environment, spec["template"])
            if template not in names:
                raise ValueError(f"schedule {spec['name']!r} names unknown template {spec['template']!r}")
            entry = substitute({key: value for key, value in spec.items() if key != "environments"}, environment)
            entry.update(
                {
                    "rrule": schedule_rrule(entry["rrule"]),
                    "name": object_name(organization, environment, spec["name"]),
                    "environment": environment,
                    "unified_job_template": template,
                    "extra_data": entry.get("extra_data") or {},
                    "description": entry.get("description", ""),
                }
            )
            schedules.append(entry)
    return schedules


def awx_objects(data: Mapping[str, Any]) -> dict[str, Any]:
    """Every AWX object of controller.yml, expanded over its environments."""
    organization = data["organization"]["name"]
    project = data["project"]["name"]
    environments = [env["name"] for env in data["environments"]]
    result: dict[str, Any] = {
        "organization": dict(data["organization"]),
        "project": {**data["project"], "organization": organization},
        "execution_environment": {**data["execution_environment"], "organization": organization},
        "notifications": [
            {**spec, "organization": organization, "secret_configuration": spec.get("secret_configuration") or {}}
            for spec in data.get("notifications") or []
        ],
        "environments": environments,
        "inventories": [],
        "credentials": [],
        "inventory_sources": [],
        "job_templates": [],
        "workflows": [],
    }
    for env in data["environments"]:
        name = env["name"]
        result["inventories"].append(
            {
                "name": inventory_name(organization, name),
                "environment": name,
                "organization": organization,
                "description": env.get("description", ""),
                "directory": f"inventories/{name}",
            }
        )
        result["credentials"].extend(_credentials(data, organization, name))
        result["inventory_sources"].extend(_inventory_sources(data, organization, name, project))
        result["job_templates"].extend(_job_templates(data, organization, name, project))
        result["workflows"].extend(_workflows(data, organization, name))
    templates = {template["name"] for template in result["job_templates"]}
    for workflow in result["workflows"]:
        for node in workflow["nodes"]:
            target = node["unified_job_template"]
            if target["type"] == "job_template" and target["name"] not in templates:
                raise ValueError(f"workflow {workflow['name']!r} names unknown job template {target['name']!r}")
        identifiers = {node["identifier"] for node in workflow["nodes"]}
        for link in workflow["links"]:
            unknown = sorted({i for kind in LINKS for i in link[kind]} - identifiers)
            if unknown:
                raise ValueError(
                    f"workflow {workflow['name']!r} links {link['identifier']!r} to unknown nodes {unknown}"
                )
    # Flat lists for configure.yml's loops, in order: the approvals, then every node's links.
    result["approval_nodes"] = [node for workflow in result["workflows"] for node in workflow["approval_nodes"]]
    result["workflow_links"] = [link for workflow in result["workflows"] for link in workflow["links"]]
    result["schedules"] = _schedules(data, organization, templates)
    return result


class FilterModule:
    def filters(self) -> dict[str, Any]:
        return {"awx_objects": awx_objects}
