"""Shim elasticache_replication_group_deletion: a deleted group goes away (after the latency delay)."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from .elasticache_support import describe, error_code, replication_group
from .support import Emulator

pytestmark = pytest.mark.emulator

# Long enough that a describe right after the delete is well inside it on a loaded machine.
DELAY = 4.0


def test_deleted_group_is_gone_and_its_id_free(emulator: Emulator, unique: Callable[[str], str]) -> None:
    name = unique("delete")
    replication_group(emulator, name)
    elasticache = emulator.client("elasticache")

    reply = elasticache.delete_replication_group(ReplicationGroupId=name)

    assert reply["ReplicationGroup"]["Status"] == "deleting"
    assert reply["ReplicationGroup"]["MemberClusters"] == [f"{name}-001", f"{name}-002"]
    assert error_code(lambda: describe(emulator, name)) == "ReplicationGroupNotFoundFault"
    assert (
        error_code(lambda: elasticache.describe_cache_clusters(CacheClusterId=f"{name}-001")) == "CacheClusterNotFound"
    )
    replication_group(emulator, name)  # the id can be used again
    assert describe(emulator, name)["Status"] == "available"


def test_deletion_takes_the_latency_delay(emulator: Emulator, unique: Callable[[str], str]) -> None:
    name = unique("slow-delete")
    replication_group(emulator, name)
    # The delay also keeps a young group "creating" (not deletable): let this one grow older first.
    time.sleep(DELAY + 0.3)
    emulator.post("/_appstack/latency", {"elasticache_replication_group": DELAY})
    elasticache = emulator.client("elasticache")

    elasticache.delete_replication_group(ReplicationGroupId=name)
    started = time.monotonic()
    status = describe(emulator, name)["Status"]
    age = time.monotonic() - started
    again = error_code(lambda: elasticache.delete_replication_group(ReplicationGroupId=name))
    time.sleep(DELAY + 0.3)

    assert age < DELAY, "the describe took longer than the delay"
    assert status == "deleting"
    assert again == "InvalidReplicationGroupState"
    assert error_code(lambda: describe(emulator, name)) == "ReplicationGroupNotFoundFault"


def test_a_group_being_created_is_not_deleted(emulator: Emulator, unique: Callable[[str], str]) -> None:
    emulator.post("/_appstack/latency", {"elasticache_replication_group": 60})
    name = unique("busy")
    replication_group(emulator, name)
    elasticache = emulator.client("elasticache")
    assert error_code(lambda: elasticache.delete_replication_group(ReplicationGroupId=name)) == (
        "InvalidReplicationGroupState"
    )
    emulator.post("/_appstack/latency", {})
    assert error_code(lambda: elasticache.delete_replication_group(ReplicationGroupId=name)) is None


def test_gap_deleting_for_ever(bare_emulator: Emulator, unique: Callable[[str], str]) -> None:
    name = unique("delete")
    replication_group(bare_emulator, name)
    elasticache = bare_emulator.client("elasticache")
    elasticache.delete_replication_group(ReplicationGroupId=name)
    assert describe(bare_emulator, name)["Status"] == "deleting"
    assert error_code(lambda: replication_group(bare_emulator, name)) == "ReplicationGroupAlreadyExists"
