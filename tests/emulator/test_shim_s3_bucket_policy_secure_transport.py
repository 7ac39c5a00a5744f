"""Shim s3_bucket_policy_secure_transport: a TLS-only bucket policy lets requests over TLS in."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import botocore.exceptions
import pytest
from appstack_emulator.shims.s3_bucket_policy_secure_transport import applies_over_tls

from .support import Emulator

pytestmark = pytest.mark.emulator


def _tls_only_bucket(emu: Emulator, name: str) -> Any:
    s3 = emu.client("s3")
    s3.create_bucket(Bucket=name)
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [f"arn:aws:s3:::{name}", f"arn:aws:s3:::{name}/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            },
            {
                "Sid": "DenyDeletes",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:DeleteObject",
                "Resource": f"arn:aws:s3:::{name}/protected/*",
            },
        ],
    }
    s3.put_bucket_policy(Bucket=name, Policy=json.dumps(policy))
    return s3


def test_requests_over_tls_pass_a_tls_only_policy(emulator: Emulator, unique: Callable[[str], str]) -> None:
    bucket = unique("tls")
    s3 = _tls_only_bucket(emulator, bucket)
    s3.put_object(Bucket=bucket, Key="index.html", Body=b"<html></html>")
    assert s3.get_object(Bucket=bucket, Key="index.html")["Body"].read() == b"<html></html>"
    reply = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "index.html"}]})
    assert not reply.get("Errors")


def test_unconditional_deny_still_denies(emulator: Emulator, unique: Callable[[str], str]) -> None:
    bucket = unique("tls")
    s3 = _tls_only_bucket(emulator, bucket)
    s3.put_object(Bucket=bucket, Key="protected/a", Body=b"a")
    reply = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "protected/a"}]})
    assert [error["Code"] for error in reply["Errors"]] == ["AccessDenied"]


@pytest.mark.parametrize(
    ("condition", "applies"),
    [
        pytest.param({"Bool": {"aws:SecureTransport": "false"}}, False, id="insecure-only"),
        pytest.param({"Bool": {"aws:SecureTransport": ["false"]}}, False, id="insecure-only-list"),
        pytest.param({"Bool": {"aws:SecureTransport": "true"}}, True, id="secure-only"),
        pytest.param({"BoolIfExists": {"aws:securetransport": False}}, False, id="if-exists-any-case"),
        pytest.param({"StringEquals": {"aws:SourceArn": "arn"}}, True, id="other-condition"),
        pytest.param(None, True, id="no-condition"),
    ],
)
def test_applies_over_tls(condition: dict[str, Any] | None, applies: bool) -> None:
    assert applies_over_tls({"Effect": "Deny", "Condition": condition}) is applies


def test_gap_moto_denies_every_object_request(bare_emulator: Emulator, unique: Callable[[str], str]) -> None:
    bucket = unique("tls")
    s3 = _tls_only_bucket(bare_emulator, bucket)
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        s3.put_object(Bucket=bucket, Key="index.html", Body=b"<html></html>")
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
