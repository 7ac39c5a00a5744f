"""What the (emulated) AWS account holds, per stack: used by end-to-end tests to prove that
provisioning created the right things and that destroy left nothing behind."""

from __future__ import annotations

import os
import urllib.request
from collections.abc import Callable, Iterable
from typing import Any

import boto3
from botocore.config import Config

REGION = "us-east-1"


def session() -> boto3.Session:
    return boto3.Session(aws_access_key_id="test", aws_secret_access_key="test", region_name=REGION)


def client(service: str, endpoint: str | None = None):
    endpoint = endpoint or os.environ["APPSTACK_EMULATOR_URL"]
    config = Config(retries={"max_attempts": 2, "mode": "standard"})
    return session().client(service, endpoint_url=endpoint, config=config)


def reset(endpoint: str | None = None) -> None:
    """Empty the emulated account (moto's reset)."""
    endpoint = endpoint or os.environ["APPSTACK_EMULATOR_URL"]
    urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST"), timeout=30).close()


def _tags(tag_list: Iterable[dict[str, str]] | None) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in tag_list or []}


def _ec2(filters: list[dict[str, Any]]) -> dict[str, list[str]]:
    ec2 = client("ec2")
    found = {
        "vpc": [v["VpcId"] for v in ec2.describe_vpcs(Filters=filters)["Vpcs"]],
        "subnet": [s["SubnetId"] for s in ec2.describe_subnets(Filters=filters)["Subnets"]],
        "internet_gateway": [
            g["InternetGatewayId"] for g in ec2.describe_internet_gateways(Filters=filters)["InternetGateways"]
        ],
        "route_table": [r["RouteTableId"] for r in ec2.describe_route_tables(Filters=filters)["RouteTables"]],
        "nat_gateway": [
            n["NatGatewayId"]
            for n in ec2.describe_nat_gateways(Filters=filters)["NatGateways"]
            if n["State"] not in ("deleted", "deleting", "failed")
        ],
        "vpc_endpoint": [
            e["VpcEndpointId"]
            for e in ec2.describe_vpc_endpoints(Filters=filters)["VpcEndpoints"]
            if e["State"].lower() not in ("deleted", "deleting")
        ],
        "elastic_ip": [a["AllocationId"] for a in ec2.describe_addresses(Filters=filters)["Addresses"]],
        "security_group": [g["GroupId"] for g in ec2.describe_security_groups(Filters=filters)["SecurityGroups"]],
        "launch_template": [
            t["LaunchTemplateId"] for t in ec2.describe_launch_templates(Filters=filters)["LaunchTemplates"]
        ],
        "instance": [
            i["InstanceId"]
            for r in ec2.describe_instances(Filters=filters)["Reservations"]
            for i in r["Instances"]
            if i["State"]["Name"] not in ("terminated", "shutting-down")
        ],
        "flow_log": [f["FlowLogId"] for f in ec2.describe_flow_logs(Filter=filters)["FlowLogs"]],
    }
    return found


def _matches(tags: dict[str, str], wanted: dict[str, str]) -> bool:
    return all(tags.get(k) == v for k, v in wanted.items())


def _tagged(names: Iterable[str], tags_of: Callable[[str], dict[str, str]], wanted: dict[str, str]) -> list[str]:
    return [name for name in names if _matches(tags_of(name), wanted)]


def _others(wanted: dict[str, str], prefix: str) -> dict[str, list[str]]:
    """Services whose list calls take no tag filter: list, then read each one's tags."""
    found: dict[str, list[str]] = {}

    elbv2 = client("elbv2")
    lbs = [lb["LoadBalancerArn"] for lb in elbv2.describe_load_balancers()["LoadBalancers"]]
    tgs = [tg["TargetGroupArn"] for tg in elbv2.describe_target_groups()["TargetGroups"]]

    def elb_tags(arn: str) -> dict[str, str]:
        return _tags(elbv2.describe_tags(ResourceArns=[arn])["TagDescriptions"][0]["Tags"])

    found["load_balancer"] = _tagged(lbs, elb_tags, wanted)
    found["target_group"] = _tagged(tgs, elb_tags, wanted)

    asg = client("autoscaling")
    found["auto_scaling_group"] = [
        g["AutoScalingGroupName"]
        for g in asg.describe_auto_scaling_groups()["AutoScalingGroups"]
        if _matches(_tags(g.get("Tags")), wanted)
    ]

    iam = client("iam")
    found["iam_role"] = _tagged(
        [r["RoleName"] for r in iam.list_roles()["Roles"]],
        lambda name: _tags(iam.list_role_tags(RoleName=name)["Tags"]),
        wanted,
    )
    found["instance_profile"] = [
        p["InstanceProfileName"]
        for p in iam.list_instance_profiles()["InstanceProfiles"]
        if p["InstanceProfileName"].startswith(prefix)
    ]

    ecr = client("ecr")
    repos = ecr.describe_repositories()["repositories"]
    found["ecr_repository"] = _tagged(
        [r["repositoryArn"] for r in repos],
        lambda arn: _tags(ecr.list_tags_for_resource(resourceArn=arn)["tags"]),
        wanted,
    )

    secrets = client("secretsmanager")
    found["secret"] = [
        s["Name"]
        for s in secrets.list_secrets(IncludePlannedDeletion=False)["SecretList"]
        if _matches(_tags(s.get("Tags")), wanted)
    ]

    logs = client("logs")
    groups = logs.describe_log_groups()["logGroups"]
    found["log_group"] = _tagged(
        [g["logGroupName"] for g in groups],
        lambda name: logs.list_tags_log_group(logGroupName=name)["tags"],
        wanted,
    )

    cloudwatch = client("cloudwatch")
    found["alarm"] = [
        a["AlarmName"] for a in cloudwatch.describe_alarms()["MetricAlarms"] if a["AlarmName"].startswith(prefix)
    ]
    found["dashboard"] = [
        d["DashboardName"]
        for d in cloudwatch.list_dashboards()["DashboardEntries"]
        if d["DashboardName"].startswith(prefix)
    ]

    sns = client("sns")
    found["sns_topic"] = _tagged(
        [t["TopicArn"] for t in sns.list_topics()["Topics"]],
        lambda arn: _tags(sns.list_tags_for_resource(ResourceArn=arn)["Tags"]),
        wanted,
    )

    s3 = client("s3")

    def bucket_tags(name: str) -> dict[str, str]:
        try:
            return _tags(s3.get_bucket_tagging(Bucket=name)["TagSet"])
        except s3.exceptions.ClientError:
            return {}

    found["s3_bucket"] = _tagged([b["Name"] for b in s3.list_buckets()["Buckets"]], bucket_tags, wanted)

    cloudfront = client("cloudfront")
    items = cloudfront.list_distributions()["DistributionList"].get("Items", [])
    found["cloudfront_distribution"] = _tagged(
        [d["ARN"] for d in items],
        lambda arn: _tags(cloudfront.list_tags_for_resource(Resource=arn)["Tags"].get("Items")),
        wanted,
    )

    rds = client("rds")
    found["rds_instance"] = [
        d["DBInstanceIdentifier"]
        for d in rds.describe_db_instances()["DBInstances"]
        if _matches(_tags(d.get("TagList")), wanted)
    ]

    elasticache = client("elasticache")
    found["elasticache_replication_group"] = [
        g["ReplicationGroupId"]
        for g in elasticache.describe_replication_groups()["ReplicationGroups"]
        if g["ReplicationGroupId"].startswith(prefix)
    ]

    found["db_subnet_group"] = [
        g["DBSubnetGroupName"]
        for g in rds.describe_db_subnet_groups()["DBSubnetGroups"]
        if g["DBSubnetGroupName"].startswith(prefix)
    ]
    found["db_parameter_group"] = [
        g["DBParameterGroupName"]
        for g in rds.describe_db_parameter_groups()["DBParameterGroups"]
        if g["DBParameterGroupName"].startswith(prefix)
    ]
    found["db_snapshot"] = [
        s["DBSnapshotIdentifier"]
        for s in rds.describe_db_snapshots(SnapshotType="manual")["DBSnapshots"]
        if s["DBSnapshotIdentifier"].startswith(prefix)
    ]
    found["cache_subnet_group"] = [
        g["CacheSubnetGroupName"]
        for g in elasticache.describe_cache_subnet_groups()["CacheSubnetGroups"]
        if g["CacheSubnetGroupName"].startswith(prefix)
    ]
    found["cache_parameter_group"] = [
        g["CacheParameterGroupName"]
        for g in elasticache.describe_cache_parameter_groups()["CacheParameterGroups"]
        if g["CacheParameterGroupName"].startswith(prefix)
    ]

    ssm = client("ssm")
    project, environment = wanted["Project"], wanted["Environment"]
    found["ssm_parameter"] = [
        p["Name"]
        for p in ssm.describe_parameters(
            ParameterFilters=[{"Key": "Name", "Option": "BeginsWith", "Values": [f"/{project}/{environment}/"]}]
        )["Parameters"]
    ]

    found["cloudfront_origin_access_control"] = [
        c["Name"]
        for c in cloudfront.list_origin_access_controls()["OriginAccessControlList"].get("Items", [])
        if c["Name"].startswith(prefix)
    ]
    found["cloudfront_response_headers_policy"] = [
        p["ResponseHeadersPolicy"]["ResponseHeadersPolicyConfig"]["Name"]
        for p in cloudfront.list_response_headers_policies(Type="custom")["ResponseHeadersPolicyList"].get("Items", [])
        if p["ResponseHeadersPolicy"]["ResponseHeadersPolicyConfig"]["Name"].startswith(prefix)
    ]

    ecs = client("ecs")
    # familyPrefix matches whole family names only: filter the families by the stack's prefix.
    found["ecs_task_definition"] = [
        arn
        for arn in ecs.list_task_definitions(status="ACTIVE")["taskDefinitionArns"]
        if arn.split("task-definition/", 1)[1].startswith(prefix)
    ]
    found["scalable_target"] = [
        t["ResourceId"]
        for t in client("application-autoscaling").describe_scalable_targets(ServiceNamespace="ecs")["ScalableTargets"]
        if t["ResourceId"].startswith(f"service/{prefix}")
    ]
    found["ecs_cluster"] = (
        [
            c["clusterName"]
            for c in ecs.describe_clusters(clusters=ecs.list_clusters()["clusterArns"], include=["TAGS"])["clusters"]
            if c.get("status") == "ACTIVE" and _matches({t["key"]: t["value"] for t in c.get("tags", [])}, wanted)
        ]
        if ecs.list_clusters()["clusterArns"]
        else []
    )
    return found


def stack_resources(project: str, environment: str) -> dict[str, list[str]]:
    """Every resource tagged with the stack's Project and Environment, by kind."""
    wanted = {"Project": project, "Environment": environment}
    filters = [{"Name": f"tag:{k}", "Values": [v]} for k, v in wanted.items()]
    found = _ec2(filters)
    found.update(_others(wanted, f"{project}-{environment}"))
    return {kind: ids for kind, ids in found.items() if ids}
