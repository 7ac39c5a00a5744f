"""Print, as JSON, what the emulator holds for one ECS service: cluster, service, revisions, scaling.

Used by verify.yml and destroy.yml, where no Ansible module reads cluster settings, scalable
targets or scaling policies. Usage: ecs_state.py ENDPOINT_URL PREFIX NAME
"""

from __future__ import annotations

import json
import sys

import boto3

endpoint, prefix, name = sys.argv[1:4]
common = {"region_name": "us-east-1", "endpoint_url": endpoint, "aws_access_key_id": "x", "aws_secret_access_key": "y"}
ecs = boto3.client("ecs", **common)
scaling = boto3.client("application-autoscaling", **common)
cluster, service, family = f"{prefix}-cluster", f"{prefix}-{name}", f"{prefix}-{name}"
resource = f"service/{cluster}/{service}"

clusters = [
    c
    for c in ecs.describe_clusters(clusters=[cluster], include=["SETTINGS", "TAGS"])["clusters"]
    if c["status"] != "INACTIVE"
]
services = []
if clusters:
    services = [
        s
        for s in ecs.describe_services(cluster=cluster, services=[service], include=["TAGS"])["services"]
        if s["status"] != "INACTIVE"
    ]
revisions = {
    status: [a for a in ecs.list_task_definitions(familyPrefix=family, status=status)["taskDefinitionArns"]]
    for status in ("ACTIVE", "INACTIVE")
}
targets = scaling.describe_scalable_targets(ServiceNamespace="ecs", ResourceIds=[resource])["ScalableTargets"]
policies = scaling.describe_scaling_policies(ServiceNamespace="ecs", ResourceId=resource)["ScalingPolicies"]
print(
    json.dumps(
        {
            "clusters": clusters,
            "services": services,
            "revisions": revisions,
            "scalable_targets": targets,
            "scaling_policies": [p for p in policies if p["ResourceId"] == resource],
        },
        default=str,
    )
)
