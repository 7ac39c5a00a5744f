"""validate.yml stops bad input with one clear line per problem, before any AWS call."""

import pytest

from tests.support import aws
from tests.support.playbooks import DELETE, inventory_copy, run_playbook

STARTTECH_NETWORK = {
    "cidr": "10.0.0.0/16",
    "public_subnets": ["10.0.1.0/24", "10.0.2.0/24"],
    "private_subnets": ["10.0.11.0/24", "10.0.12.0/24"],
}


def network(**changes):
    return {"appstack_stacks": {"starttech": {"network": {**STARTTECH_NETWORK, **changes}}}}


CASES = {
    "unknown environment": ({"environment.yml": {"appstack_environment": "qa"}}, "unknown environment 'qa'"),
    "malformed CIDR": ({"stacks.yml": network(cidr="10.0.0.0/33")}, "'10.0.0.0/33' is not a valid IPv4 CIDR block"),
    "overlapping CIDRs": (
        {"stacks.yml": network(private_subnets=["10.0.1.0/25", "10.0.12.0/24"])},
        "public_subnets[0] 10.0.1.0/24 overlaps private_subnets[0] 10.0.1.0/25",
    ),
    "subnet outside the VPC": (
        {"stacks.yml": network(public_subnets=["10.0.1.0/24", "10.9.2.0/24"])},
        "public_subnets[1] 10.9.2.0/24 lies outside the VPC 10.0.0.0/16",
    ),
    "fewer zones than subnets": (
        {"aws.yml": {"appstack_availability_zones": ["us-east-1a"]}},
        "has 2 subnets but only 1 availability zones",
    ),
    "missing region": ({"aws.yml": {"aws_region": DELETE}}, "aws_region is required"),
    "unknown stack": ({"stacks.yml": {"appstack_stacks": {"shop": {}}}}, "unknown stack 'shop'"),
}


@pytest.mark.emulator
@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_stops_before_anything_is_created(case, clean_account, tmp_path):
    changes, expected = CASES[case]
    inventory = inventory_copy(tmp_path, "local", changes)
    result = run_playbook("site.yml", inventory)
    assert result.returncode != 0
    assert "The inventory has problems; nothing was changed:" in result.output
    problem_lines = [line for line in result.output.splitlines() if line.lstrip().startswith("- ")]
    assert any(expected in line for line in problem_lines), result
    assert aws.client("ec2").describe_vpcs(Filters=[{"Name": "tag:ManagedBy", "Values": ["appstack"]}])["Vpcs"] == []
    assert aws.stack_resources("starttech", "local") == {}


@pytest.mark.emulator
def test_several_problems_are_all_reported(clean_account, tmp_path):
    inventory = inventory_copy(
        tmp_path,
        "local",
        {"environment.yml": {"appstack_environment": "qa"}, "stacks.yml": network(cidr="10.0.0.0/33")},
    )
    result = run_playbook("site.yml", inventory)
    assert result.returncode != 0
    assert "unknown environment 'qa'" in result.output
    assert "'10.0.0.0/33' is not a valid IPv4 CIDR block" in result.output
