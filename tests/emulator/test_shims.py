"""Each shim both ways: AWS behaviour with it (``emulator``), the moto gap without (``bare_emulator``).

When a "gap" test fails after a moto upgrade, moto has fixed the gap: retire the shim.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import botocore.exceptions
import pytest
from appstack_emulator import shims
from appstack_emulator.shims import elbv2_load_balancer_attributes as lb_shim

from .support import CREDENTIALS, REGION, Emulator

pytestmark = pytest.mark.emulator


def test_all_shims_applied_by_default(emulator: Emulator, bare_emulator: Emulator) -> None:
    assert emulator.get("/_appstack/health")["shims"] == shims.names()
    bare = bare_emulator.get("/_appstack/health")
    assert bare["shims"] == []
    assert bare["disabled_shims"] == sorted(shims.names())


def test_shim_registry_is_documented() -> None:
    readme = (Path(shims.__file__).parents[2] / "README.md").read_text()
    for shim in shims.SHIMS:
        assert shim.gap and shim.moto_version
        assert f"| `{shim.name}` |" in readme, f"add {shim.name} to the shim table in the README"


def test_shim_modules_do_not_import_moto() -> None:
    """The server sets moto's environment before moto's first import, after importing shims."""
    code = (
        "import sys, appstack_emulator.cli, appstack_emulator.server, appstack_emulator.shims;"
        "print(sorted(m for m in sys.modules if m == 'moto' or m.startswith('moto.')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


# -- helpers ---------------------------------------------------------------------------------
def network(emu: Emulator, cidr: str = "10.40") -> dict[str, Any]:
    ec2 = emu.client("ec2")
    vpc = ec2.create_vpc(CidrBlock=f"{cidr}.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"{cidr}.{i}.0/24", AvailabilityZone=az)["Subnet"]["SubnetId"]
        for i, az in enumerate(["us-east-1a", "us-east-1b"], start=1)
    ]
    sg = ec2.create_security_group(GroupName=f"lb-{cidr}", Description="lb", VpcId=vpc)["GroupId"]
    return {"vpc": vpc, "subnets": subnets, "sg": sg}


def tagged_nat_and_eip(emu: Emulator) -> tuple[str, str]:
    ec2 = emu.client("ec2")
    subnet = network(emu, "10.41")["subnets"][0]
    eip = ec2.allocate_address(
        Domain="vpc",
        TagSpecifications=[{"ResourceType": "elastic-ip", "Tags": [{"Key": "Name", "Value": "e"}]}],
    )["AllocationId"]
    nat = ec2.create_nat_gateway(
        SubnetId=subnet,
        AllocationId=eip,
        TagSpecifications=[{"ResourceType": "natgateway", "Tags": [{"Key": "Name", "Value": "n"}]}],
    )["NatGateway"]["NatGatewayId"]
    return nat, eip


def tags_by_type(emu: Emulator, resource_id: str, resource_type: str) -> list[dict[str, str]]:
    filters = [
        {"Name": "resource-id", "Values": [resource_id]},
        {"Name": "resource-type", "Values": [resource_type]},
    ]
    return emu.client("ec2").describe_tags(Filters=filters)["Tags"]


def lb_attributes(emu: Emulator, kind: str, name: str) -> dict[str, str]:
    elbv2 = emu.client("elbv2")
    net = network(emu, "10.42")
    extra = {"SecurityGroups": [net["sg"]]} if kind == "application" else {}
    arn = elbv2.create_load_balancer(Name=name, Subnets=net["subnets"], Type=kind, **extra)["LoadBalancers"][0][
        "LoadBalancerArn"
    ]
    attributes = elbv2.describe_load_balancer_attributes(LoadBalancerArn=arn)["Attributes"]
    return {a["Key"]: a["Value"] for a in attributes}


def tg_attributes(emu: Emulator, name: str, protocol: str, target_type: str) -> dict[str, str]:
    elbv2 = emu.client("elbv2")
    vpc = emu.client("ec2").create_vpc(CidrBlock="10.43.0.0/16")["Vpc"]["VpcId"]
    arn = elbv2.create_target_group(Name=name, Protocol=protocol, Port=8080, VpcId=vpc, TargetType=target_type)[
        "TargetGroups"
    ][0]["TargetGroupArn"]
    attributes = elbv2.describe_target_group_attributes(TargetGroupArn=arn)["Attributes"]
    return {a["Key"]: a["Value"] for a in attributes}


# -- ec2_tag_resource_types ------------------------------------------------------------------
def test_tag_resource_types_aws_names(emulator: Emulator) -> None:
    nat, eip = tagged_nat_and_eip(emulator)
    assert tags_by_type(emulator, nat, "natgateway")[0]["ResourceType"] == "natgateway"
    assert tags_by_type(emulator, eip, "elastic-ip")[0]["ResourceType"] == "elastic-ip"
    unfiltered = emulator.client("ec2").describe_tags(Filters=[{"Name": "resource-id", "Values": [nat]}])
    assert [t["ResourceType"] for t in unfiltered["Tags"]] == ["natgateway"]


def test_tag_resource_types_gap(bare_emulator: Emulator) -> None:
    nat, eip = tagged_nat_and_eip(bare_emulator)
    assert tags_by_type(bare_emulator, nat, "natgateway") == []
    assert tags_by_type(bare_emulator, eip, "elastic-ip") == []
    assert tags_by_type(bare_emulator, nat, "nat-gateway")[0]["ResourceType"] == "nat-gateway"


# -- ec2_latest_amis (and the AMI / IAM environment the server sets up) ----------------------
AL2023 = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
JAMMY = "ubuntu/images/hvm-ssd*/ubuntu-jammy-22.04-amd64-server-*"


def ssm_ami(emu: Emulator) -> str:
    return emu.client("ssm").get_parameter(Name=AL2023)["Parameter"]["Value"]


def test_latest_amis_resolve_from_ssm(emulator: Emulator) -> None:
    ami = ssm_ami(emulator)
    images = emulator.client("ec2").describe_images(ImageIds=[ami])["Images"]
    assert images[0]["Name"].startswith("al2023-ami-")


def test_latest_amis_gap(bare_emulator: Emulator) -> None:
    ami = ssm_ami(bare_emulator)
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        bare_emulator.client("ec2").describe_images(ImageIds=[ami])
    assert caught.value.response["Error"]["Code"] == "InvalidAMIID.NotFound"


@pytest.mark.parametrize("server", ["emulator", "bare_emulator"])
def test_ubuntu_jammy_lookup(server: str, request: pytest.FixtureRequest) -> None:
    emu: Emulator = request.getfixturevalue(server)
    images = emu.client("ec2").describe_images(
        Owners=["099720109477"],
        Filters=[
            {"Name": "name", "Values": [JAMMY]},
            {"Name": "architecture", "Values": ["x86_64"]},
        ],
    )["Images"]
    latest = max(images, key=lambda image: image["CreationDate"])
    assert len(images) == 2
    assert latest["Name"] == "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20240927"
    # moto's own default AMIs are still there next to ours
    assert emu.client("ec2").describe_images(Owners=["amazon"])["Images"]


def test_aws_managed_policies_are_loaded(emulator: Emulator) -> None:
    arn = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
    assert emulator.client("iam").get_policy(PolicyArn=arn)["Policy"]["Arn"] == arn


# -- elbv2_load_balancer_attributes ----------------------------------------------------------
@pytest.mark.parametrize("kind", ["application", "network"])
def test_lb_attribute_defaults(emulator: Emulator, kind: str) -> None:
    attributes = lb_attributes(emulator, kind, f"shim-{kind[:3]}")
    expected = lb_shim.DEFAULTS[kind]
    if kind == "application":
        # moto keeps its own value here (AWS says true for ALBs; no module we use reads it)
        expected = {k: v for k, v in expected.items() if k != "load_balancing.cross_zone.enabled"}
    assert {k: attributes.get(k) for k in expected} == expected


def test_lb_attribute_changes_are_kept(emulator: Emulator) -> None:
    elbv2 = emulator.client("elbv2")
    net = network(emulator, "10.44")
    arn = elbv2.create_load_balancer(Name="shim-keep", Subnets=net["subnets"])["LoadBalancers"][0]["LoadBalancerArn"]
    change = [{"Key": "idle_timeout.timeout_seconds", "Value": "120"}]
    elbv2.modify_load_balancer_attributes(LoadBalancerArn=arn, Attributes=change)
    attributes = elbv2.describe_load_balancer_attributes(LoadBalancerArn=arn)["Attributes"]
    assert {"Key": "idle_timeout.timeout_seconds", "Value": "120"} in attributes


def test_lb_attribute_gap(bare_emulator: Emulator) -> None:
    attributes = lb_attributes(bare_emulator, "application", "gap-app")
    assert "access_logs.s3.enabled" not in attributes
    assert "idle_timeout.timeout_seconds" not in attributes
    assert "routing.http2.enabled" not in attributes


# -- elbv2_target_group_attributes -----------------------------------------------------------
@pytest.mark.parametrize(
    ("protocol", "target_type", "expected"),
    [
        (
            "HTTP",
            "instance",
            {
                "stickiness.lb_cookie.duration_seconds": "86400",
                "stickiness.app_cookie.duration_seconds": "86400",
                "stickiness.app_cookie.cookie_name": "",
                "stickiness.type": "lb_cookie",
            },
        ),
        ("TCP", "ip", {"preserve_client_ip.enabled": "false", "proxy_protocol_v2.enabled": "false"}),
        ("TCP", "instance", {"preserve_client_ip.enabled": "true", "stickiness.type": "source_ip"}),
    ],
)
def test_tg_attribute_defaults(emulator: Emulator, protocol: str, target_type: str, expected: dict[str, str]) -> None:
    attributes = tg_attributes(emulator, f"shim-{protocol}-{target_type}", protocol, target_type)
    assert {k: attributes.get(k) for k in expected} == expected


def test_tg_attribute_gap(bare_emulator: Emulator) -> None:
    attributes = tg_attributes(bare_emulator, "gap-http", "HTTP", "instance")
    assert "stickiness.lb_cookie.duration_seconds" not in attributes
    assert "stickiness.app_cookie.duration_seconds" not in attributes


# -- the symptom, through the real modules -----------------------------------------------------
TASKS = """
- amazon.aws.ec2_vpc_nat_gateway:
    subnet_id: "{{ subnets[0] }}"
    if_exist_do_not_create: true
    wait: false
    tags: "{{ tags | combine({'Name': 'shimtest-nat'}) }}"
  register: nat
- community.aws.elb_target_group:
    name: shimtest-web
    protocol: HTTP
    port: 8080
    vpc_id: "{{ vpc }}"
    health_check_protocol: HTTP
    health_check_path: /health
    stickiness_enabled: true
    stickiness_type: lb_cookie
    stickiness_lb_cookie_duration: 3600
    tags: "{{ tags }}"
    state: present
  register: tg
- amazon.aws.elb_application_lb:
    name: shimtest-alb
    subnets: "{{ subnets }}"
    security_groups: ["{{ sg }}"]
    listeners:
      - {Protocol: HTTP, Port: 80, DefaultActions: [{Type: forward, TargetGroupName: shimtest-web}]}
    tags: "{{ tags }}"
    state: present
  register: alb
- ansible.builtin.set_fact:
    rounds: "{{ rounds | default([]) + [{'nat': nat.changed, 'tg': tg.changed, 'alb': alb.changed}] }}"
"""

# Both rounds in one ansible-playbook run (each module costs 1-2 s; start-up is paid once).
PLAYBOOK = """
- hosts: localhost
  gather_facts: false
  module_defaults:
    group/aws:
      region: us-east-1
  vars:
    tags: {Project: shimtest, ManagedBy: appstack}
  tasks:
    - ansible.builtin.include_tasks: tasks.yml
    - ansible.builtin.include_tasks: tasks.yml
    - ansible.builtin.assert:
        that:
          - "rounds[0] == {'nat': true, 'tg': true, 'alb': true}"
          - "rounds[1] == {'nat': false, 'tg': false, 'alb': false}"
        fail_msg: "changed per round: {{ rounds }}"
"""


def run_playbook(emu: Emulator, workdir: Path, extra_vars: dict[str, Any]) -> subprocess.CompletedProcess[str]:
    (workdir / "shims.yml").write_text(PLAYBOOK)
    (workdir / "tasks.yml").write_text(TASKS)
    env = dict(
        os.environ,
        AWS_ENDPOINT_URL=emu.url,
        AWS_ACCESS_KEY_ID=CREDENTIALS["aws_access_key_id"],
        AWS_SECRET_ACCESS_KEY=CREDENTIALS["aws_secret_access_key"],
        AWS_DEFAULT_REGION=REGION,
        ANSIBLE_PYTHON_INTERPRETER=sys.executable,
        ANSIBLE_STDOUT_CALLBACK="default",
        ANSIBLE_NOCOLOR="1",
    )
    playbook = Path(sys.executable).parent / "ansible-playbook"
    command = [str(playbook), "-i", "localhost,", "-c", "local", "shims.yml"]
    command += ["-e", json.dumps(extra_vars)]
    return subprocess.run(command, cwd=workdir, env=env, capture_output=True, text=True, timeout=300, check=False)


def recap(result: subprocess.CompletedProcess[str]) -> dict[str, int]:
    lines = [line for line in result.stdout.splitlines() if line.startswith("localhost ")]
    assert lines, result.stdout + result.stderr
    return {k: int(v) for k, v in (item.split("=") for item in lines[-1].split(":", 1)[1].split())}


def test_modules_idempotent_with_shims(emulator: Emulator, tmp_path: Path) -> None:
    """ec2_vpc_nat_gateway with tags, elb_target_group with stickiness, elb_application_lb."""
    result = run_playbook(emulator, tmp_path, network(emulator, "10.50"))
    assert (recap(result)["failed"], result.returncode) == (0, 0), result.stdout
