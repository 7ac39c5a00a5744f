"""EC2: keep moto's per-region Amazon Linux and ECS-optimised AMIs when MOTO_AMIS_PATH is set.

The server points MOTO_AMIS_PATH at moto's default AMIs plus Ubuntu 22.04 (see amis.py).
moto then skips the per-region AMIs (``latest_amis``, ``ecs/optimized_amis``) that the SSM
parameters ``/aws/service/ami-amazon-linux-latest/*`` and ``/aws/service/ecs/optimized-ami/*``
point to, so resolving an AMI through SSM gives an id that DescribeImages does not know.
"""

from __future__ import annotations

import os
from typing import Any

NAME = "ec2_latest_amis"
MOTO_VERSION = "5.2.5"
GAP = (
    "with MOTO_AMIS_PATH set (needed for Ubuntu 22.04 AMIs) moto drops its per-region Amazon "
    "Linux / ECS-optimised AMIs, so AMI ids from SSM /aws/service/... parameters do not exist"
)

REGION_FILES = ("latest_amis", "ecs/optimized_amis")


def _load_region_amis(backend: Any) -> None:
    from moto.core.parse import default_timestamp_parser
    from moto.ec2.models.amis import Ami
    from moto.utilities.utils import load_resource

    for path in REGION_FILES:
        try:
            amis = load_resource(f"ec2/resources/{path}/{backend.region_name}.json")
        except FileNotFoundError:
            continue
        for ami in amis:
            if ami["ami_id"] in backend.amis:
                continue
            ami = dict(ami, owner_alias="amazon")
            if isinstance(ami.get("creation_date"), str):
                ami["creation_date"] = default_timestamp_parser(ami["creation_date"])
            backend.amis[ami["ami_id"]] = Ami(backend, **ami)


def apply() -> None:
    from moto import settings
    from moto.ec2.models.amis import AmiBackend

    original = AmiBackend._load_amis

    def _load_amis(self: Any) -> None:
        original(self)
        if "MOTO_AMIS_PATH" in os.environ and settings.ec2_load_default_amis():
            _load_region_amis(self)

    AmiBackend._load_amis = _load_amis
