"""The README's main job: site.yml on the local inventory, end to end, for every enabled stack.

One stack is provisioned for the whole module (site.yml takes minutes); the tests run in file
order on it: idempotence, drift, what the emulator holds, then destroy and rebuild last.
"""

from __future__ import annotations

import base64
import json
import re
import urllib.request
from collections.abc import Iterator

import pytest
import yaml

from tests.support import aws
from tests.support.local_fleet import free_port, remove_local_fleet
from tests.support.playbooks import ROOT, Run, inventory_copy, run_playbook

STACKS = ("starttech", "civstart")
ENV = "local"

pytestmark = [pytest.mark.slow, pytest.mark.emulator]


def test_drift_on_an_empty_account_lists_every_creation_and_creates_nothing(emulator, tmp_path):
    """drift.yml before the first site.yml: a plan of what would be made, under a network that
    does not exist yet, and nothing made."""
    aws.reset(emulator)
    report = tmp_path / "drift.json"
    drift = run_playbook("playbooks/drift.yml", env={"APPSTACK_DRIFT_REPORT": str(report)})
    assert drift.returncode == 0, drift
    changes = json.loads(report.read_text())["changes"]
    assert {c["host"] for c in changes} == set(STACKS)
    planned = {(c["host"], c["task"].split(" : ", 1)[0]) for c in changes}
    assert {("starttech", "aws_network"), ("starttech", "aws_cdn"), ("civstart", "aws_postgres")} <= planned, planned
    for stack in STACKS:
        assert aws.stack_resources(stack, ENV) == {}, stack


@pytest.fixture(scope="module")
def site(emulator) -> Iterator[Run]:
    aws.reset(emulator)  # an empty account
    # The local load balancer on a free port: 8080 may be taken by the stack of `make up`.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("APPSTACK_LOCAL_LB_PORT", str(free_port()))
        try:
            first = run_playbook("site.yml")
            assert first.returncode == 0, first
            yield first
        finally:
            remove_local_fleet(f"starttech-{ENV}", emulator)


def only(items: list, what: str):
    assert len(items) == 1, f"expected one {what}, found {items}"
    return items[0]


def test_site_provisions_every_stack(site):
    assert all(site.changed[stack] > 0 for stack in STACKS), site.recap


def test_summary_url_reaches_the_app_on_the_fleet_hosts(site):
    """The summary's local load balancer URL answers with the deployed release, served by the
    fleet hosts registered (and healthy) in the emulator's target group."""
    url = re.search(r"Local load balancer (http://\S+)", site.output)
    assert url, site
    answers = {urllib.request.urlopen(f"{url[1]}/version", timeout=10).read().decode().strip() for _ in range(4)}
    assert answers == {"v1"}
    elbv2 = aws.client("elbv2")
    group = elbv2.describe_target_groups(Names=[f"starttech-{ENV}-backend"])["TargetGroups"][0]
    health = elbv2.describe_target_health(TargetGroupArn=group["TargetGroupArn"])["TargetHealthDescriptions"]
    assert [t["TargetHealth"]["State"] for t in health] == ["healthy", "healthy"], health


def test_second_run_changes_nothing(site):
    second = run_playbook("site.yml")
    assert second.returncode == 0, second
    assert second.changed and set(second.changed.values()) == {0}, second.recap
    assert set(STACKS) <= set(second.changed)


def test_drift_reports_nothing_on_a_converged_stack(site, tmp_path):
    report = tmp_path / "drift.json"
    drift = run_playbook("playbooks/drift.yml", env={"APPSTACK_DRIFT_REPORT": str(report)})
    assert drift.returncode == 0, drift
    assert "DRIFT REPORT: no drift" in drift.output, drift
    assert json.loads(report.read_text())["count"] == 0


def test_starttech_fleet_is_locked_down(site):
    ec2 = aws.client("ec2")
    found = aws.stack_resources("starttech", ENV)
    template = only(found["launch_template"], "launch template")
    data = ec2.describe_launch_template_versions(LaunchTemplateId=template, Versions=["$Latest"])
    data = data["LaunchTemplateVersions"][0]["LaunchTemplateData"]
    assert data["MetadataOptions"]["HttpTokens"] == "required"
    root = data["BlockDeviceMappings"][0]["Ebs"]
    assert root["Encrypted"] is True and root["VolumeType"] == "gp3"
    assert all(not nic.get("AssociatePublicIpAddress") for nic in data.get("NetworkInterfaces", []))
    user_data = base64.b64decode(data["UserData"]).decode()
    secret = aws.client("secretsmanager").get_secret_value(SecretId="starttech/local/mongodb_url")["SecretString"]
    assert secret and secret not in user_data
    assert "docker" in user_data and "/health" in user_data

    group = only(found["auto_scaling_group"], "Auto Scaling group")
    asg = aws.client("autoscaling").describe_auto_scaling_groups(AutoScalingGroupNames=[group])["AutoScalingGroups"][0]
    assert (asg["MinSize"], asg["DesiredCapacity"], asg["MaxSize"]) == (2, 2, 4)
    assert (asg["HealthCheckType"], asg["HealthCheckGracePeriod"]) == ("ELB", 180)
    private = ec2.describe_subnets(
        Filters=[{"Name": "tag:Project", "Values": ["starttech"]}, {"Name": "tag:Tier", "Values": ["private"]}]
    )["Subnets"]
    assert set(asg["VPCZoneIdentifier"].split(",")) == {s["SubnetId"] for s in private} and len(private) == 2


def test_starttech_security_groups_reference_only_what_they_must(site):
    ec2 = aws.client("ec2")
    groups = {
        g["GroupName"]: g
        for g in ec2.describe_security_groups(Filters=[{"Name": "tag:Project", "Values": ["starttech"]}])[
            "SecurityGroups"
        ]
    }
    alb, backend = groups["starttech-local-alb"], groups["starttech-local-backend"]
    world = [
        (p.get("FromPort"), p.get("ToPort"))
        for g in groups.values()
        for p in g["IpPermissions"]
        if any(r["CidrIp"] == "0.0.0.0/0" for r in p.get("IpRanges", []))
    ]
    assert sorted(world) == [(80, 80), (443, 443)]
    assert [(p["FromPort"], [u["GroupId"] for u in p["UserIdGroupPairs"]]) for p in backend["IpPermissions"]] == [
        (8080, [alb["GroupId"]])
    ]


def test_starttech_load_balancer_and_registry(site):
    elbv2 = aws.client("elbv2")
    balancer = only(aws.stack_resources("starttech", ENV)["load_balancer"], "load balancer")
    described = elbv2.describe_load_balancers(LoadBalancerArns=[balancer])["LoadBalancers"][0]
    assert described["Scheme"] == "internet-facing" and described["Type"] == "application"
    attributes = {
        a["Key"]: a["Value"] for a in elbv2.describe_load_balancer_attributes(LoadBalancerArn=balancer)["Attributes"]
    }
    assert attributes["routing.http.drop_invalid_header_fields.enabled"] == "true"
    listeners = elbv2.describe_listeners(LoadBalancerArn=balancer)["Listeners"]
    assert [(x["Port"], x["DefaultActions"][0]["Type"]) for x in listeners] == [(80, "forward")]
    group = elbv2.describe_target_groups(TargetGroupArns=[listeners[0]["DefaultActions"][0]["TargetGroupArn"]])
    group = group["TargetGroups"][0]
    assert (group["Port"], group["Protocol"], group["HealthCheckPath"]) == (8080, "HTTP", "/health")

    repository = aws.client("ecr").describe_repositories(repositoryNames=["starttech-local-backend"])["repositories"][0]
    assert repository["imageScanningConfiguration"]["scanOnPush"] is True


def test_starttech_frontend_bucket_is_private_and_served_by_cloudfront(site):
    s3, cloudfront = aws.client("s3"), aws.client("cloudfront")
    bucket = only(aws.stack_resources("starttech", ENV)["s3_bucket"], "bucket")
    block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    assert all(block.values()) and len(block) == 4
    assert s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    policy = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])
    assert any(
        s["Effect"] == "Deny" and s.get("Condition", {}).get("Bool", {}).get("aws:SecureTransport") == "false"
        for s in policy["Statement"]
    )
    assert any(s["Principal"] == {"Service": "cloudfront.amazonaws.com"} for s in policy["Statement"])

    arn = only(aws.stack_resources("starttech", ENV)["cloudfront_distribution"], "distribution")
    config = cloudfront.get_distribution_config(Id=arn.rsplit("/", 1)[1])["DistributionConfig"]
    behaviour = config["DefaultCacheBehavior"]
    assert behaviour["ViewerProtocolPolicy"] == "redirect-to-https"
    assert sorted(behaviour["AllowedMethods"]["Items"]) == ["GET", "HEAD"]
    assert config["DefaultRootObject"] == "index.html"
    assert config["Origins"]["Items"][0]["OriginAccessControlId"]


def test_starttech_instance_role_is_least_privilege(site):
    iam = aws.client("iam")
    role = only([r for r in aws.stack_resources("starttech", ENV)["iam_role"] if "instance" in r], "instance role")
    attached = {p["PolicyName"] for p in iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]}
    assert attached == {"CloudWatchAgentServerPolicy", "AmazonSSMManagedInstanceCore"}
    statements = [
        statement
        for name in iam.list_role_policies(RoleName=role)["PolicyNames"]
        for statement in iam.get_role_policy(RoleName=role, PolicyName=name)["PolicyDocument"]["Statement"]
    ]

    def as_list(value: str | list[str]) -> list[str]:
        return value if isinstance(value, list) else [value]

    wildcard = [as_list(s["Action"]) for s in statements if "*" in as_list(s["Resource"])]
    assert wildcard == [["ecr:GetAuthorizationToken"]]


def test_civstart_data_stores_are_encrypted_private_and_reached_only_by_the_app(site):
    found = aws.stack_resources("civstart", ENV)
    groups = {
        g["GroupName"]: g
        for g in aws.client("ec2").describe_security_groups(GroupIds=found["security_group"])["SecurityGroups"]
    }
    app = groups["civstart-local-app"]["GroupId"]
    for name, port in (("civstart-local-postgres", 5432), ("civstart-local-redis", 6379)):
        rules = groups[name]["IpPermissions"]
        assert [(p["FromPort"], [u["GroupId"] for u in p["UserIdGroupPairs"]], p["IpRanges"]) for p in rules] == [
            (port, [app], [])
        ], name

    rds = aws.client("rds")
    db = rds.describe_db_instances(DBInstanceIdentifier=only(found["rds_instance"], "database"))["DBInstances"][0]
    assert db["StorageEncrypted"] and not db["PubliclyAccessible"]
    assert db["BackupRetentionPeriod"] == 7 and db["EngineVersion"].startswith("15")
    assert [g["VpcSecurityGroupId"] for g in db["VpcSecurityGroups"]] == [groups["civstart-local-postgres"]["GroupId"]]
    assert db["MasterUserSecret"]["SecretArn"]

    elasticache = aws.client("elasticache")
    group_id = only(found["elasticache_replication_group"], "replication group")
    redis = elasticache.describe_replication_groups(ReplicationGroupId=group_id)["ReplicationGroups"][0]
    assert redis["TransitEncryptionEnabled"] and redis["AtRestEncryptionEnabled"] and redis["AuthTokenEnabled"]


def test_civstart_tasks_get_secrets_by_arn_and_no_public_address(site):
    found = aws.stack_resources("civstart", ENV)
    ecs, secrets = aws.client("ecs"), aws.client("secretsmanager")
    definition = ecs.describe_task_definition(taskDefinition=only(found["ecs_task_definition"], "task definition"))
    container = only(definition["taskDefinition"]["containerDefinitions"], "container")
    assert container["secrets"] and all(
        s["valueFrom"].startswith("arn:aws:secretsmanager:") for s in container["secrets"]
    )
    # valueFrom is the secret's ARN (7 fields), then optionally :json-key:stage:version.
    secret_values: set[str] = set()
    for reference in container["secrets"]:
        value = secrets.get_secret_value(SecretId=":".join(reference["valueFrom"].split(":")[:7]))["SecretString"]
        parsed = json.loads(value) if value.startswith("{") else value
        secret_values |= {str(v) for v in parsed.values()} if isinstance(parsed, dict) else {parsed}
    plain = [e["value"] for e in container.get("environment", [])]
    assert secret_values and not any(secret in value for secret in secret_values for value in plain)
    assert container["readonlyRootFilesystem"] and not container.get("privileged")

    cluster = only(found["ecs_cluster"], "cluster")
    service = ecs.describe_services(cluster=cluster, services=ecs.list_services(cluster=cluster)["serviceArns"])
    service = only(service["services"], "service")
    assert service["networkConfiguration"]["awsvpcConfiguration"]["assignPublicIp"] == "DISABLED"
    assert service["deploymentConfiguration"]["deploymentCircuitBreaker"] == {"enable": True, "rollback": True}
    balancer = only(found["load_balancer"], "load balancer")
    assert aws.client("elbv2").describe_load_balancers(LoadBalancerArns=[balancer])["LoadBalancers"][0]["Type"] == (
        "network"
    )


def test_drift_reports_exactly_an_edited_value_and_creates_nothing(site, tmp_path):
    report = tmp_path / "drift.json"
    stacks = yaml.safe_load((ROOT / "inventories/local/group_vars/all/stacks.yml").read_text())["appstack_stacks"]
    stacks["starttech"].setdefault("network", {})["flow_logs"] = True
    edited = inventory_copy(tmp_path, "local", {"stacks.yml": {"appstack_stacks": stacks}})
    drift = run_playbook("playbooks/drift.yml", edited, env={"APPSTACK_DRIFT_REPORT": str(report)})
    assert drift.returncode == 0, drift
    changes = json.loads(report.read_text())["changes"]
    assert changes, drift
    assert {c["host"] for c in changes} == {"starttech"}
    assert all("flow log" in c["task"].lower() for c in changes), changes
    assert "flow_log" not in aws.stack_resources("starttech", ENV)
    logs = aws.client("logs")
    assert logs.describe_log_groups(logGroupNamePrefix="/starttech/local/vpc-flow-logs")["logGroups"] == []


def test_protected_environment_is_not_destroyed_without_confirmation(site, tmp_path):
    before = aws.stack_resources("starttech", ENV)
    protected = inventory_copy(tmp_path, "local", {"environment.yml": {"appstack_protected": True}})
    refused = run_playbook("playbooks/destroy.yml", protected)
    assert refused.returncode != 0
    assert "is protected" in refused.output
    assert aws.stack_resources("starttech", ENV) == before


def test_destroy_leaves_nothing_and_provision_rebuilds(site):
    destroyed = run_playbook("playbooks/destroy.yml")
    assert destroyed.returncode == 0, destroyed
    for stack in STACKS:
        assert aws.stack_resources(stack, ENV) == {}, stack

    rebuilt = run_playbook("playbooks/provision.yml")
    assert rebuilt.returncode == 0, rebuilt
    assert {"vpc", "load_balancer", "auto_scaling_group", "cloudfront_distribution"} <= set(
        aws.stack_resources("starttech", ENV)
    )
