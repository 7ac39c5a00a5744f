"""Shim cloudfront_distribution_origins: S3 origins keep their access settings, as on AWS."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from .support import Emulator

pytestmark = pytest.mark.emulator


def _distribution(emu: Emulator, name: str) -> tuple[Any, dict[str, Any]]:
    """A distribution whose S3 origin uses an origin access control; returns its config."""
    cloudfront = emu.client("cloudfront")
    control = cloudfront.create_origin_access_control(
        OriginAccessControlConfig={
            "Name": name,
            "Description": "",
            "SigningProtocol": "sigv4",
            "SigningBehavior": "always",
            "OriginAccessControlOriginType": "s3",
        }
    )["OriginAccessControl"]["Id"]
    config = {
        "CallerReference": name,
        "Comment": name,
        "Enabled": True,
        "Origins": {
            "Quantity": 1,
            "Items": [
                {
                    "Id": "s3-origin",
                    "DomainName": f"{name}.s3.us-east-1.amazonaws.com",
                    "S3OriginConfig": {"OriginAccessIdentity": ""},
                    "OriginAccessControlId": control,
                }
            ],
        },
        "DefaultCacheBehavior": {"TargetOriginId": "s3-origin", "ViewerProtocolPolicy": "redirect-to-https"},
    }
    distribution_id = cloudfront.create_distribution(DistributionConfig=config)["Distribution"]["Id"]
    stored = cloudfront.get_distribution_config(Id=distribution_id)["DistributionConfig"]
    return control, stored


def test_s3_origin_keeps_its_origin_access_control(emulator: Emulator, unique: Callable[[str], str]) -> None:
    control, config = _distribution(emulator, unique("oac"))
    origin = config["Origins"]["Items"][0]
    assert origin["OriginAccessControlId"] == control
    assert origin["S3OriginConfig"] == {"OriginAccessIdentity": ""}
    behaviour = config["DefaultCacheBehavior"]
    for field in ("CachePolicyId", "OriginRequestPolicyId", "RealtimeLogConfigArn"):
        assert field not in behaviour


def test_gap_moto_drops_the_origin_access_control(bare_emulator: Emulator, unique: Callable[[str], str]) -> None:
    _, config = _distribution(bare_emulator, unique("oac"))
    origin = config["Origins"]["Items"][0]
    assert "OriginAccessControlId" not in origin
    assert "S3OriginConfig" not in origin
    assert config["DefaultCacheBehavior"]["CachePolicyId"] == ""
