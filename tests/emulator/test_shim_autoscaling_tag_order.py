"""Shim autoscaling_tag_order: a group's tags come back sorted by key, as AWS returns them."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from .fleet_support import describe_group, group, launch_template, subnet
from .support import Emulator

pytestmark = pytest.mark.emulator

TAGS = [{"Key": key, "Value": "v", "PropagateAtLaunch": True} for key in ("Stack", "Name", "Component")]


def _keys(emu: Emulator, name: str) -> list[str]:
    return [tag["Key"] for tag in describe_group(emu, name)["Tags"]]


def test_tags_sorted_by_key(emulator: Emulator, unique: Callable[[str], str]) -> None:
    name = unique("tags")
    group(emulator, name, launch_template(emulator, name), subnet(emulator, "10.62"), Tags=TAGS)
    assert _keys(emulator, name) == ["Component", "Name", "Stack"]
    emulator.client("autoscaling").create_or_update_tags(
        Tags=[{"ResourceId": name, "ResourceType": "auto-scaling-group", "Key": "Alpha", "Value": "a"}]
    )
    assert _keys(emulator, name) == ["Alpha", "Component", "Name", "Stack"]


def test_gap_tags_in_insertion_order(bare_emulator: Emulator, unique: Callable[[str], str]) -> None:
    name = unique("tags")
    group(bare_emulator, name, launch_template(bare_emulator, name), subnet(bare_emulator, "10.62"), Tags=TAGS)
    assert _keys(bare_emulator, name) == ["Stack", "Name", "Component"]
