# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters that turn an inventory's stack settings into checked stack definitions.

validate.yml calls stack_problems before any AWS call, so bad input stops the run with one
line per problem and nothing is created; resolve_stacks then merges each enabled stack's
environment overrides over the shared catalogue.
"""

from __future__ import annotations

import contextlib
import ipaddress
from collections.abc import Mapping
from typing import Any

from ansible_collections.appstack.cloud.plugins.module_utils.data import deep_merge

DOCUMENTATION = r"""
name: stack_problems
short_description: List what is wrong with an inventory's stack settings
description:
  - Returns one line per problem (empty when the inventory is sound); resolve_stacks merges
    each enabled stack's overrides over the catalogue.
"""

NAT_MODES = ("none", "single", "per_az")
# AWS accepts VPC blocks from /16 to /28.
VPC_PREFIXES = range(16, 29)


def resolve_stacks(catalog: Mapping[str, Any], enabled: Mapping[str, Any] | None) -> dict:
    """Each enabled stack's definition: the catalogue entry with the environment's overrides."""
    return {
        name: deep_merge(catalog[name], overrides or {})
        for name, overrides in (enabled or {}).items()
        if name in catalog
    }


def _network(value: Any, label: str, problems: list[str]) -> ipaddress.IPv4Network | None:
    try:
        return ipaddress.IPv4Network(str(value), strict=True)
    except ValueError as exc:
        problems.append(f"{label}: '{value}' is not a valid IPv4 CIDR block ({exc})")
        return None


def _network_problems(name: str, network: Any, azs: list[str]) -> list[str]:
    problems: list[str] = []
    where = f"stack {name}: network"
    if not isinstance(network, Mapping):
        return [f"{where} is missing (cidr, public_subnets, private_subnets are required)"]
    if network.get("cidr") in (None, ""):
        problems.append(f"{where}.cidr is required")
        vpc = None
    else:
        vpc = _network(network["cidr"], f"{where}.cidr", problems)
        if vpc is not None and vpc.prefixlen not in VPC_PREFIXES:
            problems.append(f"{where}.cidr {vpc} must be between /16 and /28")

    subnets: list[tuple[str, ipaddress.IPv4Network]] = []
    for tier in ("public_subnets", "private_subnets"):
        values = network.get(tier)
        if tier == "public_subnets" and not values:
            problems.append(f"{where}.public_subnets is required (one CIDR per zone)")
            continue
        if values is None:
            continue
        if not isinstance(values, list):
            problems.append(f"{where}.{tier} must be a list of CIDR blocks")
            continue
        if len(values) > len(azs):
            problems.append(
                f"{where}.{tier} has {len(values)} subnets but only {len(azs)} availability "
                f"zones are configured (appstack_availability_zones)"
            )
        for index, value in enumerate(values):
            subnet = _network(value, f"{where}.{tier}[{index}]", problems)
            if subnet is None:
                continue
            if vpc is not None and not subnet.subnet_of(vpc):
                problems.append(f"{where}.{tier}[{index}] {subnet} lies outside the VPC {vpc}")
            subnets.append((f"{tier}[{index}]", subnet))

    for i, (label_a, net_a) in enumerate(subnets):
        for label_b, net_b in subnets[i + 1 :]:
            if net_a.overlaps(net_b):
                problems.append(f"{where}.{label_a} {net_a} overlaps {label_b} {net_b}")

    nat_mode = network.get("nat_mode", "single")
    if nat_mode not in NAT_MODES:
        problems.append(f"{where}.nat_mode '{nat_mode}' must be one of {', '.join(NAT_MODES)}")
    public = network.get("public_subnets") or []
    private = network.get("private_subnets") or []
    if nat_mode == "per_az" and isinstance(private, list) and len(private) > len(public):
        problems.append(f"{where}.nat_mode per_az needs a public subnet in every private subnet's zone")
    return problems


def stack_problems(
    catalog: Mapping[str, Any] | None,
    enabled: Mapping[str, Any] | None,
    environment: str | None,
    known_environments: list[str],
    availability_zones: list[str] | None,
    region: str | None,
) -> list[str]:
    """Every problem in the inventory, one line each; an empty list means it is sound."""
    problems: list[str] = []
    if not environment:
        problems.append("appstack_environment is required (one of: " + ", ".join(known_environments) + ")")
    elif environment not in known_environments:
        problems.append(
            f"unknown environment '{environment}': appstack_environment must be one of " + ", ".join(known_environments)
        )
    if not region:
        problems.append("aws_region is required")
    azs = list(availability_zones or [])
    if not azs:
        problems.append("appstack_availability_zones is required (the zones subnets go to)")
    elif region and any(not str(az).startswith(region) for az in azs):
        problems.append(f"appstack_availability_zones {azs} must all be zones of region {region}")
    elif len(set(azs)) != len(azs):
        problems.append(f"appstack_availability_zones {azs} names a zone twice")

    catalog = catalog or {}
    if not enabled:
        problems.append("appstack_stacks is required: name the stacks this environment runs")
        return problems
    if not isinstance(enabled, Mapping):
        problems.append("appstack_stacks must map stack names to their overrides ({} for none)")
        return problems
    for name, overrides in enabled.items():
        if name not in catalog:
            known = ", ".join(sorted(catalog)) or "none"
            problems.append(f"unknown stack '{name}' in appstack_stacks (known stacks: {known})")
        elif overrides is not None and not isinstance(overrides, Mapping):
            problems.append(f"stack {name}: its overrides must be a mapping, not {overrides!r}")

    resolved = resolve_stacks(catalog, {k: v for k, v in enabled.items() if isinstance(v, Mapping | None)})
    projects: dict[str, str] = {}
    vpcs: list[tuple[str, ipaddress.IPv4Network]] = []
    for name, stack in resolved.items():
        project = stack.get("project")
        if not project:
            problems.append(f"stack {name}: project is required (the first part of every name)")
        elif project in projects:
            problems.append(f"stacks {projects[project]} and {name} both use project '{project}'")
        else:
            projects[project] = name
        problems.extend(_network_problems(name, stack.get("network"), azs))
        # Malformed blocks were reported above; only sound ones are compared.
        with contextlib.suppress(KeyError, TypeError, ValueError):
            vpcs.append((name, ipaddress.IPv4Network(str(stack["network"]["cidr"]), strict=True)))
    for i, (name_a, net_a) in enumerate(vpcs):
        for name_b, net_b in vpcs[i + 1 :]:
            if net_a.overlaps(net_b):
                problems.append(
                    f"stacks {name_a} and {name_b}: VPC {net_a} overlaps {net_b} "
                    "(one environment's VPCs must not overlap, so they can be peered)"
                )
    return problems


class FilterModule:
    def filters(self) -> dict[str, Any]:
        return {"stack_problems": stack_problems, "resolve_stacks": resolve_stacks}
