# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters for the aws_security_groups role: check the groups' data, and turn its rules into
amazon.aws.ec2_security_group rules.

The role describes groups as data (short names, rules that name other groups of the same stack
by short name). security_group_problems runs before any AWS call, so a rule that opens an
admin or database port to the whole internet stops the run before anything is created.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Mapping
from typing import Any

from ansible.errors import AnsibleFilterError
from ansible_collections.appstack.cloud.plugins.module_utils.data import as_list, named_mappings

DOCUMENTATION = r"""
name: security_group_problems
short_description: List what is wrong with security groups described as data
description:
  - Returns one line per problem (empty when the groups are sound), including every rule that
    opens an admin port to 0.0.0.0/0 or ::/0. security_group_rules turns a group's rules into
    amazon.aws.ec2_security_group rules; security_group_references lists the groups a group's
    rules name.
"""

# Protocols whose rules carry ports; "all" (-1) covers every port of every protocol.
PORT_PROTOCOLS = {"tcp": "tcp", "6": "tcp", "udp": "udp", "17": "udp"}
ALL_PROTOCOLS = {"all", "-1"}
ICMP_PROTOCOLS = {"icmp", "icmpv6", "1", "58"}
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
TARGET_KEYS = ("cidr_ip", "cidr_ipv6", "group", "group_id", "prefix_list")
RULE_KEYS = {"proto", "ports", "from_port", "to_port", "description", *TARGET_KEYS}


def _protocol(rule: Mapping[str, Any]) -> str:
    return str(rule.get("proto", "tcp")).lower()


def port_ranges(rule: Mapping[str, Any]) -> list[tuple[int, int]]:
    """The (from, to) port ranges a rule opens; [(0, 65535)] for protocol all."""
    proto = _protocol(rule)
    if proto in ALL_PROTOCOLS:
        return [(0, 65535)]
    if proto not in PORT_PROTOCOLS:
        return []
    if rule.get("ports") is not None:
        ranges = []
        for port in as_list(rule["ports"]):
            text = str(port).strip()
            low, _, high = text.partition("-")
            ranges.append((int(low), int(high or low)))
        return ranges
    if rule.get("from_port") is not None:
        low = int(rule["from_port"])
        return [(low, int(rule.get("to_port", low)))]
    return []


def _is_world(cidr: Any) -> bool:
    try:
        return ipaddress.ip_network(str(cidr), strict=False).prefixlen == 0
    except ValueError:
        return False


def _rule_problems(where: str, rule: Any, names: set[str], admin_ports: Iterable[int]) -> list[str]:
    if not isinstance(rule, Mapping):
        return [f"{where} must be a mapping (proto, ports, cidr_ip/cidr_ipv6/group/...)"]
    problems = [f"{where} has an unknown key '{key}'" for key in rule if key not in RULE_KEYS]
    proto = _protocol(rule)
    known_protocols = PORT_PROTOCOLS.keys() | ALL_PROTOCOLS | ICMP_PROTOCOLS
    if proto not in known_protocols and not proto.isdigit():
        problems.append(f"{where}.proto '{proto}' is not tcp, udp, icmp, icmpv6, all or a number")
    if not any(rule.get(key) for key in TARGET_KEYS):
        problems.append(f"{where} names no source: give cidr_ip, cidr_ipv6, group, group_id or prefix_list")
    try:
        ranges = port_ranges(rule)
    except (TypeError, ValueError):
        return [*problems, f"{where}.ports must be ports (8080) or ranges ('8000-8100')"]
    if proto in PORT_PROTOCOLS and not ranges:
        problems.append(f"{where} opens no port: give ports (or from_port and to_port)")
    for low, high in ranges:
        if not 0 <= low <= high <= 65535:
            problems.append(f"{where} has an invalid port range {low}-{high}")
    for key in ("cidr_ip", "cidr_ipv6"):
        for cidr in as_list(rule.get(key)):
            try:
                network = ipaddress.ip_network(str(cidr), strict=True)
            except ValueError as exc:
                problems.append(f"{where}.{key} '{cidr}' is not a CIDR block ({exc})")
                continue
            if network.version != (4 if key == "cidr_ip" else 6):
                problems.append(f"{where}.{key} '{cidr}' is not an IPv{4 if key == 'cidr_ip' else 6} block")
    for ref in as_list(rule.get("group")):
        if ref not in names:
            problems.append(f"{where} names group '{ref}', which is not a group of this stack")

    world = [str(c) for key in ("cidr_ip", "cidr_ipv6") for c in as_list(rule.get(key)) if _is_world(c)]
    if world:
        exposed = sorted({p for p in admin_ports for low, high in ranges if low <= int(p) <= high})
        if exposed:
            problems.append(
                f"{where} opens admin port(s) {', '.join(map(str, exposed))} to {' and '.join(world)}: "
                "allow them from a group or a narrow CIDR block instead (SSM Session Manager needs no port)"
            )
    return problems


def security_group_problems(groups: Any, admin_ports: Iterable[int] = ()) -> list[str]:
    """Every problem in the groups' data, one line each; an empty list means it is sound."""
    if not isinstance(groups, list):
        return ["the security groups must be a list of {name, description, rules, egress}"]
    problems: list[str] = []
    names = [g.get("name") for g in groups if isinstance(g, Mapping)]
    known = {str(n) for n in names if n}
    seen: set[str] = set()
    for name, where, group in named_mappings(groups, "group", "name, description and rules", problems):
        if not NAME_PATTERN.match(name):
            problems.append(f"{where}: name must be lower-case letters, digits and '-' (e.g. alb)")
        if name in seen:
            problems.append(f"{where}: the name is used twice")
        seen.add(name)
        for direction in ("rules", "egress"):
            rules = group.get(direction)
            if rules is None:
                continue
            if not isinstance(rules, list):
                problems.append(f"{where}: {direction} must be a list of rules")
                continue
            for rule_index, rule in enumerate(rules):
                problems.extend(_rule_problems(f"{where} {direction}[{rule_index}]", rule, known, admin_ports))
    return problems


def security_group_references(group: Mapping[str, Any]) -> list[str]:
    """Short names of the groups a group's rules (ingress and egress) name."""
    refs = {
        str(ref)
        for direction in ("rules", "egress")
        for rule in group.get(direction) or []
        for ref in as_list(rule.get("group"))
    }
    return sorted(refs)


def _module_rule(rule: Mapping[str, Any]) -> dict[str, Any]:
    proto = _protocol(rule)
    base: dict[str, Any] = {"proto": "all" if proto in ALL_PROTOCOLS else proto}
    if proto in PORT_PROTOCOLS:
        if rule.get("ports") is not None:
            base["ports"] = [str(p) for p in as_list(rule["ports"])]
        else:
            base["from_port"] = int(rule["from_port"])
            base["to_port"] = int(rule.get("to_port", rule["from_port"]))
    elif proto in ICMP_PROTOCOLS:
        base["from_port"] = int(rule.get("from_port", -1))
        base["to_port"] = int(rule.get("to_port", -1))
    if rule.get("description"):
        base["rule_desc"] = str(rule["description"])
    return base


def security_group_rules(rules: Any, group_ids: Mapping[str, str]) -> list[dict[str, Any]]:
    """amazon.aws.ec2_security_group rules for a group's data rules.

    A rule with several kinds of source becomes one module rule per kind (the module takes one
    kind per rule); group short names become the ids in group_ids.
    """
    result: list[dict[str, Any]] = []
    for rule in rules or []:
        base = _module_rule(rule)
        targets: list[tuple[str, list[str]]] = [
            ("cidr_ip", [str(c) for c in as_list(rule.get("cidr_ip"))]),
            ("cidr_ipv6", [str(c) for c in as_list(rule.get("cidr_ipv6"))]),
            ("ip_prefix", [str(p) for p in as_list(rule.get("prefix_list"))]),
        ]
        ids = [str(i) for i in as_list(rule.get("group_id"))]
        for ref in as_list(rule.get("group")):
            if not group_ids.get(ref):
                raise AnsibleFilterError(f"security group '{ref}' has no id yet")
            ids.append(group_ids[ref])
        targets.append(("group_id", ids))
        for key, values in targets:
            if values:
                result.append({**base, key: values})
    return result


class FilterModule:
    def filters(self) -> dict[str, Any]:
        return {
            "security_group_problems": security_group_problems,
            "security_group_references": security_group_references,
            "security_group_rules": security_group_rules,
        }
