#!/usr/bin/env python3
"""appstack benchmarks: numbers, not pass/fail (`make bench`).

parallel-waits: provisions the local inventory twice on fresh emulators, once with no latency
and once with a latency profile (slow resources stay "creating" for N seconds), and prints the
extra wall time next to the slowest delay and the sum of delays. If slow resources are waited
for together, the extra time is close to the slowest delay, not the sum.

Other benchmarks (tools/bench_*.py) run after it when present.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
# Scaled-down real AWS timings (NAT ~2 min, RDS Multi-AZ ~15 min, Redis ~10 min, CloudFront ~5 min).
DEFAULT_PROFILE = "nat_gateway=20,rds_instance=40,elasticache_replication_group=30,cloudfront_distribution=25"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def provision(latency: str | None) -> float:
    """Wall seconds of provision.yml on the local inventory against a fresh emulator."""
    port = free_port()
    with tempfile.TemporaryDirectory() as state:
        start_cmd = [str(BIN / "appstack-emulator"), "start", "--port", str(port), "--state-dir", state]
        if latency:
            start_cmd += ["--latency", latency]
        subprocess.run(start_cmd, check=True, capture_output=True)
        env = {
            **os.environ,
            "APPSTACK_EMULATOR_URL": f"http://127.0.0.1:{port}",
            "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"),
        }
        try:
            began = time.monotonic()
            done = subprocess.run(
                [str(BIN / "ansible-playbook"), "playbooks/provision.yml", "-i", "inventories/local"],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
            )
            elapsed = time.monotonic() - began
            if done.returncode != 0:
                sys.stderr.write(done.stdout[-4000:])
                raise SystemExit(f"provision.yml failed with latency profile {latency!r}")
            return elapsed
        finally:
            subprocess.run([str(BIN / "appstack-emulator"), "stop", "--state-dir", state], check=False)


def parallel_waits(profile: str) -> None:
    delays = {name: float(value) for name, value in (item.split("=") for item in profile.split(","))}
    baseline = provision(None)
    slow = provision(profile)
    extra = slow - baseline
    print("benchmark parallel-waits (provision.yml, local inventory, both stacks)")
    print(f"  latency profile           {profile}")
    print(f"  wall time, no latency     {baseline:7.1f} s")
    print(f"  wall time, with latency   {slow:7.1f} s")
    print(f"  extra time                {extra:7.1f} s")
    print(f"  slowest resource delay    {max(delays.values()):7.1f} s")
    print(f"  sum of resource delays    {sum(delays.values()):7.1f} s  (waiting in sequence, per stack)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profile", default=DEFAULT_PROFILE, help="latency profile for parallel-waits")
    args = parser.parse_args()
    parallel_waits(args.profile)
    for extra in sorted((ROOT / "tools").glob("bench_*.py")):
        print()
        subprocess.run([sys.executable, str(extra)], cwd=ROOT, check=True)


if __name__ == "__main__":
    main()
