"""A local fleet on its own emulator, for the rolling deploy end-to-end tests and the benchmark.

What provision.yml would make for the fleet (a target group and an Auto Scaling group named as
aws_load_balancer and aws_fleet name them, a log group for the deploy audit) is made here with
boto3, so that these tests exercise exactly the local fleet, configure and deploy playbooks.
The stack is StartTech under another project name (its own containers, load balancer and lock).
"""

from __future__ import annotations

import collections
import http.client
import os
import shutil
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import yaml
from botocore.config import Config

from tests.support.playbooks import ROOT, Run, inventory_copy, run_playbook

DEMO_BUILD = ROOT / "apps/demo/build.sh"
REGISTRY = ROOT / "tools/hosts/registry.sh"
HOST_IMAGE = ROOT / "tools/hosts/build-host-image.sh"
EMULATOR_CLI = ROOT / ".venv/bin/appstack-emulator"


def docker_reachable() -> bool:
    if shutil.which("docker") is None:
        return False
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=30, check=False).returncode == 0
    except subprocess.TimeoutExpired:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def sh(*command: str | Path, timeout: int = 900) -> str:
    done = subprocess.run([str(c) for c in command], capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, command))} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout.strip()


def ensure_images(*versions: str, failing: tuple[str, ...] = ()) -> str:
    """Host image, demo images (pushed to the local registry); return the hosts' registry address."""
    sh(HOST_IMAGE, timeout=1800)
    sh(REGISTRY, "start")
    for version in versions:
        sh(DEMO_BUILD, version, "--push")
    for version in failing:
        sh(DEMO_BUILD, version, "--fail-health", "--push")
    return sh(REGISTRY, "address")


# What docker_host (source distribution) installs on Debian 12, baked into the hosts' image so
# that a test fleet spends its time on the deploys: configure.yml still runs docker_host on
# them (daemon.json, service), finding the packages there. molecule/docker_host tests the install.
DOCKER_READY_IMAGE = "appstack/host-docker:debian12"
DOCKER_READY_DOCKERFILE = """\
FROM {base}
RUN apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \\
    docker.io python3-requests && apt-get clean
"""


def ensure_docker_ready_image() -> str:
    """The host image with Docker Engine installed (Docker's build cache: instant once built)."""
    base = sh(HOST_IMAGE, timeout=1800).splitlines()[-1]
    done = subprocess.run(
        ["docker", "build", "--quiet", "--tag", DOCKER_READY_IMAGE, "-"],
        input=DOCKER_READY_DOCKERFILE.format(base=base),
        env={**os.environ, "DOCKER_BUILDKIT": "0"},
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"building {DOCKER_READY_IMAGE} failed:\n{done.stdout}\n{done.stderr}")
    return DOCKER_READY_IMAGE


@dataclass
class LocalFleet:
    """A fleet of ``size`` host containers of project ``project`` behind its own local load balancer."""

    work_dir: Path
    project: str = "e2etech"
    size: int = 4
    registry: str = "172.17.0.1:5000"
    deregistration_delay: int = 5
    # Image of the host containers; empty: the local inventory's (appstack/host:debian12).
    host_image: str = ""
    emulator_port: int = field(default_factory=free_port)
    lb_port: int = field(default_factory=free_port)

    def __post_init__(self) -> None:
        self.emulator_url = f"http://127.0.0.1:{self.emulator_port}"
        self.prefix = f"{self.project}-local"
        self.state_dir = self.work_dir / "emulator"
        self.inventory = self.work_dir / "inventory"
        self.env = {
            "APPSTACK_EMULATOR_URL": self.emulator_url,
            "APPSTACK_LOCAL_LB_PORT": str(self.lb_port),
            "AWS_MAX_ATTEMPTS": "5",
        }

    # -- emulator and AWS side -----------------------------------------------------------
    def client(self, service: str) -> Any:
        return boto3.client(
            service,
            endpoint_url=self.emulator_url,
            region_name="us-east-1",
            aws_access_key_id="local-e2e",
            aws_secret_access_key="local-e2e",
            config=Config(retries={"max_attempts": 3, "mode": "standard"}),
        )

    def start_emulator(self) -> None:
        sh(EMULATOR_CLI, "start", "--port", str(self.emulator_port), "--state-dir", self.state_dir)

    def stop_emulator(self) -> None:
        subprocess.run(
            [str(EMULATOR_CLI), "stop", "--state-dir", str(self.state_dir)], capture_output=True, check=False
        )

    def provision(self) -> None:
        """The target group, Auto Scaling group and log group provision.yml would make."""
        ec2, elbv2 = self.client("ec2"), self.client("elbv2")
        vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.11.0/24", AvailabilityZone="us-east-1a")["Subnet"]
        group = elbv2.create_target_group(
            Name=f"{self.prefix}-backend",
            Protocol="HTTP",
            Port=8080,
            VpcId=vpc,
            TargetType="ip",
            HealthCheckPath="/health",
            HealthCheckIntervalSeconds=5,
            HealthCheckTimeoutSeconds=2,
            HealthyThresholdCount=2,
            UnhealthyThresholdCount=2,
        )["TargetGroups"][0]
        self.target_group_arn = group["TargetGroupArn"]
        elbv2.modify_target_group_attributes(
            TargetGroupArn=self.target_group_arn,
            Attributes=[{"Key": "deregistration_delay.timeout_seconds", "Value": str(self.deregistration_delay)}],
        )
        image = ec2.describe_images()["Images"][0]["ImageId"]
        ec2.create_launch_template(
            LaunchTemplateName=f"{self.prefix}-fleet", LaunchTemplateData={"ImageId": image, "InstanceType": "t3.small"}
        )
        self.client("autoscaling").create_auto_scaling_group(
            AutoScalingGroupName=f"{self.prefix}-fleet",
            LaunchTemplate={"LaunchTemplateName": f"{self.prefix}-fleet"},
            MinSize=0,
            MaxSize=max(self.size, 1),
            DesiredCapacity=self.size,
            VPCZoneIdentifier=subnet["SubnetId"],
        )
        self.client("logs").create_log_group(logGroupName=f"/{self.project}/local/deploys")
        # What aws_secrets makes for the app's secrets (appstack_stack.app.secrets).
        self.client("secretsmanager").create_secret(
            Name=f"{self.project}/local/mongodb_url", SecretString="mongodb://e2e.invalid:27017/app"
        )

    def write_inventory(self) -> None:
        """inventories/local with only StartTech, renamed, and the deploy settings for the demo app."""
        if self.inventory.exists():
            shutil.rmtree(self.inventory)
        fleet_settings: dict[str, Any] = {"docker_host_insecure_registries": [self.registry]}
        if self.host_image:
            fleet_settings["appstack_local_fleet_image"] = self.host_image
        inventory_copy(self.work_dir, "local", {"local_fleet.yml": fleet_settings}).rename(self.inventory)
        stack = {
            "project": self.project,
            "fleet": {"desired_capacity": self.size},
            "monitoring": {"log_groups": ["deploys"]},
            "app": {
                "name": "backend",
                "repository": "appstack/demo",
                "registry": self.registry,
                "default_tag": "v1",
                "port": 8080,
                "health_path": "/health",
                "env": {},
                "secrets": {},
                "restart_policy": "unless-stopped",
                "log_driver": "json-file",  # awslogs options of the catalog are dropped by the wiring
                # The demo app answers at once; a bad release is given up on sooner.
                "health_timeout": 20,
            },
        }
        stacks = self.inventory / "group_vars/all/stacks.yml"
        stacks.write_text(yaml.safe_dump({"appstack_stacks": {"starttech": stack}}))
        for stale in self.inventory.glob("*.generated.yml"):
            stale.unlink()

    # -- playbooks -----------------------------------------------------------------------
    def playbook(self, name: str, *args: str) -> Run:
        return run_playbook(name, self.inventory, *args, env=self.env)

    def deploy(self, tag: str, *args: str) -> Run:
        return self.playbook("playbooks/deploy.yml", "-e", f"app_image_tag={tag}", *args)

    def deploy_process(self, tag: str, *args: str) -> subprocess.Popen[str]:
        command = [str(ROOT / ".venv/bin/ansible-playbook"), "playbooks/deploy.yml", "-i", str(self.inventory)]
        command += ["-e", f"app_image_tag={tag}", *args]
        env = {**os.environ, "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"), "ANSIBLE_NOCOLOR": "1", **self.env}
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def up(self) -> None:
        for playbook in ("playbooks/local_fleet.yml", "playbooks/configure.yml"):
            run = self.playbook(playbook)
            if run.returncode != 0:
                raise RuntimeError(f"{playbook} failed:\n{run}")

    # -- what runs -----------------------------------------------------------------------
    def hosts(self) -> dict[str, str]:
        """Host name -> IP address, from the inventory file local_fleet.yml wrote."""
        data = yaml.safe_load((self.inventory / f"{self.prefix}-fleet.generated.yml").read_text())
        return {name: values["appstack_target_id"] for name, values in data["all"]["hosts"].items()}

    def versions(self) -> dict[str, str]:
        """Each host's /version, asked directly (not through the load balancer)."""
        found = {}
        for name, address in self.hosts().items():
            conn = http.client.HTTPConnection(address, 8080, timeout=5)
            try:
                conn.request("GET", "/version")
                found[name] = conn.getresponse().read().decode().strip()
            except OSError as exc:
                found[name] = f"error: {exc}"
            finally:
                conn.close()
        return found

    def lock(self) -> str | None:
        try:
            return self.client("ssm").get_parameter(Name=f"/{self.project}/local/deploy-lock")["Parameter"]["Value"]
        except self.client("ssm").exceptions.ParameterNotFound:
            return None

    def audit_events(self) -> list[str]:
        logs = self.client("logs")
        try:
            events = logs.get_log_events(logGroupName=f"/{self.project}/local/deploys", logStreamName="deploys")
        except logs.exceptions.ResourceNotFoundException:
            return []
        return [e["message"] for e in events["events"]]

    def host_audit(self, host: str) -> list[str]:
        done = subprocess.run(
            ["docker", "exec", host, "cat", "/var/log/appstack-deploys.jsonl"], capture_output=True, text=True
        )
        return done.stdout.splitlines()

    # -- teardown ------------------------------------------------------------------------
    def down(self) -> None:
        """Scale the group to nothing: local_fleet.yml removes the hosts and stops the load balancer."""
        try:
            self.client("autoscaling").delete_auto_scaling_group(
                AutoScalingGroupName=f"{self.prefix}-fleet", ForceDelete=True
            )
            self.playbook("playbooks/local_fleet.yml")
        finally:
            remove_local_fleet(self.prefix, self.emulator_url)


def remove_local_fleet(prefix: str, emulator_url: str) -> None:
    """Whatever a local fleet of prefix on that emulator left: its host containers and its load
    balancer (for a test's teardown, when the playbooks may not have got that far)."""
    ours = ["--filter", f"label=appstack.local-fleet={prefix}", "--filter", f"label=appstack.endpoint={emulator_url}"]
    leftovers = subprocess.run(["docker", "ps", "-aq", *ours], capture_output=True, text=True).stdout.split()
    if leftovers:
        subprocess.run(["docker", "rm", "-f", *leftovers], capture_output=True, check=False)
    lb_state = ROOT / ".emulator" / f"lb-{prefix}-{emulator_url.rsplit(':', 1)[1]}"
    subprocess.run(
        [str(ROOT / ".venv/bin/python"), "-m", "appstack_emulator.lb", "stop", "--state-dir", str(lb_state)],
        capture_output=True,
        check=False,
    )
    shutil.rmtree(lb_state, ignore_errors=True)


class LoadGenerator:
    """Continuous GETs through the local load balancer, bounded in time and count, loopback only."""

    def __init__(
        self, port: int, path: str = "/version", workers: int = 4, max_seconds: float = 900, max_requests: int = 500_000
    ) -> None:
        self.port, self.path, self.workers = port, path, workers
        self.max_seconds, self.max_requests = max_seconds, max_requests
        self.answers: collections.Counter[str] = collections.Counter()
        self.failures: list[Any] = []
        self.count = 0
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._run, daemon=True) for _ in range(workers)]

    def _connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)

    def _run(self) -> None:
        deadline = time.monotonic() + self.max_seconds
        conn = self._connect()
        while not self.stopping.is_set() and time.monotonic() < deadline:
            with self.lock:
                if self.count >= self.max_requests:
                    break
                self.count += 1
            try:
                conn.request("GET", self.path)
                response = conn.getresponse()
                body = response.read().decode().strip()
                with self.lock:
                    if response.status == 200:
                        self.answers[body] += 1
                    else:
                        self.failures.append((time.time(), response.status, body[:100]))
            except (OSError, http.client.HTTPException) as exc:
                with self.lock:
                    self.failures.append((time.time(), repr(exc)))
                conn.close()
                conn = self._connect()
            time.sleep(0.005)
        conn.close()

    def __enter__(self) -> LoadGenerator:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join()
