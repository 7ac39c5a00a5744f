"""ELBv2: network and gateway load balancers get AWS's ``net/`` and ``gwy/`` ARNs.

moto names every load balancer ``loadbalancer/app/<name>/<id>``, whatever its type; AWS uses
``app/`` for application, ``net/`` for network and ``gwy/`` for gateway load balancers, and
the listener ARNs follow.  The part after ``loadbalancer/`` is the CloudWatch ``LoadBalancer``
dimension (``net/<name>/<id>`` for an NLB), so with moto's ARN an NLB's alarms would name a
dimension that AWS never reports.
"""

from __future__ import annotations

from typing import Any

NAME = "elbv2_network_arns"
MOTO_VERSION = "5.2.5"
GAP = (
    "every load balancer ARN is loadbalancer/app/...; AWS uses net/ for network and gwy/ for "
    "gateway load balancers: the NLB's ARN suffix (CloudWatch LoadBalancer dimension) is wrong"
)

TYPE_SEGMENTS = {"network": "net", "gateway": "gwy"}


def _renamed(arn: str, segment: str) -> str:
    return arn.replace(":loadbalancer/app/", f":loadbalancer/{segment}/", 1)


def apply() -> None:
    from moto.elbv2.models import ELBv2Backend

    original = ELBv2Backend.create_load_balancer

    def create_load_balancer(self: Any, *args: Any, **kwargs: Any) -> Any:
        balancer = original(self, *args, **kwargs)
        segment = TYPE_SEGMENTS.get(balancer.type)
        if segment is None:
            return balancer
        old_arn, new_arn = balancer.arn, _renamed(balancer.arn, segment)
        # Created a moment ago: only the backend's index and the tags know the old ARN.
        self.tagging_service.copy_tags(old_arn, new_arn)
        self.tagging_service.delete_all_tags_for_resource(old_arn)
        balancer.arn = new_arn
        entries = [((new_arn if key == old_arn else key), value) for key, value in self.load_balancers.items()]
        self.load_balancers.clear()
        self.load_balancers.update(entries)
        return balancer

    ELBv2Backend.create_load_balancer = create_load_balancer
