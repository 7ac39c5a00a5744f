"""Fault injection: configuration, seeded decisions, counters and AWS-shaped error bodies.

The middleware (``middleware.py``) asks :meth:`FaultInjector.decide` for every AWS request and
renders the answer with :func:`error_response`.  Everything here is pure Python so that it can
be unit tested without a server.
"""

from __future__ import annotations

import fnmatch
import json
import random
import threading
import uuid
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

MODES = ("throttle", "503", "reset", "reset_after")
DEFAULT_MODES = ["throttle", "503"]

# Protocols as botocore names them, plus "s3" (rest-xml with S3's own error document).
JSON = "json"
# JSON services that moved from the query protocol (botocore's awsQueryCompatible): CloudWatch,
# SQS.  They keep their query error codes, which botocore reads from x-amzn-query-error.
JSON_QUERY = "json+query"
QUERY_COMPATIBLE_TARGETS = ("GraniteServiceVersion20100801", "AmazonSQS")
QUERY = "query"
EC2 = "ec2"
REST_JSON = "rest-json"
REST_XML = "rest-xml"
S3 = "s3"


@dataclass
class FaultConfig:
    """What to inject: a fraction of the calls (``rate``) whose action matches ``actions``."""

    rate: float = 0.0
    modes: list[str] = field(default_factory=lambda: list(DEFAULT_MODES))
    seed: int = 0
    actions: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rate = float(self.rate)
        self.seed = int(self.seed)
        if not 0.0 <= self.rate <= 1.0:
            raise ValueError(f"fault rate must be between 0 and 1, got {self.rate}")
        if not self.modes:
            raise ValueError("at least one fault mode is needed")
        unknown = sorted(set(self.modes) - set(MODES))
        if unknown:
            raise ValueError(f"unknown fault modes {unknown}; known: {list(MODES)}")
        self.modes = list(self.modes)
        self.actions = [str(a) for a in self.actions]

    @classmethod
    def from_spec(cls, spec: str | None) -> FaultConfig:
        """Parse ``rate=0.3,modes=throttle+503,seed=7,actions=CreateVpc+DescribeVpcs``."""
        values: dict[str, Any] = {}
        for item in (spec or "").split(","):
            if not item.strip():
                continue
            key, sep, value = item.partition("=")
            key = key.strip()
            if not sep:
                raise ValueError(f"fault spec item {item!r} is not key=value")
            if key in ("modes", "actions"):
                values[key] = [v.strip() for v in value.split("+") if v.strip()]
            elif key in ("rate", "seed"):
                values[key] = value.strip()
            else:
                raise ValueError(f"unknown fault spec key {key!r} (rate, modes, seed, actions)")
        return cls(**values)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FaultConfig:
        unknown = sorted(set(data) - {"rate", "modes", "seed", "actions"})
        if unknown:
            raise ValueError(f"unknown fault config keys {unknown}")
        return cls(**data)

    def to_json(self) -> dict[str, Any]:
        return {"rate": self.rate, "modes": self.modes, "seed": self.seed, "actions": self.actions}

    def matches(self, action: str) -> bool:
        """Empty ``actions`` means every action; entries may be shell globs (``Create*``)."""
        if not self.actions:
            return True
        return any(fnmatch.fnmatchcase(action, pattern) for pattern in self.actions)


class FaultInjector:
    """Thread-safe, seeded decisions and counters.  Same seed + same call order = same faults."""

    def __init__(self, config: FaultConfig | None = None) -> None:
        self._lock = threading.Lock()
        self.configure(config or FaultConfig())

    def configure(self, config: FaultConfig) -> None:
        with self._lock:
            self.config = config
            self._reset_locked()

    def reset(self) -> None:
        """Zero the counters and re-seed, keeping the configuration."""
        with self._lock:
            self._reset_locked()

    def _reset_locked(self) -> None:
        self._rng = random.Random(self.config.seed)
        self.total = 0
        self.seen_by_action: dict[str, int] = {}
        self.injected_by_mode: dict[str, int] = dict.fromkeys(MODES, 0)
        self.injected_by_action: dict[str, int] = {}

    def decide(self, action: str) -> str | None:
        """Count the request and return the mode to inject, or None to pass it to moto."""
        with self._lock:
            self.total += 1
            self.seen_by_action[action] = self.seen_by_action.get(action, 0) + 1
            config = self.config
            if config.rate <= 0.0 or not config.matches(action):
                return None
            if self._rng.random() >= config.rate:
                return None
            mode = self._rng.choice(config.modes)
            self.injected_by_mode[mode] += 1
            self.injected_by_action[action] = self.injected_by_action.get(action, 0) + 1
            return mode

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "config": self.config.to_json(),
                "counters": {
                    "total": self.total,
                    "injected": sum(self.injected_by_mode.values()),
                    "injected_by_mode": dict(self.injected_by_mode),
                    "injected_by_action": dict(self.injected_by_action),
                    "seen_by_action": dict(self.seen_by_action),
                },
            }


@lru_cache(maxsize=128)
def rest_protocol(service: str) -> str | None:
    """botocore's protocol for a REST service named by its signing name, if botocore knows it."""
    try:
        from botocore.loaders import Loader

        model = Loader().load_service_model(service, "service-2")
    except Exception:  # unknown names fall back to a heuristic
        return None
    return model.get("metadata", {}).get("protocol")


def _xml_error(code: str, message: str, kind: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<ErrorResponse><Error>"
        f"<Type>{kind}</Type><Code>{code}</Code><Message>{message}</Message>"
        f"</Error><RequestId>{uuid.uuid4()}</RequestId></ErrorResponse>"
    )


def _ec2_error(code: str, message: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message></Error>"
        f"</Errors><RequestID>{uuid.uuid4()}</RequestID></Response>"
    )


def _s3_error(code: str, message: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{code}</Code><Message>{message}</Message>"
        f"<RequestId>{uuid.uuid4().hex[:16].upper()}</RequestId></Error>"
    )


Response = tuple[int, list[tuple[str, str]], bytes]

# (status, code, message) per protocol for the "throttle" mode.
_THROTTLE = {
    JSON: (400, "ThrottlingException", "Rate exceeded"),
    REST_JSON: (429, "TooManyRequestsException", "Rate exceeded"),
    QUERY: (400, "Throttling", "Rate exceeded"),
    REST_XML: (400, "Throttling", "Rate exceeded"),
    EC2: (503, "RequestLimitExceeded", "Request limit exceeded."),
    S3: (503, "SlowDown", "Please reduce your request rate."),
}
_UNAVAILABLE = (503, "ServiceUnavailable", "Service is unavailable, please try again")


def error_response(mode: str, protocol: str) -> Response:
    """The reply for ``throttle`` or ``503`` in the wire format of ``protocol``."""
    kind = JSON if protocol == JSON_QUERY else protocol
    status, code, message = _THROTTLE[kind] if mode == "throttle" else _UNAVAILABLE
    request_id = str(uuid.uuid4())
    headers = [("x-amzn-RequestId", request_id)]
    if protocol in (JSON, JSON_QUERY, REST_JSON):
        body = json.dumps({"__type": code, "message": message})
        headers += [("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-ErrorType", code)]
        if protocol == JSON_QUERY:
            query_code = _THROTTLE[QUERY][1] if mode == "throttle" else code
            sender = "Sender" if status < 500 else "Receiver"
            headers.append(("x-amzn-query-error", f"{query_code};{sender}"))
    elif protocol == EC2:
        body = _ec2_error(code, message)
        headers.append(("Content-Type", "text/xml"))
    elif protocol == S3:
        body = _s3_error(code, message)
        headers.append(("Content-Type", "application/xml"))
    else:
        body = _xml_error(code, message, "Sender" if status < 500 else "Receiver")
        headers.append(("Content-Type", "text/xml"))
    data = body.encode()
    headers.append(("Content-Length", str(len(data))))
    return status, headers, data
