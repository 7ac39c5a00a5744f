#!/usr/bin/python
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: ecs_fargate_task_definition
short_description: Register a Fargate task definition revision only when it differs
version_added: 0.1.0
description:
  - Registers a revision of an ECS task definition family for Fargate (C(awsvpc) networking)
    unless an ACTIVE revision already has exactly these settings, in which case that revision
    is returned and nothing changes. Redeploying the same image is therefore a no-op.
  - community.aws.ecs_taskdefinition ignores CPU, memory, the execution role and tags when it
    looks for a matching revision, and matches the oldest one; this module compares every
    setting it manages and prefers the newest matching revision.
  - Container definitions are compared after AWS's defaults are filled in (essential, cpu 0,
    port mapping protocol and host port, empty lists), and lists whose order AWS does not keep
    (environment, secrets, port mappings, mount points, volumes) are compared as sets. Keys a
    container definition does not name are not compared.
  - C(state=absent) deregisters every ACTIVE revision of the family and, with I(delete), asks
    ECS to delete the INACTIVE ones.
options:
  state:
    description: Whether the family should have an ACTIVE revision like this one.
    type: str
    choices: [present, absent]
    default: present
  family:
    description: Task definition family.
    type: str
    required: true
  containers:
    description: Container definitions as the ECS API takes them (camelCase keys); required without I(base).
    type: list
    elements: dict
    default: []
  cpu:
    description: Task CPU units (Fargate sizes, e.g. C(256), C(512), C(1024)); required without I(base).
    type: str
  memory:
    description: Task memory in MiB (a size Fargate allows for the CPU); required without I(base).
    type: str
  execution_role_arn:
    description: Role ECS uses to pull the image, write logs and read the secrets.
    type: str
    default: ""
  task_role_arn:
    description: Role the application's own AWS calls use.
    type: str
    default: ""
  volumes:
    description: Task volumes as the ECS API takes them, e.g. C([{name = tmp}]) for task storage.
    type: list
    elements: dict
    default: []
  runtime_platform:
    description: CPU architecture and operating system family, e.g. C({cpuArchitecture = ARM64}).
    type: dict
  tags:
    description: Tags of the revision (set on a matching revision too).
    type: dict
    default: {}
  delete:
    description: With C(state=absent), also delete the INACTIVE revisions (DeleteTaskDefinitions).
    type: bool
    default: true
  base:
    description:
      - ARN (or C(family:revision)) of a revision to start from, e.g. the one a service runs.
        Its settings are used where the other options are not given; with I(image_tags), a
        deploy registers the same revision with a new image tag.
    type: str
  image_tags:
    description:
      - Container name to image tag. The tag of that container's image (from I(containers) or
        I(base)) is replaced; the repository stays.
    type: dict
    default: {}
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Register the API's task definition (a no-op when an ACTIVE revision matches)
  appstack.cloud.ecs_fargate_task_definition:
    family: civstart-prod-api
    cpu: "512"
    memory: "1024"
    execution_role_arn: "{{ execution_role_arn }}"
    task_role_arn: "{{ task_role_arn }}"
    volumes: [{name: tmp}]
    containers:
      - name: api
        image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/civstart-prod-api:1.4.2
        portMappings: [{containerPort: 8080}]
        readonlyRootFilesystem: true
        mountPoints: [{sourceVolume: tmp, containerPath: /tmp}]
  register: task_definition

- name: Deploy tag 1.4.3 - the running revision with a new image tag (a no-op when one matches)
  appstack.cloud.ecs_fargate_task_definition:
    family: civstart-prod-api
    base: "{{ service.task_definition }}"
    image_tags:
      api: 1.4.3

- name: Deregister and delete every revision
  appstack.cloud.ecs_fargate_task_definition:
    family: civstart-prod-api
    state: absent
"""

RETURN = r"""
task_definition_arn:
  description:
    - ARN of the matching or registered revision.
    - Empty in check mode when one would be registered, and when absent.
  returned: always
  type: str
  sample: arn:aws:ecs:us-east-1:123456789012:task-definition/civstart-prod-api:7
revision:
  description: Revision number of that revision (0 when none).
  returned: always
  type: int
task_definition:
  description: The revision as ECS describes it (camelCase keys, as the API has them).
  returned: when state=present and a revision matched or was registered
  type: dict
deregistered:
  description: ARNs of the revisions deregistered (state=absent).
  returned: always
  type: list
  elements: str
"""

import json
from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.appstack.cloud.plugins.module_utils.runner import ModuleError, ensure_state, run_module
from ansible_collections.appstack.cloud.plugins.module_utils.tags import ECS, tag_changes

# Lists whose order ECS does not keep (or that mean the same in any order).
SET_LIKE = {"environment", "secrets", "portMappings", "mountPoints", "ulimits", "volumesFrom", "volumes", "dependsOn"}
# Revisions examined for a match, newest first.
MATCH_LIMIT = 50


def _empty(value: Any) -> bool:
    return value is None or value is False or value == "" or value == [] or value == {}


def normalize(value: Any, key: str = "") -> Any:
    """A canonical form: empty values dropped, set-like lists sorted, scalars as ECS keeps them."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            nv = normalize(v, k)
            if not _empty(nv) and not (k == "cpu" and nv in (0, "0")):
                out[k] = nv
        return out
    if isinstance(value, list):
        items = [normalize(v) for v in value]
        if key in SET_LIKE:
            items.sort(key=lambda v: json.dumps(v, sort_keys=True, default=str))
        return items
    return value


def normalize_container(container: dict[str, Any]) -> dict[str, Any]:
    """A container definition with ECS's defaults filled in, in canonical form."""
    c = dict(container)
    mappings = []
    for mapping in c.get("portMappings") or []:
        m = dict(mapping)
        m["containerPort"] = int(m["containerPort"])
        m["hostPort"] = int(m.get("hostPort") or m["containerPort"])  # awsvpc: always the container port
        m.setdefault("protocol", "tcp")
        mappings.append(m)
    c["portMappings"] = mappings
    c["environment"] = [{"name": e["name"], "value": str(e["value"])} for e in c.get("environment") or []]
    for number in ("cpu", "memory", "memoryReservation", "stopTimeout", "startTimeout"):
        if c.get(number) is not None:
            c[number] = int(c[number])
    essential = c.pop("essential", True)
    out = normalize(c)
    out["essential"] = "yes" if essential in (None, True) else "no"
    return out


def with_tag(image: str, tag: str) -> str:
    """``image`` with its tag (or digest) replaced by ``tag``."""
    name = image.split("@", 1)[0]
    repository, _, last = name.rpartition("/")
    last = last.split(":", 1)[0]
    return f"{repository}/{last}:{tag}" if repository else f"{last}:{tag}"


def merged_params(client: Any, params: dict[str, Any]) -> dict[str, Any]:
    """The parameters with I(base)'s settings where they are not given, and I(image_tags) applied."""
    merged = dict(params)
    if params.get("base"):
        base, base_tags = describe(client, params["base"])
        if base.get("family") != params["family"]:
            raise ModuleError(f"base {params['base']} is not a revision of family {params['family']}")
        for param, key in (
            ("containers", "containerDefinitions"),
            ("cpu", "cpu"),
            ("memory", "memory"),
            ("execution_role_arn", "executionRoleArn"),
            ("task_role_arn", "taskRoleArn"),
            ("volumes", "volumes"),
            ("runtime_platform", "runtimePlatform"),
        ):
            if not merged.get(param):
                merged[param] = base.get(key)
        if not merged.get("tags"):
            merged["tags"] = base_tags
    containers = [dict(c) for c in merged.get("containers") or []]
    missing = sorted(set(params.get("image_tags") or {}) - {c.get("name") for c in containers})
    if missing:
        raise ModuleError(f"image_tags names containers the task definition does not have: {', '.join(missing)}")
    for container in containers:
        tag = (params.get("image_tags") or {}).get(container.get("name"))
        if tag:
            container["image"] = with_tag(container["image"], str(tag))
    merged["containers"] = containers
    return merged


def desired_definition(params: dict[str, Any]) -> dict[str, Any]:
    """The request RegisterTaskDefinition gets for these parameters."""
    request: dict[str, Any] = {
        "family": params["family"],
        "networkMode": "awsvpc",
        "requiresCompatibilities": ["FARGATE"],
        "containerDefinitions": params["containers"],
        "volumes": params["volumes"] or [],
    }
    for key, param in (
        ("cpu", "cpu"),
        ("memory", "memory"),
        ("executionRoleArn", "execution_role_arn"),
        ("taskRoleArn", "task_role_arn"),
        ("runtimePlatform", "runtime_platform"),
    ):
        if params.get(param):
            request[key] = str(params[param]) if key in ("cpu", "memory") else params[param]
    if params.get("tags"):
        request["tags"] = ECS.tag_list(params["tags"])
    return request


def comparable(definition: dict[str, Any]) -> dict[str, Any]:
    """What two revisions must share to count as the same."""
    containers = sorted(
        (normalize_container(c) for c in definition.get("containerDefinitions") or []), key=lambda c: c.get("name", "")
    )
    return {
        "family": definition.get("family"),
        "networkMode": definition.get("networkMode"),
        "requiresCompatibilities": sorted(definition.get("requiresCompatibilities") or []),
        "cpu": str(definition.get("cpu") or ""),
        "memory": str(definition.get("memory") or ""),
        "executionRoleArn": definition.get("executionRoleArn") or "",
        "taskRoleArn": definition.get("taskRoleArn") or "",
        "runtimePlatform": normalize(definition.get("runtimePlatform") or {}),
        "volumes": normalize(definition.get("volumes") or [], "volumes"),
        "containerDefinitions": containers,
    }


def active_arns(client: Any, family: str) -> list[str]:
    """ARNs of the family's ACTIVE revisions, newest first (familyPrefix also matches longer names)."""
    arns: list[str] = []
    paginator = client.get_paginator("list_task_definitions")
    for page in paginator.paginate(familyPrefix=family, status="ACTIVE", sort="DESC"):
        arns.extend(a for a in page.get("taskDefinitionArns", []) if a.rsplit("/", 1)[-1].rsplit(":", 1)[0] == family)
    return sorted(arns, key=revision_of, reverse=True)


def revision_of(arn: str) -> int:
    return int(arn.rsplit(":", 1)[-1])


def describe(client: Any, arn: str) -> tuple[dict[str, Any], dict[str, str]]:
    reply = client.describe_task_definition(aws_retry=True, taskDefinition=arn, include=["TAGS"])
    return reply["taskDefinition"], {t["key"]: t["value"] for t in reply.get("tags") or []}


def find_match(client: Any, desired: dict[str, Any]) -> tuple[dict[str, Any] | None, dict[str, str], int]:
    """The newest ACTIVE revision equal to ``desired``, its tags, and the newest revision number."""
    arns = active_arns(client, desired["family"])
    newest = revision_of(arns[0]) if arns else 0
    wanted = comparable(desired)
    for arn in arns[:MATCH_LIMIT]:
        definition, tags = describe(client, arn)
        if comparable(definition) == wanted:
            return definition, tags, newest
    return None, {}, newest


def sync_tags(client: Any, arn: str, current: dict[str, str], wanted: dict[str, Any], check_mode: bool) -> bool:
    to_set, to_remove = tag_changes(current, wanted or {})
    if not check_mode:
        ECS.apply(client, arn, to_set, to_remove)
    return bool(to_set or to_remove)


def ensure_present(client: Any, params: dict[str, Any], check_mode: bool) -> dict[str, Any]:
    params = merged_params(client, params)
    if not params["containers"] or not params["cpu"] or not params["memory"]:
        raise ModuleError("a task definition needs containers, cpu and memory (given or from base)")
    desired = desired_definition(params)
    match, tags, newest = find_match(client, desired)
    if match is not None:
        changed = sync_tags(client, match["taskDefinitionArn"], tags, params["tags"], check_mode)
        return {
            "changed": changed,
            "task_definition_arn": match["taskDefinitionArn"],
            "revision": match["revision"],
            "task_definition": match,
            "deregistered": [],
        }
    if check_mode:
        return {"changed": True, "task_definition_arn": "", "revision": newest + 1, "deregistered": []}
    registered = client.register_task_definition(aws_retry=True, **desired)["taskDefinition"]
    return {
        "changed": True,
        "task_definition_arn": registered["taskDefinitionArn"],
        "revision": registered["revision"],
        "task_definition": registered,
        "deregistered": [],
    }


def ensure_absent(client: Any, params: dict[str, Any], check_mode: bool) -> dict[str, Any]:
    arns = active_arns(client, params["family"])
    if not check_mode:
        for arn in arns:
            client.deregister_task_definition(aws_retry=True, taskDefinition=arn)
        if params["delete"] and arns:
            try:
                for start in range(0, len(arns), 10):  # the API takes ten at a time
                    client.delete_task_definitions(aws_retry=True, taskDefinitions=arns[start : start + 10])
            except is_boto3_error_code(["ClientException", "InvalidParameterException"]):
                pass  # deregistered revisions still count as removed; ECS may refuse to delete some yet
    return {"changed": bool(arns), "task_definition_arn": "", "revision": 0, "deregistered": arns}


def run(module: Any, client: Any) -> dict[str, Any]:
    try:
        return ensure_state(module, client, ensure_present, ensure_absent)
    except ValueError as e:  # a container setting that is not a number
        raise ModuleError(str(e)) from e


def main() -> None:
    module = AnsibleAWSModule(
        argument_spec=dict(
            state=dict(default="present", choices=["present", "absent"]),
            family=dict(required=True),
            containers=dict(type="list", elements="dict", default=[]),
            cpu=dict(type="str"),
            memory=dict(type="str"),
            execution_role_arn=dict(default=""),
            task_role_arn=dict(default=""),
            volumes=dict(type="list", elements="dict", default=[]),
            runtime_platform=dict(type="dict"),
            tags=dict(type="dict", default={}),
            delete=dict(type="bool", default=True),
            base=dict(),
            image_tags=dict(type="dict", default={}),
        ),
        supports_check_mode=True,
    )
    run_module(module, "ecs", run, f"Could not manage task definition family {module.params['family']}")


if __name__ == "__main__":
    main()
