"""ELBv2: load balancers start with AWS's default attributes.

moto's DescribeLoadBalancerAttributes returns only the attributes it stores (it leaves out
``access_logs.s3.enabled`` and ``idle_timeout.timeout_seconds`` on purpose, and never had the
routing.* ones), while AWS returns every attribute of the load balancer's type.
amazon.aws.elb_application_lb indexes them directly: KeyError ``access_logs_s3_enabled``.
"""

from __future__ import annotations

from typing import Any

NAME = "elbv2_load_balancer_attributes"
MOTO_VERSION = "5.2.5"
GAP = (
    "DescribeLoadBalancerAttributes omits AWS defaults (access_logs.s3.enabled, "
    "idle_timeout.timeout_seconds, routing.http*, waf.fail_open.enabled ...): "
    "elb_application_lb fails with KeyError access_logs_s3_enabled"
)

_COMMON = {
    "access_logs.s3.enabled": "false",
    "access_logs.s3.bucket": "",
    "access_logs.s3.prefix": "",
    "deletion_protection.enabled": "false",
    "zonal_shift.config.enabled": "false",
}

# What AWS reports for a new load balancer of each type (values as AWS spells them).
DEFAULTS: dict[str, dict[str, str]] = {
    "application": {
        **_COMMON,
        "client_keep_alive.seconds": "3600",
        "connection_logs.s3.enabled": "false",
        "connection_logs.s3.bucket": "",
        "connection_logs.s3.prefix": "",
        "idle_timeout.timeout_seconds": "60",
        "routing.http.desync_mitigation_mode": "defensive",
        "routing.http.drop_invalid_header_fields.enabled": "false",
        "routing.http.preserve_host_header.enabled": "false",
        "routing.http.x_amzn_tls_version_and_cipher_suite.enabled": "false",
        "routing.http.xff_client_port.enabled": "false",
        "routing.http.xff_header_processing.mode": "append",
        "routing.http2.enabled": "true",
        "waf.fail_open.enabled": "false",
    },
    "network": {
        **_COMMON,
        "dns_record.client_routing_policy": "any_availability_zone",
        "load_balancing.cross_zone.enabled": "false",
    },
    "gateway": {
        "deletion_protection.enabled": "false",
        "load_balancing.cross_zone.enabled": "false",
    },
}


def apply() -> None:
    from moto.elbv2.models import FakeLoadBalancer

    original = FakeLoadBalancer.__init__

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        for key, value in DEFAULTS.get(self.type, {}).items():
            self.attrs.setdefault(key, value)

    FakeLoadBalancer.__init__ = __init__
