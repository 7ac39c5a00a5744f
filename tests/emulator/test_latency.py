"""Latency profile: slow resources report their creating state until their delay has passed."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from appstack_emulator import latency

from .support import Emulator

pytestmark = pytest.mark.emulator

# Long enough that creating a resource on a loaded machine stays well inside it.
DELAY = 6.0


def slug(kind: str) -> str:
    """A name part valid for every service (RDS identifiers allow no underscore)."""
    return kind[:8].replace("_", "-")


def test_spec_parsing() -> None:
    assert latency.parse_spec("nat_gateway=20, rds_instance=60") == {
        "nat_gateway": 20.0,
        "rds_instance": 60.0,
    }
    assert latency.parse_spec("") == {}
    for bad in ("nat=1", "nat_gateway", "nat_gateway=-1", "nat_gateway=soon"):
        with pytest.raises(ValueError):
            latency.parse_spec(bad)


# One creator and one state reader per kind; each returns / reads the resource's state.
def create_nat_gateway(emu: Emulator, name: str) -> str:
    ec2 = emu.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.30.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.30.1.0/24")["Subnet"]["SubnetId"]
    allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
    nat = ec2.create_nat_gateway(SubnetId=subnet, AllocationId=allocation)["NatGateway"]
    return nat["NatGatewayId"]


def nat_gateway_state(emu: Emulator, nat_id: str) -> str:
    nats = emu.client("ec2").describe_nat_gateways(NatGatewayIds=[nat_id])["NatGateways"]
    return nats[0]["State"]


def create_rds_instance(emu: Emulator, name: str) -> str:
    emu.client("rds").create_db_instance(
        DBInstanceIdentifier=name,
        DBInstanceClass="db.t4g.micro",
        Engine="postgres",
        AllocatedStorage=20,
        MasterUsername="appstack",
        MasterUserPassword="not-a-secret-1",
    )
    return name


def rds_instance_state(emu: Emulator, name: str) -> str:
    dbs = emu.client("rds").describe_db_instances(DBInstanceIdentifier=name)["DBInstances"]
    return dbs[0]["DBInstanceStatus"]


def create_replication_group(emu: Emulator, name: str) -> str:
    emu.client("elasticache").create_replication_group(
        ReplicationGroupId=name,
        ReplicationGroupDescription="latency test",
        Engine="redis",
        CacheNodeType="cache.t4g.micro",
        NumCacheClusters=2,
    )
    return name


def replication_group_state(emu: Emulator, name: str) -> str:
    groups = emu.client("elasticache").describe_replication_groups(ReplicationGroupId=name)
    return groups["ReplicationGroups"][0]["Status"]


def create_distribution(emu: Emulator, name: str) -> str:
    config = {
        "CallerReference": name,
        "Comment": name,
        "Enabled": True,
        "Origins": {
            "Quantity": 1,
            "Items": [
                {
                    "Id": "site",
                    "DomainName": "site.s3.us-east-1.amazonaws.com",
                    "S3OriginConfig": {"OriginAccessIdentity": ""},
                }
            ],
        },
        "DefaultCacheBehavior": {
            "TargetOriginId": "site",
            "ViewerProtocolPolicy": "redirect-to-https",
            "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}},
            "MinTTL": 0,
        },
    }
    result = emu.client("cloudfront").create_distribution(DistributionConfig=config)
    return result["Distribution"]["Id"]


def distribution_state(emu: Emulator, dist_id: str) -> str:
    return emu.client("cloudfront").get_distribution(Id=dist_id)["Distribution"]["Status"]


KINDS: dict[str, tuple[Callable[[Emulator, str], str], Callable[[Emulator, str], str]]] = {
    "nat_gateway": (create_nat_gateway, nat_gateway_state),
    "rds_instance": (create_rds_instance, rds_instance_state),
    "elasticache_replication_group": (create_replication_group, replication_group_state),
    "cloudfront_distribution": (create_distribution, distribution_state),
}


@pytest.fixture(scope="module")
def observed(emulator: Emulator) -> dict[str, dict[str, Any]]:
    """Create one resource of each kind with a DELAY s delay; read states before and after."""
    emulator.post("/_appstack/latency", dict.fromkeys(KINDS, DELAY))
    ids, early, early_age = {}, {}, {}
    try:
        for kind, (create, state) in KINDS.items():
            ids[kind] = create(emulator, f"latency-{slug(kind)}")
            # From the create call's reply: the resource existed by then, so this bounds its age.
            started = time.monotonic()
            early[kind] = state(emulator, ids[kind])
            early_age[kind] = time.monotonic() - started
        time.sleep(DELAY + 0.3)  # the last one created is now past its delay too
        late = {kind: state(emulator, ids[kind]) for kind, (_, state) in KINDS.items()}
    finally:
        emulator.post("/_appstack/latency", {})
    return {"early": early, "late": late, "early_age": early_age}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_creating_then_ready(observed: dict[str, Any], kind: str) -> None:
    creating, ready = latency.KINDS[kind]
    assert observed["early_age"][kind] < DELAY, "creating took longer than the delay"
    assert observed["early"][kind] == creating
    assert observed["late"][kind] == ready


def test_pending_nat_gateway_is_filtered_by_state(emulator: Emulator) -> None:
    emulator.post("/_appstack/latency", {"nat_gateway": 30})
    nat_id = create_nat_gateway(emulator, "filter")
    ec2 = emulator.client("ec2")
    pending = ec2.describe_nat_gateways(Filters=[{"Name": "state", "Values": ["pending"]}])
    assert nat_id in [n["NatGatewayId"] for n in pending["NatGateways"]]
    emulator.post("/_appstack/latency", {})  # profile changes apply to existing resources
    assert nat_gateway_state(emulator, nat_id) == "available"


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_no_latency_is_moto_default(emulator: Emulator, kind: str) -> None:
    create, state = KINDS[kind]
    resource = create(emulator, f"default-{slug(kind)}")
    assert state(emulator, resource) == latency.KINDS[kind][1]


def test_latency_endpoint(emulator: Emulator) -> None:
    assert emulator.get("/_appstack/latency") == {"delays": {}}
    reply = emulator.post("/_appstack/latency", {"rds_instance": 60, "nat_gateway": 1.5})
    assert reply == {"delays": {"rds_instance": 60.0, "nat_gateway": 1.5}}
    assert emulator.get("/_appstack/health")["latency"] == reply["delays"]
    assert emulator.post_status("/_appstack/latency", {"lambda": 3}) == 400
    assert emulator.post_status("/_appstack/latency", [1]) == 400
    assert emulator.get("/_appstack/latency") == reply
