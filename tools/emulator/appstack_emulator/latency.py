"""Latency profile: slow resources stay in their creating state for N seconds.

``DELAYS`` maps a resource kind to seconds.  Each kind has one small patch of a moto model
class: the object remembers when it was created, and while it is younger than the kind's delay
its ready state is reported as the creating state.  With no delay for a kind (the default)
moto's own behaviour is untouched.  Delays are read at describe time, so changing the profile
at run time also affects resources that already exist.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

# kind -> (creating state, ready state); documented in the README.
KINDS: dict[str, tuple[str, str]] = {
    "nat_gateway": ("pending", "available"),
    "rds_instance": ("creating", "available"),
    "elasticache_replication_group": ("creating", "available"),
    "cloudfront_distribution": ("InProgress", "Deployed"),
}

DELAYS: dict[str, float] = {}
_lock = threading.Lock()
_BORN = "_appstack_born"


def parse_spec(spec: str | None) -> dict[str, float]:
    """Parse ``nat_gateway=20,rds_instance=60`` into a validated mapping."""
    delays: dict[str, Any] = {}
    for item in (spec or "").split(","):
        if not item.strip():
            continue
        kind, sep, seconds = item.partition("=")
        if not sep:
            raise ValueError(f"latency spec item {item!r} is not kind=seconds")
        delays[kind.strip()] = seconds.strip()
    return validate(delays)


def validate(delays: dict[str, Any]) -> dict[str, float]:
    unknown = sorted(set(delays) - set(KINDS))
    if unknown:
        raise ValueError(f"unknown latency kinds {unknown}; known: {sorted(KINDS)}")
    result = {kind: float(seconds) for kind, seconds in delays.items()}
    if any(seconds < 0 for seconds in result.values()):
        raise ValueError("latency delays must not be negative")
    return result


def configure(delays: dict[str, float]) -> None:
    with _lock:
        DELAYS.clear()
        DELAYS.update(delays)


def snapshot() -> dict[str, float]:
    with _lock:
        return dict(DELAYS)


def still_creating(kind: str, obj: Any) -> bool:
    """True while ``obj`` is younger than the delay configured for ``kind``."""
    delay = DELAYS.get(kind)
    born = obj.__dict__.get(_BORN)
    return bool(delay) and born is not None and time.monotonic() - born < delay


def _delayed_attribute(kind: str, name: str) -> property:
    """A property replacing the plain instance attribute ``name`` (moto sets it in __init__).

    The first assignment stamps the birth time; reads report the creating state while the
    object is young and moto's stored value says it is ready.
    """
    creating, ready = KINDS[kind]
    slot = f"_appstack_{name}"

    def getter(self: Any) -> Any:
        value = self.__dict__.get(slot)
        if value == ready and still_creating(kind, self):
            return creating
        return value

    def setter(self: Any, value: Any) -> None:
        self.__dict__.setdefault(_BORN, time.monotonic())
        self.__dict__[slot] = value

    return property(getter, setter)


def patch_nat_gateway() -> None:
    from moto.ec2.models.nat_gateways import NatGateway

    NatGateway.state = _delayed_attribute("nat_gateway", "state")


def patch_rds_instance() -> None:
    from moto.rds.models import DBInstance

    DBInstance.status = _delayed_attribute("rds_instance", "status")


def patch_elasticache_replication_group() -> None:
    from moto.elasticache.models import ReplicationGroup

    ReplicationGroup.status = _delayed_attribute("elasticache_replication_group", "status")


def patch_cloudfront_distribution() -> None:
    """Distribution already has a ``status`` property (moto's ManagedState): wrap it."""
    from moto.cloudfront.models import Distribution

    original_init = Distribution.__init__
    original_status = Distribution.status
    creating, ready = KINDS["cloudfront_distribution"]

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        self.__dict__[_BORN] = time.monotonic()
        original_init(self, *args, **kwargs)

    def status(self: Any) -> Any:
        value = original_status.fget(self)
        if value == ready and still_creating("cloudfront_distribution", self):
            return creating
        return value

    Distribution.__init__ = __init__
    Distribution.status = property(status, original_status.fset)


PATCHES: list[Callable[[], None]] = [
    patch_nat_gateway,
    patch_rds_instance,
    patch_elasticache_replication_group,
    patch_cloudfront_distribution,
]


def apply_patches() -> None:
    for patch in PATCHES:
        patch()
