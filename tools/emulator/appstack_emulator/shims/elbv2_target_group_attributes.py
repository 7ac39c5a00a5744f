"""ELBv2: target groups start with AWS's default attributes.

moto stores only a handful of target group attributes; AWS returns the full set for the
target group's protocol.  community.aws.elb_target_group indexes some directly
(``stickiness_lb_cookie_duration_seconds``, ``stickiness_app_cookie_duration_seconds``) and
fails with KeyError when cookie stickiness is configured.
"""

from __future__ import annotations

from typing import Any

NAME = "elbv2_target_group_attributes"
MOTO_VERSION = "5.2.5"
GAP = (
    "DescribeTargetGroupAttributes omits AWS defaults (stickiness.lb_cookie.duration_seconds, "
    "stickiness.app_cookie.*, ...): elb_target_group with cookie stickiness fails with KeyError"
)

_HEALTH = {
    "target_group_health.dns_failover.minimum_healthy_targets.count": "1",
    "target_group_health.dns_failover.minimum_healthy_targets.percentage": "off",
    "target_group_health.unhealthy_state_routing.minimum_healthy_targets.count": "1",
    "target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage": "off",
}

# Application Load Balancer target groups (HTTP, HTTPS).
HTTP_DEFAULTS = {
    **_HEALTH,
    "stickiness.lb_cookie.duration_seconds": "86400",
    "stickiness.app_cookie.cookie_name": "",
    "stickiness.app_cookie.duration_seconds": "86400",
    "load_balancing.algorithm.anomaly_mitigation": "off",
}

# Network Load Balancer target groups (TCP, TLS, UDP, TCP_UDP).
NETWORK_DEFAULTS = {
    **_HEALTH,
    "deregistration_delay.connection_termination.enabled": "false",
    "proxy_protocol_v2.enabled": "false",
    "target_health_state.unhealthy.connection_termination.enabled": "true",
    "target_health_state.unhealthy.draining_interval_seconds": "0",
}


def defaults_for(protocol: str | None, target_type: str) -> dict[str, str]:
    if protocol in ("HTTP", "HTTPS"):
        return HTTP_DEFAULTS
    if protocol in ("TCP", "TLS", "UDP", "TCP_UDP"):
        # AWS: off for IP targets over TCP/TLS, on otherwise.
        preserve = "false" if target_type == "ip" and protocol in ("TCP", "TLS") else "true"
        return {**NETWORK_DEFAULTS, "preserve_client_ip.enabled": preserve}
    return {}


def apply() -> None:
    from moto.elbv2.models import FakeTargetGroup

    original = FakeTargetGroup.__init__

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        for key, value in defaults_for(self.protocol, self.target_type).items():
            self.attributes.setdefault(key, value)

    FakeTargetGroup.__init__ = __init__
