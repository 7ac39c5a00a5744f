# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters for the aws_iam role: check roles described as data and build their policies.

A role's inline statements name their resources either literally (resources) or through
references to other roles' outputs (resources_from: ["secret:mongodb_url",
"ecr_repository:backend", "secret:*"]), resolved against the ARN maps the wiring passes in
(e.g. {"secret": aws_secrets_arns, "ecr_repository": aws_ecr_repository_arns}). A statement
may grant on "*" only actions that AWS cannot scope to a resource (the allow-list), so a
policy never says "*" where an ARN can be named.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from ansible.errors import AnsibleFilterError
from ansible_collections.appstack.cloud.plugins.module_utils.data import as_list, named_mappings

DOCUMENTATION = r"""
name: iam_role_problems
short_description: List what is wrong with IAM roles described as data
description:
  - Returns one line per problem (empty when the roles are sound). iam_policy_document builds
    a role's inline policy from its statements; iam_trust_policy builds its trust policy.
"""

ROLE_NAME = re.compile(r"^[A-Za-z0-9+=,.@_-]+$")
ACTION = re.compile(r"^[a-z0-9-]+:[A-Za-z0-9*]+$")
SERVICE = re.compile(r"^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$")
SID = re.compile(r"^[A-Za-z0-9]+$")
ROLE_KEYS = {
    "name",
    "description",
    "trust_service",
    "instance_profile",
    "managed_policy_arns",
    "statements",
    "max_session_duration",
}
STATEMENT_KEYS = {"sid", "effect", "actions", "resources", "resources_from", "conditions"}


def _resolve(ref: str, arn_maps: Mapping[str, Mapping[str, str]]) -> tuple[list[str], str | None]:
    """ARNs a reference names, and a problem (or None). Empty ARNs (not created yet) are kept."""
    kind, sep, key = str(ref).partition(":")
    if not sep or not kind or not key:
        return [], f"'{ref}' is not <kind>:<name> (e.g. secret:mongodb_url)"
    if kind not in arn_maps:
        return [], f"'{ref}' names kind '{kind}'; known kinds: {', '.join(sorted(arn_maps)) or 'none'}"
    arns = arn_maps[kind] or {}
    if key == "*":
        return [str(v) for _, v in sorted(arns.items())], None
    if key not in arns:
        known = ", ".join(sorted(arns)) or "none"
        return [], f"'{ref}': no {kind} named '{key}' in this stack (known: {known})"
    return [str(arns[key])], None


def _statement_problems(
    where: str,
    statement: Any,
    arn_maps: Mapping[str, Mapping[str, str]],
    wildcard_actions: set[str],
    allow_pending: bool,
) -> list[str]:
    if not isinstance(statement, Mapping):
        return [f"{where} must be a mapping (sid, actions, resources or resources_from)"]
    problems = [f"{where} has an unknown key '{k}'" for k in statement if k not in STATEMENT_KEYS]
    sid = statement.get("sid")
    if sid is not None and not SID.match(str(sid)):
        problems.append(f"{where}.sid '{sid}' must be letters and digits only")
    if statement.get("effect", "Allow") not in ("Allow", "Deny"):
        problems.append(f"{where}.effect must be Allow or Deny")
    actions = [str(a) for a in as_list(statement.get("actions"))]
    if not actions:
        problems.append(f"{where} has no actions")
    for action in actions:
        if action == "*" or not ACTION.match(action):
            problems.append(f"{where}: '{action}' is not a service:Action name (no bare '*')")
    resources = [str(r) for r in as_list(statement.get("resources"))]
    for ref in as_list(statement.get("resources_from")):
        arns, problem = _resolve(ref, arn_maps)
        if problem:
            problems.append(f"{where}.resources_from {problem}")
        for arn in arns:
            if arn:
                resources.append(arn)
            elif not allow_pending:
                problems.append(f"{where}.resources_from '{ref}' has no ARN yet (its role has not run)")
    if not resources and not as_list(statement.get("resources_from")):
        problems.append(f"{where} names no resources (resources or resources_from)")
    if "*" in resources:
        broad = sorted(a for a in actions if a not in wildcard_actions)
        if broad:
            problems.append(
                f"{where} grants {', '.join(broad)} on '*': name the ARNs (resources or "
                "resources_from); only actions AWS cannot scope to a resource may use '*' "
                "(aws_iam_wildcard_actions)"
            )
    return problems


def iam_role_problems(
    roles: Any,
    arn_maps: Mapping[str, Mapping[str, str]] | None = None,
    wildcard_actions: Iterable[str] = (),
    name_prefix: str = "",
    allow_pending: bool = False,
) -> list[str]:
    """Every problem in the roles' data, one line each; an empty list means it is sound.

    allow_pending (check mode) accepts references whose ARN is still empty because the role
    that makes it only planned it.
    """
    if not isinstance(roles, list):
        return ["the IAM roles must be a list of {name, trust_service, ...}"]
    arn_maps = arn_maps or {}
    allowed = set(wildcard_actions)
    problems: list[str] = []
    seen: set[str] = set()
    for name, where, role in named_mappings(roles, "role", "name and trust_service", problems):
        problems.extend(f"{where} has an unknown key '{k}'" for k in role if k not in ROLE_KEYS)
        full = f"{name_prefix}-{name}" if name_prefix else name
        if not name or not ROLE_NAME.match(name):
            problems.append(f"{where}: name must be letters, digits and +=,.@_-")
        elif len(full) > 64:
            problems.append(f"{where}: the role name {full} is longer than 64 characters")
        if name in seen:
            problems.append(f"{where}: the name is used twice")
        seen.add(name)
        if not SERVICE.match(str(role.get("trust_service") or "")):
            problems.append(f"{where}.trust_service must be a service principal, e.g. ec2.amazonaws.com")
        for arn in as_list(role.get("managed_policy_arns")):
            if not str(arn).startswith("arn:") or ":policy/" not in str(arn):
                problems.append(f"{where}.managed_policy_arns '{arn}' is not a policy ARN")
        statements = role.get("statements") or []
        if not isinstance(statements, list):
            problems.append(f"{where}.statements must be a list")
            continue
        for s_index, statement in enumerate(statements):
            problems.extend(
                _statement_problems(f"{where} statements[{s_index}]", statement, arn_maps, allowed, allow_pending)
            )
    return problems


def iam_policy_document(statements: Any, arn_maps: Mapping[str, Mapping[str, str]] | None = None) -> dict[str, Any]:
    """The inline policy document for a role's statements.

    References resolve through arn_maps; ARNs not created yet (empty, in check mode) are left
    out, and a statement left with no resource is dropped.
    """
    arn_maps = arn_maps or {}
    document: list[dict[str, Any]] = []
    for statement in statements or []:
        resources = [str(r) for r in as_list(statement.get("resources"))]
        for ref in as_list(statement.get("resources_from")):
            arns, problem = _resolve(ref, arn_maps)
            if problem:
                raise AnsibleFilterError(problem)
            resources.extend(a for a in arns if a)
        if not resources:
            continue
        rendered: dict[str, Any] = {}
        if statement.get("sid"):
            rendered["Sid"] = str(statement["sid"])
        rendered["Effect"] = statement.get("effect", "Allow")
        rendered["Action"] = sorted({str(a) for a in as_list(statement["actions"])})
        unique = sorted(set(resources))
        rendered["Resource"] = unique[0] if unique == ["*"] else unique
        if statement.get("conditions"):
            rendered["Condition"] = statement["conditions"]
        document.append(rendered)
    return {"Version": "2012-10-17", "Statement": document}


def iam_trust_policy(service: str) -> dict[str, Any]:
    """The trust policy that lets one AWS service assume the role."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": str(service)},
                "Action": "sts:AssumeRole",
            }
        ],
    }


class FilterModule:
    def filters(self) -> dict[str, Any]:
        return {
            "iam_role_problems": iam_role_problems,
            "iam_policy_document": iam_policy_document,
            "iam_trust_policy": iam_trust_policy,
        }
