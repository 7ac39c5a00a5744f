"""security_groups filters: the admin-port guard, data checks, and rule translation."""

import pytest
from ansible.errors import AnsibleFilterError
from ansible_collections.appstack.cloud.plugins.filter.security_groups import (
    port_ranges,
    security_group_problems,
    security_group_references,
    security_group_rules,
)

ADMIN = [22, 3389, 5432, 6379, 27017]


def groups(*rules, egress=None):
    return [
        {"name": "alb", "rules": [{"ports": [80, 443], "cidr_ip": "0.0.0.0/0"}]},
        {"name": "backend", "rules": list(rules), **({"egress": egress} if egress is not None else {})},
    ]


def test_reference_stack_is_sound():
    assert security_group_problems(groups({"ports": [8080], "group": "alb"}), ADMIN) == []


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ({"ports": [22], "cidr_ip": "0.0.0.0/0"}, "opens admin port(s) 22 to 0.0.0.0/0"),
        ({"ports": ["3000-3400"], "cidr_ip": ["10.0.0.0/8", "0.0.0.0/0"]}, "admin port(s) 3389"),
        ({"from_port": 5000, "to_port": 7000, "cidr_ipv6": "::/0"}, "5432, 6379 to ::/0"),
        ({"proto": "all", "cidr_ip": "0.0.0.0/0"}, "22, 3389, 5432, 6379, 27017"),
        ({"proto": "-1", "cidr_ipv6": "::/0"}, "opens admin port(s)"),
        ({"proto": "udp", "ports": [27017], "cidr_ip": "0.0.0.0/0"}, "27017"),
        ({"ports": [6379], "cidr_ip": "0.0.0.0/0", "cidr_ipv6": "::/0"}, "to 0.0.0.0/0 and ::/0"),
        ({"ports": [8080], "group": "db"}, "names group 'db', which is not a group of this stack"),
        ({"ports": [8080]}, "names no source"),
        ({"cidr_ip": "10.0.0.0/16"}, "opens no port"),
        ({"ports": ["http"], "cidr_ip": "10.0.0.0/16"}, "must be ports"),
        ({"ports": [70000], "cidr_ip": "10.0.0.0/16"}, "invalid port range"),
        ({"ports": [80], "cidr_ip": "10.0.0.1/16"}, "is not a CIDR block"),
        ({"ports": [80], "cidr_ip": "::/0"}, "is not an IPv4 block"),
        ({"ports": [80], "cidr_ip": "10.0.0.0/16", "source": "x"}, "unknown key 'source'"),
        ({"proto": "gre", "cidr_ip": "10.0.0.0/16"}, "is not tcp, udp"),
    ],
)
def test_rule_problems(rule, expected):
    problems = security_group_problems(groups(rule), ADMIN)
    assert any(expected in p for p in problems), problems


@pytest.mark.parametrize(
    "rule",
    [
        {"ports": [22], "cidr_ip": "10.0.0.0/16"},
        {"ports": [5432], "group": "alb"},
        {"proto": "icmp", "cidr_ip": "0.0.0.0/0"},
        {"ports": ["8000-8100"], "cidr_ip": "0.0.0.0/0"},
        {"proto": "50", "cidr_ip": "0.0.0.0/0"},
    ],
)
def test_rules_that_are_allowed(rule):
    assert security_group_problems(groups(rule), ADMIN) == []


def test_egress_is_checked_too():
    problems = security_group_problems(groups(egress=[{"ports": [443], "group": "nope"}]), ADMIN)
    assert problems == ["group backend egress[0] names group 'nope', which is not a group of this stack"]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("alb", "must be a list"),
        ([{"name": "Bad_Name", "rules": []}], "name must be lower-case"),
        ([{"name": "a", "rules": []}, {"name": "a", "rules": []}], "used twice"),
        ([{"name": "a", "rules": "x"}], "rules must be a list"),
        (["a"], "must be a mapping"),
    ],
)
def test_group_problems(data, expected):
    assert any(expected in p for p in security_group_problems(data, ADMIN))


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ({"ports": [80, "8000-8100"]}, [(80, 80), (8000, 8100)]),
        ({"from_port": 22, "to_port": 23}, [(22, 23)]),
        ({"from_port": 22}, [(22, 22)]),
        ({"proto": "all"}, [(0, 65535)]),
        ({"proto": "icmp", "from_port": 8}, []),
    ],
)
def test_port_ranges(rule, expected):
    assert port_ranges(rule) == expected


def test_references_cover_ingress_and_egress():
    group = {
        "name": "alb",
        "rules": [{"ports": [80], "cidr_ip": "0.0.0.0/0"}],
        "egress": [{"ports": [8080], "group": ["backend", "api"]}],
    }
    assert security_group_references(group) == ["api", "backend"]


@pytest.mark.parametrize(
    ("rules", "expected"),
    [
        (
            [{"ports": [80, 443], "cidr_ip": "0.0.0.0/0", "cidr_ipv6": "::/0", "description": "web"}],
            [
                {"proto": "tcp", "ports": ["80", "443"], "rule_desc": "web", "cidr_ip": ["0.0.0.0/0"]},
                {"proto": "tcp", "ports": ["80", "443"], "rule_desc": "web", "cidr_ipv6": ["::/0"]},
            ],
        ),
        (
            [{"ports": [8080], "group": "alb", "group_id": "sg-peer"}],
            [{"proto": "tcp", "ports": ["8080"], "group_id": ["sg-peer", "sg-alb"]}],
        ),
        (
            [{"proto": "all", "group": "alb"}],
            [{"proto": "all", "group_id": ["sg-alb"]}],
        ),
        (
            [{"proto": "icmp", "cidr_ip": "10.0.0.0/8"}],
            [{"proto": "icmp", "from_port": -1, "to_port": -1, "cidr_ip": ["10.0.0.0/8"]}],
        ),
        (
            [{"from_port": 1000, "to_port": 2000, "prefix_list": "pl-1"}],
            [{"proto": "tcp", "from_port": 1000, "to_port": 2000, "ip_prefix": ["pl-1"]}],
        ),
        ([], []),
        (None, []),
    ],
)
def test_module_rules(rules, expected):
    assert security_group_rules(rules, {"alb": "sg-alb"}) == expected


@pytest.mark.parametrize("ids", [{}, {"alb": ""}])
def test_module_rules_need_the_referenced_id(ids):
    with pytest.raises(AnsibleFilterError, match="'alb' has no id yet"):
        security_group_rules([{"ports": [8080], "group": "alb"}], ids)
