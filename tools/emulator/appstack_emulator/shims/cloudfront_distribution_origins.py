"""CloudFront: distributions keep their S3 origins' access settings, as AWS's do.

moto's ``Origin`` keeps only the origin access identity of ``S3OriginConfig`` (under a name the
serializer never finds) and drops ``OriginAccessControlId``, so GetDistributionConfig returns an
S3 origin with neither: a distribution whose origin uses an origin access control looks like it
has none, and ``appstack.cloud.cloudfront_distribution_oac`` (like
``community.aws.cloudfront_distribution``) updates it on every run.  moto also returns empty
``CachePolicyId``, ``OriginRequestPolicyId`` and ``RealtimeLogConfigArn`` on cache behaviours,
which AWS leaves out when they are not set.
"""

from __future__ import annotations

from typing import Any

NAME = "cloudfront_distribution_origins"
MOTO_VERSION = "5.2.5"
GAP = (
    "GetDistribution(Config) drops S3OriginConfig and OriginAccessControlId from origins and adds "
    "empty CachePolicyId / RealtimeLogConfigArn: a distribution with an origin access control "
    "changes on every run"
)

# Cache behaviour fields AWS leaves out when they are not set (moto returns "").
_OMITTED_WHEN_EMPTY = ("cache_policy_id", "origin_request_policy_id", "realtime_log_config_arn")


def apply() -> None:
    from moto.cloudfront import models

    original_origin = models.Origin.__init__

    def origin_init(self: Any, origin: dict[str, Any]) -> None:
        original_origin(self, origin)
        if "S3OriginConfig" in origin:
            self.s3_origin_config = dict(origin["S3OriginConfig"] or {"OriginAccessIdentity": ""})
            self.s3_origin_config.setdefault("OriginAccessIdentity", "")
        # AWS returns the field on every origin, empty when no origin access control is used.
        self.origin_access_control_id = origin.get("OriginAccessControlId") or ""

    models.Origin.__init__ = origin_init

    for behaviour_class in (models.DefaultCacheBehaviour, models.CacheBehaviour):
        _drop_empty_fields(behaviour_class)


def _drop_empty_fields(behaviour_class: type) -> None:
    original = behaviour_class.__init__

    def init(self: Any, config: dict[str, Any]) -> None:
        original(self, config)
        for field in _OMITTED_WHEN_EMPTY:
            if not getattr(self, field, None):
                setattr(self, field, None)

    behaviour_class.__init__ = init
