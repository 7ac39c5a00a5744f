"""The inventory checks validate.yml runs before any AWS call."""

import copy

import pytest
from ansible_collections.appstack.cloud.plugins.filter.stacks import (
    deep_merge,
    resolve_stacks,
    stack_problems,
)

ENVS = ["local", "dev", "staging", "prod"]
AZS = ["us-east-1a", "us-east-1b"]
CATALOG = {
    "web": {
        "project": "web",
        "network": {
            "cidr": "10.0.0.0/16",
            "public_subnets": ["10.0.1.0/24", "10.0.2.0/24"],
            "private_subnets": ["10.0.11.0/24", "10.0.12.0/24"],
            "nat_mode": "single",
        },
    },
    "api": {
        "project": "api",
        "network": {"cidr": "10.1.0.0/16", "public_subnets": ["10.1.1.0/24"]},
    },
}


def problems(enabled=None, catalog=None, env="local", azs=AZS, region="us-east-1"):
    enabled = {"web": {}} if enabled is None else enabled
    return stack_problems(catalog or CATALOG, enabled, env, ENVS, azs, region)


def with_network(**network):
    return {"web": {"network": network}}


def test_sound_inventory_has_no_problems():
    assert problems({"web": {}, "api": {}}) == []


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"env": "qa"}, "unknown environment 'qa'"),
        ({"env": None}, "appstack_environment is required"),
        ({"region": None}, "aws_region is required"),
        ({"azs": []}, "appstack_availability_zones is required"),
        ({"azs": ["eu-west-1a", "eu-west-1b"]}, "must all be zones of region us-east-1"),
        ({"azs": ["us-east-1a", "us-east-1a"]}, "names a zone twice"),
        ({"enabled": {"shop": {}}}, "unknown stack 'shop'"),
        ({"enabled": {}}, "appstack_stacks is required"),
        ({"enabled": {"web": "yes"}}, "its overrides must be a mapping"),
        ({"enabled": with_network(cidr="10.0.0.0/33")}, "'10.0.0.0/33' is not a valid IPv4 CIDR"),
        ({"enabled": with_network(cidr="10.0.0.1/16")}, "is not a valid IPv4 CIDR"),
        ({"enabled": with_network(cidr="10.0.0.0/8")}, "must be between /16 and /28"),
        ({"enabled": with_network(cidr="")}, "network.cidr is required"),
        ({"enabled": with_network(public_subnets=[])}, "public_subnets is required"),
        (
            {"enabled": with_network(public_subnets=["10.9.1.0/24", "10.0.2.0/24"])},
            "public_subnets[0] 10.9.1.0/24 lies outside the VPC 10.0.0.0/16",
        ),
        (
            {"enabled": with_network(private_subnets=["10.0.1.128/25", "10.0.12.0/24"])},
            "public_subnets[0] 10.0.1.0/24 overlaps private_subnets[0] 10.0.1.128/25",
        ),
        (
            {"enabled": with_network(public_subnets=["10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"])},
            "has 3 subnets but only 2 availability zones",
        ),
        ({"enabled": with_network(nat_mode="double")}, "nat_mode 'double' must be one of"),
        (
            {"enabled": {"web": {}, "api": {"network": {"cidr": "10.0.0.0/16", "public_subnets": ["10.0.1.0/24"]}}}},
            "VPC 10.0.0.0/16 overlaps 10.0.0.0/16",
        ),
        ({"enabled": {"web": {}, "api": {"project": "web"}}}, "both use project 'web'"),
        ({"enabled": {"web": {"project": ""}}}, "project is required"),
    ],
)
def test_each_problem_is_reported_in_one_clear_line(kwargs, expected):
    found = problems(**kwargs)
    assert any(expected in line for line in found), found
    assert all("\n" not in line for line in found)


def test_every_problem_is_reported_not_just_the_first():
    found = problems(env="qa", region=None, enabled={"shop": {}, "web": {"network": {"cidr": "x"}}})
    assert len(found) >= 4


def test_per_az_nat_needs_a_public_subnet_per_private_zone():
    enabled = with_network(
        nat_mode="per_az", public_subnets=["10.0.1.0/24"], private_subnets=["10.0.11.0/24", "10.0.12.0/24"]
    )
    assert any("per_az needs a public subnet" in line for line in problems(enabled))


def test_overrides_merge_deeply_and_replace_lists():
    resolved = resolve_stacks(CATALOG, {"web": {"network": {"nat_mode": "none", "public_subnets": ["10.0.5.0/24"]}}})
    network = resolved["web"]["network"]
    assert network["nat_mode"] == "none"
    assert network["public_subnets"] == ["10.0.5.0/24"]
    assert network["cidr"] == "10.0.0.0/16"
    assert set(resolved) == {"web"}


def test_merge_leaves_the_catalogue_untouched():
    before = copy.deepcopy(CATALOG)
    deep_merge(CATALOG["web"], {"network": {"cidr": "10.5.0.0/16"}})
    assert before == CATALOG
