#!/usr/bin/env python3
"""Rolling deploy benchmark on a local fleet: rollout time of N hosts vs one host's replacement.

    .venv/bin/python tools/bench_rollout.py [--hosts 8] [--batch 25%]

Builds (or reuses) the host and demo images and the local registry, starts its own emulator,
makes the target group and Auto Scaling group provision.yml would make, brings up the fleet
(playbooks/local_fleet.yml, configure.yml) and deploys v1. Then it times, with deploy.yml:

  noop      a deploy that changes nothing (the fixed cost: validate, lock, plan every host)
  one host  v2 on one host only (--limit), i.e. one host's replacement plus the fixed cost
  rollout   v2 on every host in batches of --batch (the other hosts still on v1)

and prints the numbers and the ratio rollout / (batches x one host); the target is <= 1.3. The
fixed cost is paid once per deploy and the image is pulled on every host at once before the
batches (deploy.yml), so a rollout costs less than batches x one host.
Numbers, not pass/fail (make bench). Everything it made is removed at the end.
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.local_fleet import (  # noqa: E402
    LocalFleet,
    docker_reachable,
    ensure_docker_ready_image,
    ensure_images,
)


def timed(label: str, fleet: LocalFleet, *args: str) -> float:
    started = time.monotonic()
    run = fleet.playbook("playbooks/deploy.yml", *args)
    took = time.monotonic() - started
    if run.returncode != 0:
        raise SystemExit(f"{label}: deploy failed\n{run}")
    print(f"  {label:<10} {took:7.1f} s", flush=True)
    return took


def batches(hosts: int, batch: str) -> int:
    size = math.ceil(hosts * float(batch.rstrip("%")) / 100) if batch.endswith("%") else int(batch)
    return math.ceil(hosts / max(size, 1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hosts", type=int, default=8)
    parser.add_argument("--batch", default="25%", help="serial batch size (percent or hosts)")
    args = parser.parse_args()
    if not docker_reachable():
        print("bench_rollout: skipped, no Docker engine (docker info fails)")
        return 0

    registry = ensure_images("v1", "v2")
    with tempfile.TemporaryDirectory(prefix="appstack-bench-") as work:
        host_image = ensure_docker_ready_image()
        fleet = LocalFleet(Path(work), project="benchtech", size=args.hosts, registry=registry, host_image=host_image)
        fleet.start_emulator()
        try:
            started = time.monotonic()
            fleet.provision()
            fleet.write_inventory()
            fleet.up()
            print(f"rollout benchmark: {args.hosts} local hosts, batches of {args.batch}")
            print(f"  fleet up   {time.monotonic() - started:7.1f} s (containers with Docker installed, configure.yml)")
            timed("first", fleet, "-e", "app_image_tag=v1", "-e", "app_deploy_batch=100%")
            timed("noop", fleet, "-e", "app_image_tag=v1")
            first_host = sorted(fleet.hosts())[0]
            # localhost validates and adds the stack host (starttech) that prepares the deploy.
            only = f"localhost,starttech,{first_host}"
            one = timed("one host", fleet, "-e", "app_image_tag=v2", "--limit", only)
            if fleet.versions()[first_host] != "v2":
                raise SystemExit(f"one host: {first_host} does not run v2 after its deploy")
            fleet.playbook("playbooks/deploy.yml", "-e", "app_image_tag=v1", "--limit", only)
            rollout = timed("rollout", fleet, "-e", "app_image_tag=v2", "-e", f"app_deploy_batch={args.batch}")
            if set(fleet.versions().values()) != {"v2"}:
                raise SystemExit(f"rollout: not every host runs v2: {fleet.versions()}")
            count = batches(args.hosts, args.batch)
            ratio = rollout / (count * one)
            print(f"  batches    {count}")
            print(f"  ratio      {ratio:.2f} = rollout / (batches x one host)   target <= 1.3")
        finally:
            try:
                fleet.down()
            finally:
                fleet.stop_emulator()
    return 0


if __name__ == "__main__":
    sys.exit(main())
