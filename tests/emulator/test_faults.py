"""Fault injection: spec parsing, seeded decisions, wire formats, and each mode end to end."""

from __future__ import annotations

import io
import socket
import urllib.request
from collections.abc import Callable
from typing import Any

import botocore.exceptions
import pytest
from appstack_emulator import faults
from appstack_emulator.middleware import describe_request

from .support import Emulator


# -- pure units ----------------------------------------------------------------------------
def test_spec_parsing() -> None:
    config = faults.FaultConfig.from_spec(
        "rate=0.3,modes=throttle+503+reset+reset_after,seed=7,actions=CreateVpc+DescribeVpcs"
    )
    assert config.to_json() == {
        "rate": 0.3,
        "modes": ["throttle", "503", "reset", "reset_after"],
        "seed": 7,
        "actions": ["CreateVpc", "DescribeVpcs"],
    }
    assert faults.FaultConfig.from_spec("").rate == 0.0
    assert faults.FaultConfig.from_spec("rate=1").modes == faults.DEFAULT_MODES


@pytest.mark.parametrize("spec", ["rate=1.5", "modes=slow", "modes=", "colour=red", "rate"])
def test_bad_specs(spec: str) -> None:
    with pytest.raises(ValueError):
        faults.FaultConfig.from_spec(spec)


def test_same_seed_same_decisions() -> None:
    config = faults.FaultConfig(rate=0.5, modes=list(faults.MODES), seed=42)
    runs = []
    for _ in range(2):
        injector = faults.FaultInjector(config)
        runs.append([injector.decide("DescribeVpcs") for _ in range(200)])
    assert runs[0] == runs[1]
    assert set(runs[0]) == {None, *faults.MODES}
    other = faults.FaultInjector(faults.FaultConfig(rate=0.5, modes=list(faults.MODES), seed=43))
    assert [other.decide("DescribeVpcs") for _ in range(200)] != runs[0]


def test_action_globs() -> None:
    config = faults.FaultConfig(rate=1, actions=["Create*", "PUT /bucket-*"])
    assert config.matches("CreateVpc")
    assert config.matches("PUT /bucket-1")
    assert not config.matches("DescribeVpcs")


def _environ(headers: dict[str, str], body: bytes = b"", **extra: str) -> dict[str, Any]:
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/", "QUERY_STRING": ""}
    environ |= {"wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body))}
    for name, value in headers.items():
        key = name.upper().replace("-", "_")
        environ[key if key == "CONTENT_TYPE" else f"HTTP_{key}"] = value
    return environ | extra


def _auth(service: str) -> dict[str, str]:
    scope = f"testing/20260101/us-east-1/{service}/aws4_request"
    return {"Authorization": f"AWS4-HMAC-SHA256 Credential={scope}, SignedHeaders=host"}


FORM = "application/x-www-form-urlencoded; charset=utf-8"


JSON_TARGET = {"X-Amz-Target": "AmazonEC2ContainerServiceV20141113.CreateCluster"}
REQUESTS = [
    (_auth("ecs") | JSON_TARGET, b"{}", {}, ("CreateCluster", "json")),
    (_auth("ec2") | {"Content-Type": FORM}, b"Action=CreateVpc&V=1", {}, ("CreateVpc", "ec2")),
    (_auth("iam") | {"Content-Type": FORM}, b"Action=ListRoles", {}, ("ListRoles", "query")),
    (_auth("sts"), b"", {"QUERY_STRING": "Action=GetSessionToken"}, ("GetSessionToken", "query")),
    (_auth("s3"), b"", {"REQUEST_METHOD": "PUT", "PATH_INFO": "/bkt"}, ("PUT /bkt", "s3")),
    (_auth("cloudfront"), b"", {"PATH_INFO": "/2020/dist"}, ("POST /2020/dist", "rest-xml")),
    (_auth("lambda"), b"", {"REQUEST_METHOD": "GET", "PATH_INFO": "/f/"}, ("GET /f/", "rest-json")),
]


@pytest.mark.parametrize(("headers", "body", "extra", "expected"), REQUESTS)
def test_describe_request(headers: dict, body: bytes, extra: dict, expected: tuple) -> None:
    environ = _environ(headers, body, **extra)
    assert describe_request(environ) == expected
    assert environ["wsgi.input"].read() == body  # handed on to moto intact


@pytest.mark.parametrize(
    ("mode", "protocol", "status", "fragment"),
    [
        ("throttle", "ec2", 503, b"<Response><Errors><Error><Code>RequestLimitExceeded</Code>"),
        ("throttle", "query", 400, b"<Code>Throttling</Code>"),
        ("throttle", "json", 400, b'"__type": "ThrottlingException"'),
        ("throttle", "rest-json", 429, b'"__type": "TooManyRequestsException"'),
        ("throttle", "s3", 503, b"<Error><Code>SlowDown</Code>"),
        ("503", "query", 503, b"<Code>ServiceUnavailable</Code>"),
        ("503", "json", 503, b'"__type": "ServiceUnavailable"'),
    ],
)
def test_error_bodies(mode: str, protocol: str, status: int, fragment: bytes) -> None:
    got_status, headers, body = faults.error_response(mode, protocol)
    assert got_status == status
    assert fragment in body
    assert ("Content-Length", str(len(body))) in headers


# -- against the server --------------------------------------------------------------------
pytestmark_server = pytest.mark.emulator


def code_of(exc: botocore.exceptions.ClientError) -> tuple[str, int]:
    return exc.response["Error"]["Code"], exc.response["ResponseMetadata"]["HTTPStatusCode"]


@pytestmark_server
@pytest.mark.parametrize(
    ("service", "call", "code", "status"),
    [
        ("ec2", lambda c: c.describe_vpcs(), "RequestLimitExceeded", 503),
        ("iam", lambda c: c.list_roles(), "Throttling", 400),
        ("elbv2", lambda c: c.describe_load_balancers(), "Throttling", 400),
        ("ecs", lambda c: c.list_clusters(), "ThrottlingException", 400),
        ("cloudwatch", lambda c: c.describe_alarms(), "Throttling", 400),
        ("s3", lambda c: c.list_buckets(), "SlowDown", 503),
        ("lambda", lambda c: c.list_functions(), "TooManyRequestsException", 429),
    ],
)
def test_throttle(emulator: Emulator, service: str, call: Callable[[Any], Any], code: str, status: int) -> None:
    emulator.post("/_appstack/faults", {"rate": 1.0, "modes": ["throttle"]})
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        call(emulator.client(service))
    assert code_of(caught.value) == (code, status)


@pytestmark_server
def test_503(emulator: Emulator) -> None:
    emulator.post("/_appstack/faults", {"rate": 1.0, "modes": ["503"]})
    for service, call in [("iam", "list_roles"), ("ecs", "list_clusters")]:
        with pytest.raises(botocore.exceptions.ClientError) as caught:
            getattr(emulator.client(service), call)()
        assert code_of(caught.value) == ("ServiceUnavailable", 503)


def _vpcs_tagged(emulator: Emulator, value: str) -> list[dict[str, Any]]:
    filters = [{"Name": "tag:Run", "Values": [value]}]
    return emulator.client("ec2").describe_vpcs(Filters=filters)["Vpcs"]


def _create_tagged_vpc(emulator: Emulator, value: str) -> None:
    emulator.client("ec2").create_vpc(
        CidrBlock="10.20.0.0/16",
        TagSpecifications=[{"ResourceType": "vpc", "Tags": [{"Key": "Run", "Value": value}]}],
    )


@pytestmark_server
def test_reset_loses_the_call(emulator: Emulator, unique: Callable[[str], str]) -> None:
    run = unique("reset")
    emulator.post("/_appstack/faults", {"rate": 1.0, "modes": ["reset"], "actions": ["CreateVpc"]})
    with pytest.raises(botocore.exceptions.ConnectionClosedError) as caught:
        _create_tagged_vpc(emulator, run)
    assert "ConnectionResetError" in repr(caught.value.kwargs["error"])
    assert _vpcs_tagged(emulator, run) == []


@pytestmark_server
def test_reset_after_loses_only_the_reply(emulator: Emulator, unique: Callable[[str], str]) -> None:
    run = unique("reset-after")
    config = {"rate": 1.0, "modes": ["reset_after"], "actions": ["CreateVpc"]}
    emulator.post("/_appstack/faults", config)
    with pytest.raises(botocore.exceptions.ConnectionClosedError):
        _create_tagged_vpc(emulator, run)
    created = _vpcs_tagged(emulator, run)
    assert len(created) == 1
    assert created[0]["CidrBlock"] == "10.20.0.0/16"  # the form body reached moto intact


@pytestmark_server
def test_reset_is_a_tcp_reset_not_a_close(emulator: Emulator) -> None:
    emulator.post("/_appstack/faults", {"rate": 1.0, "modes": ["reset"]})
    request = f"GET /?Action=DescribeVpcs&Version=2016-11-15 HTTP/1.1\r\nHost: 127.0.0.1:{emulator.port}\r\n\r\n"
    with socket.create_connection(("127.0.0.1", emulator.port), timeout=10) as sock:
        sock.sendall(request.encode())
        with pytest.raises(ConnectionResetError):
            sock.recv(1024)  # an orderly close (FIN) would return b"" instead


@pytestmark_server
def test_action_filter(emulator: Emulator, unique: Callable[[str], str]) -> None:
    emulator.post("/_appstack/faults", {"rate": 1.0, "modes": ["throttle"], "actions": ["Create*"]})
    ec2 = emulator.client("ec2")
    ec2.describe_vpcs()
    with pytest.raises(botocore.exceptions.ClientError):
        ec2.create_vpc(CidrBlock="10.21.0.0/16")
    s3 = emulator.client("s3")
    bucket = unique("faulted")
    emulator.post("/_appstack/faults", {"rate": 1.0, "modes": ["503"], "actions": [f"PUT /{bucket}"]})
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        s3.create_bucket(Bucket=bucket)
    assert code_of(caught.value) == ("ServiceUnavailable", 503)
    s3.create_bucket(Bucket=unique("not-faulted"))


@pytestmark_server
def test_seed_reproducible_over_http(emulator: Emulator) -> None:
    config = {"rate": 0.5, "modes": ["throttle", "503"], "seed": 7}
    ec2 = emulator.client("ec2")

    def outcomes() -> list[str]:
        emulator.post("/_appstack/faults", config)
        result = []
        for _ in range(16):
            try:
                ec2.describe_key_pairs()
                result.append("ok")
            except botocore.exceptions.ClientError as exc:
                result.append(exc.response["Error"]["Code"])
        return result

    first = outcomes()
    assert outcomes() == first
    assert {"ok", "RequestLimitExceeded", "ServiceUnavailable"} == set(first)


@pytestmark_server
def test_counters_and_control_paths_are_never_faulted(emulator: Emulator) -> None:
    emulator.post("/_appstack/faults", {"rate": 1.0, "modes": ["throttle"], "seed": 1})
    iam = emulator.client("iam")
    for _ in range(3):
        with pytest.raises(botocore.exceptions.ClientError):
            iam.list_users()
    assert emulator.get("/_appstack/health")["status"] == "ok"
    with urllib.request.urlopen(f"{emulator.url}/moto-api/config", timeout=10) as reply:
        assert reply.status < 300
    counters = emulator.get("/_appstack/faults")["counters"]
    assert counters["total"] == 3
    assert counters["injected"] == 3
    assert counters["injected_by_mode"]["throttle"] == 3
    assert counters["injected_by_action"] == {"ListUsers": 3}
    assert counters["seen_by_action"] == {"ListUsers": 3}
    reset = emulator.post("/_appstack/faults/reset")
    assert reset["counters"]["total"] == 0
    assert reset["config"]["rate"] == 1.0


@pytestmark_server
@pytest.mark.parametrize("body", [{"rate": 3}, {"modes": ["explode"]}, {"colour": "red"}, {"rate": "x"}])
def test_bad_fault_config_is_rejected(emulator: Emulator, body: dict[str, Any]) -> None:
    assert emulator.post_status("/_appstack/faults", body) == 400
    assert emulator.get("/_appstack/faults")["config"]["rate"] == 0.0


@pytestmark_server
def test_retries_get_through(emulator: Emulator) -> None:
    """With botocore's standard retries, a 50 % fault rate is absorbed."""
    emulator.post("/_appstack/faults", {"rate": 0.5, "modes": ["throttle", "503"], "seed": 4})
    ecs = emulator.client("ecs", attempts=10)
    for _ in range(2):
        assert "clusterArns" in ecs.list_clusters()
    assert emulator.get("/_appstack/faults")["counters"]["injected"] > 0
