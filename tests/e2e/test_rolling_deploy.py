"""Rolling deploys on a local fleet of 4 hosts, under load through the local load balancer.

One fleet for the module (tests/support/local_fleet.py): its own emulator, host containers,
load balancer and deploy lock, v1 on every host to begin with. The tests run in order: v1 -> v2
in batches of 25 % under load, with a second deploy started meanwhile that stops at the lock;
the same tag again changes nothing; a v3 whose health check fails stops in its first batch and
rolls back.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest

from tests.support.local_fleet import (
    LoadGenerator,
    LocalFleet,
    docker_reachable,
    ensure_docker_ready_image,
    ensure_images,
)
from tests.support.playbooks import Run

pytestmark = [
    pytest.mark.slow,
    pytest.mark.docker,
    pytest.mark.skipif(not docker_reachable(), reason="no Docker engine (docker info fails)"),
]

HOSTS = 4


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalFleet]:
    registry = ensure_images("v1", "v2", failing=("v3",))
    host_image = ensure_docker_ready_image()
    fleet = LocalFleet(tmp_path_factory.mktemp("fleet"), size=HOSTS, registry=registry, host_image=host_image)
    fleet.start_emulator()
    try:
        fleet.provision()
        fleet.write_inventory()
        fleet.up()
        # The starting point, not under test: v1 on every host in one batch.
        first = fleet.deploy("v1", "-e", "app_deploy_batch=100%")
        assert first.returncode == 0, str(first)
        yield fleet
    finally:
        try:
            fleet.down()
        finally:
            fleet.stop_emulator()


def test_rolling_deploy_under_load_fails_no_request_and_a_second_deploy_stops_at_the_lock(fleet: LocalFleet) -> None:
    assert set(fleet.versions().values()) == {"v1"}
    with LoadGenerator(fleet.lb_port) as load:
        time.sleep(2)
        first = fleet.deploy_process("v2", "-e", "app_container_deployer=first-deployer")
        deadline = time.monotonic() + 300
        while fleet.lock() is None and time.monotonic() < deadline and first.poll() is None:
            time.sleep(0.2)
        assert fleet.lock() is not None, "the first deploy never took the lock"
        # Started while the first one holds the lock: it stops there and touches no host.
        second = fleet.deploy("v2", "-e", "app_container_deployer=second-deployer")
        output, _ = first.communicate(timeout=1800)
        run = Run(first.returncode, output)
        time.sleep(2)
    assert run.returncode == 0, str(run)
    assert second.returncode != 0
    assert "Deploy lock /e2etech/local/deploy-lock is held by first-deployer" in second.output, str(second)
    assert "image tag v2" in second.output and "Another deploy of this environment is running" in second.output
    assert not any(second.changed.get(host) for host in fleet.hosts()), second.recap

    assert load.failures == [], load.failures[:10]
    assert load.answers["v1"] > 0 and load.answers["v2"] > 0, load.answers
    assert fleet.versions() == {host: "v2" for host in fleet.hosts()}
    # Four batches of one host (25 %): every host was replaced and recorded the deploy.
    assert run.output.count("PLAY [Roll out the application image]") == HOSTS, run.output[-3000:]
    assert all(run.changed[host] > 0 for host in fleet.hosts()), run.changed
    for host in fleet.hosts():
        record = json.loads(fleet.host_audit(host)[-1])
        assert (record["result"], record["image_tag"], record["deployer"]) == ("deployed", "v2", "first-deployer")
    event = json.loads(fleet.audit_events()[-1])
    assert (event["result"], event["image_tag"], event["deployer"]) == ("success", "v2", "first-deployer")
    assert sorted(event["hosts_updated"]) == sorted(fleet.hosts())
    assert fleet.lock() is None


def test_same_tag_again_changes_nothing(fleet: LocalFleet) -> None:
    run = fleet.playbook("playbooks/deploy.yml")  # no tag: the released one (v2) is kept
    assert run.returncode == 0, str(run)
    assert sum(run.changed.values()) == 0, run.changed


def test_failing_release_stops_in_first_batch_and_rolls_back(fleet: LocalFleet) -> None:
    with LoadGenerator(fleet.lb_port) as load:
        run = fleet.deploy("v3")
        time.sleep(2)
    assert run.returncode != 0
    assert "Deploy of" in run.output and "stopped" in run.output, str(run)
    assert load.failures == [], load.failures[:10]
    assert set(load.answers) == {"v2"}, load.answers  # v3 never served a request
    assert fleet.versions() == {host: "v2" for host in fleet.hosts()}
    # Only the first batch (one host of four) was touched.
    touched = [host for host in fleet.hosts() if (fleet.host_audit(host) or ["{}"])[-1].find('"v3"') >= 0]
    assert len(touched) == 1, touched
    assert json.loads(fleet.host_audit(touched[0])[-1])["result"] == "rolled-back"
    assert json.loads(fleet.audit_events()[-1])["result"] == "failed"
    assert fleet.lock() is None
