"""Shims: one small patch of moto per gap between moto and real AWS.

Each shim module defines ``NAME``, ``GAP`` (what moto does differently from AWS and what it
breaks), ``MOTO_VERSION`` (the moto version the gap was seen in) and ``apply()``, which imports
what it patches from moto (never import moto at module level: the server must set moto's
environment before moto is first imported, and it imports this package first).  The server
applies every shim in ``SHIMS`` unless it is disabled with ``--disable-shim NAME``; the tests
check each shim both ways, so a moto upgrade that fixes a gap makes its "gap still there" test
fail and tells us to retire the shim.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import ModuleType

from . import (
    autoscaling_disable_metrics_collection,
    autoscaling_instance_launch_template_version,
    autoscaling_instance_refresh,
    autoscaling_tag_order,
    cloudfront_distribution_origins,
    cloudfront_response_headers_policies,
    ec2_delete_launch_template_versions,
    ec2_latest_amis,
    ec2_launch_template_tag_specifications,
    ec2_launch_template_version_user_data,
    ec2_tag_resource_types,
    ecs_service_deployments,
    elasticache_cache_parameter_groups,
    elasticache_cache_subnet_groups,
    elasticache_modify_replication_group,
    elasticache_replication_group_deletion,
    elasticache_replication_group_members,
    elbv2_load_balancer_attributes,
    elbv2_network_arns,
    elbv2_target_group_attributes,
    elbv2_target_health,
    rds_db_parameter_groups,
    rds_instance_creating,
    s3_bucket_policy_secure_transport,
)


@dataclass(frozen=True)
class Shim:
    name: str
    gap: str
    moto_version: str
    apply: Callable[[], None]


def _shim(module: ModuleType) -> Shim:
    return Shim(module.NAME, module.GAP, module.MOTO_VERSION, module.apply)


SHIMS: list[Shim] = [
    # aws_fleet: launch templates, Auto Scaling groups, instance refresh.
    _shim(ec2_launch_template_tag_specifications),
    _shim(ec2_launch_template_version_user_data),
    _shim(ec2_delete_launch_template_versions),
    _shim(autoscaling_tag_order),
    _shim(autoscaling_disable_metrics_collection),
    _shim(autoscaling_instance_launch_template_version),
    _shim(autoscaling_instance_refresh),
    _shim(ec2_tag_resource_types),
    _shim(ec2_latest_amis),
    _shim(elbv2_load_balancer_attributes),
    _shim(elbv2_target_group_attributes),
    _shim(elbv2_network_arns),
    # app_container / local load balancer: target health and draining.
    _shim(elbv2_target_health),
    # aws_cdn: S3 + CloudFront with an origin access control and a response headers policy.
    _shim(s3_bucket_policy_secure_transport),
    _shim(cloudfront_distribution_origins),
    _shim(cloudfront_response_headers_policies),
    # aws_redis: replication groups, their parameter and subnet groups.
    _shim(elasticache_replication_group_members),
    _shim(elasticache_modify_replication_group),
    _shim(elasticache_replication_group_deletion),
    _shim(elasticache_cache_parameter_groups),
    _shim(elasticache_cache_subnet_groups),
    # aws_postgres: parameter groups with their engine's parameters; instances still being created.
    _shim(rds_db_parameter_groups),
    _shim(rds_instance_creating),
    # aws_ecs_service: service settings, deployments and the circuit breaker (ECS deploys).
    _shim(ecs_service_deployments),
]


def names() -> list[str]:
    return [shim.name for shim in SHIMS]


def apply_all(disabled: Iterable[str] = ()) -> list[str]:
    """Apply every shim not in ``disabled``; return the names applied."""
    disabled = set(disabled)
    unknown = sorted(disabled - set(names()))
    if unknown:
        raise ValueError(f"unknown shims {unknown}; known: {names()}")
    applied = []
    for shim in SHIMS:
        if shim.name not in disabled:
            shim.apply()
            applied.append(shim.name)
    return applied
