"""The dev, staging and prod inventories: complete, commented, sized as each environment should
be, with their secrets in per-environment vaults; and site.yml with each of them, against an
emulator of its own, with only the endpoint and a test vault overridden, builds those sizes."""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
import yaml
from ansible_collections.appstack.cloud.plugins.filter.stacks import resolve_stacks

from tests.support.emulator import own_emulator
from tests.support.playbooks import ROOT, Run

ENVIRONMENTS = ("dev", "staging", "prod")
FILES = (
    "hosts.yml",
    "aws_ec2.yml",
    "group_vars/all/environment.yml",
    "group_vars/all/aws.yml",
    "group_vars/all/stacks.yml",
    "group_vars/all/fleet_connection.yml",
    "group_vars/all/smoke.yml",
    "group_vars/all/vault.yml",
    "group_vars/all/vault.yml.example",
)
# EC2 sizes within a family, smallest first.
INSTANCE_SIZES = ("nano", "micro", "small", "medium", "large", "xlarge", "2xlarge")


class _VaultLoader(yaml.SafeLoader):
    """Reads vault files without decrypting: a !vault value becomes its ciphertext."""


_VaultLoader.add_constructor("!vault", lambda loader, node: {"vault": loader.construct_scalar(node)})


def inventory_vars(environment: str) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for path in sorted((ROOT / "inventories" / environment / "group_vars" / "all").glob("*.yml")):
        merged.update(yaml.load(path.read_text(), Loader=_VaultLoader) or {})
    return merged


def catalog() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "group_vars/all/stacks.yml").read_text())["appstack_stack_catalog"]


def stacks(environment: str) -> dict[str, Any]:
    return resolve_stacks(catalog(), inventory_vars(environment)["appstack_stacks"])


def secret_vars(resolved: dict[str, Any]) -> set[str]:
    return {
        entry["value_var"]
        for stack in resolved.values()
        for entry in stack.get("secrets", {}).get("entries", [])
        if "value_var" in entry
    }


# --- the inventories as files -----------------------------------------------------------------


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_every_environment_has_every_file(environment):
    for name in FILES:
        assert (ROOT / "inventories" / environment / name).is_file(), name


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_every_setting_is_commented(environment):
    """Each setting sits in a paragraph (lines without a blank one) that a comment opens."""
    folder = ROOT / "inventories" / environment
    for path in [folder / "aws_ec2.yml", *sorted((folder / "group_vars").rglob("*.yml"))]:
        lines = path.read_text().splitlines()
        for number, line in enumerate(lines):
            if not re.match(r"^\s*[\w:.-]+:( |$)", line) or line.lstrip().startswith("#"):
                continue
            above = number - 1
            while above >= 0 and lines[above].strip() and not lines[above].lstrip().startswith("#"):
                above -= 1
            assert above >= 0 and lines[above].lstrip().startswith("#"), f"{path}:{number + 1}: {line}"


def test_sizes_differ_as_users_expect():
    resolved = {environment: stacks(environment)["starttech"] for environment in ENVIRONMENTS}
    protected = {environment: inventory_vars(environment)["appstack_protected"] for environment in ENVIRONMENTS}
    assert protected == {"dev": False, "staging": False, "prod": True}
    for environment, stack in resolved.items():
        assert inventory_vars(environment)["appstack_environment"] == environment
        # A NAT gateway per zone and flow logs in prod only; one NAT gateway elsewhere.
        assert stack["network"]["nat_mode"] == ("per_az" if environment == "prod" else "single")
        assert stack["network"]["flow_logs"] is (environment == "prod")
        assert stack["load_balancer"]["deletion_protection"] is (environment == "prod")
    for smaller, larger in (("dev", "staging"), ("staging", "prod")):
        small, large = resolved[smaller], resolved[larger]
        assert INSTANCE_SIZES.index(small["fleet"]["instance_type"].split(".")[1]) < INSTANCE_SIZES.index(
            large["fleet"]["instance_type"].split(".")[1]
        )
        for key in ("min_size", "desired_capacity", "max_size"):
            assert small["fleet"][key] <= large["fleet"][key], key
        assert small["monitoring"]["log_retention_days"] < large["monitoring"]["log_retention_days"]
        assert small["secrets"]["recovery_window_days"] <= large["secrets"]["recovery_window_days"]
    assert resolved["dev"]["fleet"]["desired_capacity"] == 1
    assert resolved["prod"]["fleet"]["min_size"] >= 2  # hosts in more than one zone


@pytest.mark.parametrize(
    ("component", "switches"), [("postgres", ["multi_az"]), ("redis", ["multi_az", "automatic_failover"])]
)
def test_civstart_data_is_multi_az_in_prod_not_in_dev(component, switches):
    if not (ROOT / "roles" / f"aws_{component}").is_dir():
        pytest.skip(f"roles/aws_{component} does not exist yet: CivStart's data tier is still being built")
    for environment in ENVIRONMENTS:
        civstart = stacks(environment)["civstart"]
        assert component in civstart, f"{environment}: civstart has no {component}"
    # Multi-AZ on prod only; dev has no failover either (staging rehearses Redis failovers).
    for environment in ENVIRONMENTS:
        assert stacks(environment)["civstart"][component]["multi_az"] is (environment == "prod"), environment
    for switch in switches:
        assert stacks("dev")["civstart"][component][switch] is False, switch
        assert stacks("prod")["civstart"][component][switch] is True, switch


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_overrides_name_only_keys_the_catalogue_has(environment):
    def unknown(override: dict, base: dict, where: str) -> list[str]:
        found = []
        for key, value in override.items():
            if key not in base:
                found.append(f"{where}.{key}")
            elif isinstance(value, dict) and isinstance(base[key], dict):
                found += unknown(value, base[key], f"{where}.{key}")
        return found

    catalogue = catalog()
    # deletion_protection is a documented, commented-out key of the catalogue (unset: protected
    # environments get it).
    assert "# deletion_protection:" in (ROOT / "group_vars/all/stacks.yml").read_text()
    for name, override in inventory_vars(environment)["appstack_stacks"].items():
        missing = [k for k in unknown(override or {}, catalogue[name], name) if not k.endswith(".deletion_protection")]
        assert missing == [], missing


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_secrets_are_vaulted_per_environment(environment):
    folder = ROOT / "inventories" / environment / "group_vars" / "all"
    vault = yaml.load((folder / "vault.yml").read_text(), Loader=_VaultLoader)
    example = yaml.safe_load((folder / "vault.yml.example").read_text())
    assert set(vault) == set(example)
    assert secret_vars(stacks(environment)) <= set(example)
    for key, value in vault.items():
        assert isinstance(value, dict), f"{key} is not vault-encrypted"
        header = value["vault"].splitlines()[0]
        assert header.split(";")[:3] == ["$ANSIBLE_VAULT", "1.2", "AES256"], key
        assert header.split(";")[3] == environment, f"{key} is not under vault id {environment}"
    # No secret is readable anywhere else in the folder.
    for path in folder.glob("*.yml"):
        if path.name != "vault.yml":
            assert not set(yaml.safe_load(path.read_text()) or {}) & set(example), path


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_fleet_hosts_come_from_the_aws_ec2_plugin(environment):
    folder = ROOT / "inventories" / environment
    settings = yaml.safe_load((folder / "aws_ec2.yml").read_text())
    assert settings["plugin"] == "amazon.aws.aws_ec2"
    assert settings["regions"] == [inventory_vars(environment)["aws_region"]]
    assert settings["filters"]["tag:Environment"] == environment
    assert settings["filters"]["instance-state-name"] == "running"
    assert sorted(settings["filters"]["tag:Project"]) == sorted(s["project"] for s in stacks(environment).values())
    assert settings["hostnames"] == ["private-ip-address"]
    assert settings["compose"]["ansible_host"] == "private_ip_address"
    assert {(g["key"], g["prefix"]) for g in settings["keyed_groups"]} == {
        ("tags.Stack", "stack"),
        ("tags.Component", "component"),
    }
    connection = yaml.safe_load((folder / "group_vars/all/fleet_connection.yml").read_text())
    assert connection["appstack_fleet_connection"] == "ssm"
    assert "amazon.aws.aws_ssm" in connection["ansible_connection"]
    assert connection["ansible_aws_ssm_bucket_name"]
    assert "ProxyJump" in connection["ansible_ssh_common_args"]


# --- validate.yml and the vault ---------------------------------------------------------------


def encrypt(values: dict[str, str], vault_id: str, password_file: Path) -> str:
    """A vars file whose values are encrypted under vault_id, as vault.yml holds them."""
    parts = ["---"]
    for key, value in values.items():
        done = subprocess.run(
            [
                *(str(ROOT / ".venv/bin/ansible-vault"), "encrypt_string"),
                *("--vault-id", f"{vault_id}@{password_file}", "--name", key, value),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        parts.append(done.stdout.strip())
    return "\n".join(parts) + "\n"


@dataclass
class EnvironmentVault:
    """A vault of test-only values under the environment's vault id, with its password in the
    environment the way CI gives it (tools/vault-env-client.py reads it)."""

    file: Path
    args: list[str]
    env: dict[str, str]


def make_test_vault(environment: str, directory: Path, values: dict[str, str] | None = None) -> EnvironmentVault:
    directory.mkdir(parents=True, exist_ok=True)
    password = secrets.token_urlsafe(24)
    password_file = directory / "password"
    password_file.write_text(password)
    password_file.chmod(0o600)
    example = yaml.safe_load((ROOT / "inventories" / environment / "group_vars/all/vault.yml.example").read_text())
    if values is None:
        values = {key: f"test-only-{key}-{environment}" for key in example}
    vault_file = directory / "vault.yml"
    vault_file.write_text(encrypt(values, environment, password_file))
    password_file.unlink()
    return EnvironmentVault(
        vault_file,
        ["-e", f"@{vault_file}", "--vault-id", f"{environment}@{ROOT / 'tools/vault-env-client.py'}"],
        {f"APPSTACK_VAULT_PASSWORD_{environment.upper()}": password},
    )


def ansible_playbook(playbook: str, inventory: str, *args: str, env: dict[str, str] | None = None) -> Run:
    full_env = {**os.environ, "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"), "ANSIBLE_NOCOLOR": "1", **(env or {})}
    command = [str(ROOT / ".venv/bin/ansible-playbook"), playbook, "-i", inventory, *args]
    done = subprocess.run(command, cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=1800, check=False)
    return Run(done.returncode, done.stdout + done.stderr)


def problem_lines(run: Run) -> list[str]:
    return [line.strip() for line in run.output.splitlines() if line.lstrip().startswith("- ")]


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_validate_says_when_the_vault_password_is_missing(environment):
    run = ansible_playbook("playbooks/validate.yml", f"inventories/{environment}/hosts.yml")
    assert run.returncode != 0
    assert "The inventory has problems; nothing was changed:" in run.output
    assert any(
        "starttech_mongodb_url cannot be decrypted" in line and f"--vault-id {environment}@prompt" in line
        for line in problem_lines(run)
    ), run


def edit(path: Path, old: str, new: str) -> None:
    """Change one line of an inventory file as a person would (the line must be there)."""
    text = path.read_text()
    assert old in text, f"{path} no longer has {old!r}"
    path.write_text(text.replace(old, new, 1))


def test_validate_walks_a_new_environment_until_nothing_is_forgotten(tmp_path):
    """README, "A new environment": copy a folder and change what differs; validate.yml names
    each thing still to change, and passes once nothing is left."""
    qa = tmp_path / "inventories" / "qa"
    shutil.copytree(ROOT / "inventories/staging", qa)

    def problems(*args: str, env: dict[str, str] | None = None) -> tuple[int, list[str]]:
        run = ansible_playbook("playbooks/validate.yml", str(qa / "hosts.yml"), *args, env=env)
        return run.returncode, problem_lines(run)

    # Copied as it is: it still calls itself staging.
    rc, lines = problems()
    assert rc != 0
    assert (
        f"- the inventory folder {qa} says appstack_environment staging: set it to qa (group_vars/all/environment.yml)"
        in lines
    )

    # 1. Its name, which group_vars/all/appstack.yml does not know yet...
    edit(qa / "group_vars/all/environment.yml", "appstack_environment: staging", "appstack_environment: qa")
    rc, lines = problems()
    assert rc != 0
    assert any(line.startswith("- unknown environment 'qa': appstack_environment must be one of") for line in lines)
    # ...until it is added there (the edit of that shared file, given here as an extra var).
    known = ["-e", json.dumps({"appstack_known_environments": ["local", "dev", "staging", "prod", "qa"]})]
    rc, lines = problems(*known)
    assert rc != 0
    assert f"- {qa}/aws_ec2.yml filters tag:Environment: staging: set it to qa" in lines
    assert any(
        line.startswith("- starttech_mongodb_url cannot be decrypted") and "--vault-id qa@prompt" in line
        for line in lines
    )

    # 2. The fleet hosts it reads: its own.
    edit(qa / "aws_ec2.yml", "tag:Environment: staging", "tag:Environment: qa")
    rc, lines = problems(*known)
    assert rc != 0
    assert not any("aws_ec2.yml" in line for line in lines)
    assert any(line.startswith("- starttech_mongodb_url cannot be decrypted") for line in lines)

    # 3. Its own vault: a password of its own, every key of vault.yml.example encrypted under vault id qa.
    example = yaml.safe_load((qa / "group_vars/all/vault.yml.example").read_text())
    password = secrets.token_urlsafe(24)
    password_file = tmp_path / "password"
    password_file.write_text(password)
    (qa / "group_vars/all/vault.yml").write_text(
        encrypt({key: f"test-only-{key}-qa" for key in example}, "qa", password_file)
    )
    password_file.unlink()
    vault = ["--vault-id", f"qa@{ROOT / 'tools/vault-env-client.py'}"]
    rc, lines = problems(*known, *vault, env={"APPSTACK_VAULT_PASSWORD_QA": password})
    assert (rc, lines) == (0, [])


# --- site.yml in every environment, each against its own emulator -----------------------------


def endpoint_overrides(url: str, region: str) -> tuple[list[str], dict[str, str]]:
    """The emulator's endpoint, for the modules (aws_endpoint_url) and for the aws_ec2 inventory
    plugin and lookups (AWS_ENDPOINT_URL); credentials come from the environment, as in a real run."""
    env = {
        "AWS_ENDPOINT_URL": url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": region,
    }
    return ["-e", f"aws_endpoint_url={url}"], env


def client(url: str, region: str, service: str):
    return boto3.client(
        service, endpoint_url=url, region_name=region, aws_access_key_id="testing", aws_secret_access_key="testing"
    )


def appstack_resources(url: str, region: str, environment: str) -> dict[str, list[str]]:
    """What appstack made in an environment, found by its tags and names, service by service."""
    tagged = [{"Name": "tag:Environment", "Values": [environment]}, {"Name": "tag:ManagedBy", "Values": ["appstack"]}]
    ec2 = client(url, region, "ec2")
    found = {
        "vpcs": [v["VpcId"] for v in ec2.describe_vpcs(Filters=tagged)["Vpcs"]],
        "security groups": [g["GroupId"] for g in ec2.describe_security_groups(Filters=tagged)["SecurityGroups"]],
        "secrets": [
            x["Name"]
            for x in client(url, region, "secretsmanager").list_secrets()["SecretList"]
            if f"/{environment}/" in x["Name"]
        ],
        "load balancers": [
            lb["LoadBalancerName"]
            for lb in client(url, region, "elbv2").describe_load_balancers()["LoadBalancers"]
            if f"-{environment}-" in lb["LoadBalancerName"]
        ],
        "repositories": [
            r["repositoryName"]
            for r in client(url, region, "ecr").describe_repositories()["repositories"]
            if f"-{environment}-" in r["repositoryName"]
        ],
        "auto scaling groups": [
            g["AutoScalingGroupName"]
            for g in client(url, region, "autoscaling").describe_auto_scaling_groups()["AutoScalingGroups"]
            if f"-{environment}-" in g["AutoScalingGroupName"]
        ],
        "log groups": [
            g["logGroupName"]
            for g in client(url, region, "logs").describe_log_groups()["logGroups"]
            if f"/{environment}/" in g["logGroupName"]
        ],
    }
    return {kind: names for kind, names in found.items() if names}


@pytest.mark.emulator
def test_a_missing_secret_stops_site_before_anything_is_created(tmp_path):
    dev = tmp_path / "inventories" / "dev"
    shutil.copytree(ROOT / "inventories/dev", dev)
    # A vault that lacks the key StartTech needs (it has another, test-only one).
    vault = make_test_vault("dev", tmp_path / "vault", {"unrelated_test_only_key": "x"})
    (dev / "group_vars/all/vault.yml").write_text(vault.file.read_text())
    region = inventory_vars("dev")["aws_region"]
    with own_emulator(tmp_path / "emulator") as url:
        args, env = endpoint_overrides(url, region)
        vault_args = ["--vault-id", f"dev@{ROOT / 'tools/vault-env-client.py'}"]
        run = ansible_playbook("site.yml", str(dev), *args, *vault_args, env={**env, **vault.env})
        assert run.returncode != 0
        assert (
            "- starttech_mongodb_url is not set: add it to vault.yml with ansible-vault encrypt_string "
            "--vault-id dev@prompt --name starttech_mongodb_url"
        ) in problem_lines(run), run
        assert set(run.recap) == {"localhost"}  # no stack host ever started
        assert appstack_resources(url, region, "dev") == {}


@dataclass
class EnvironmentRun:
    environment: str
    url: str
    vault: EnvironmentVault
    site: Run

    @property
    def region(self) -> str:
        return inventory_vars(self.environment)["aws_region"]

    def client(self, service: str):
        return client(self.url, self.region, service)

    def overrides(self) -> tuple[list[str], dict[str, str]]:
        """Only the endpoint (and the test vault) differ from a real run."""
        args, env = endpoint_overrides(self.url, self.region)
        return args + self.vault.args, {**env, **self.vault.env}

    def playbook(self, playbook: str, *args: str, facts: Path) -> Run:
        extra, env = self.overrides()
        return ansible_playbook(
            playbook,
            f"inventories/{self.environment}",
            *extra,
            *args,
            env={**env, "ANSIBLE_CACHE_PLUGIN_CONNECTION": str(facts)},
        )


@pytest.fixture(scope="module")
def site_runs(tmp_path_factory: pytest.TempPathFactory):
    """site.yml with dev, staging and prod at once, each with its own emulator and test vault."""
    base = tmp_path_factory.mktemp("environments")
    with ExitStack() as stack:
        urls = {env: stack.enter_context(own_emulator(base / f"emulator-{env}")) for env in ENVIRONMENTS}
        vaults = {env: make_test_vault(env, base / f"vault-{env}") for env in ENVIRONMENTS}

        def site(environment: str) -> EnvironmentRun:
            run = EnvironmentRun(environment, urls[environment], vaults[environment], Run(-1, ""))
            run.site = run.playbook("site.yml", facts=base / f"facts-{environment}")
            return run

        with ThreadPoolExecutor(max_workers=len(ENVIRONMENTS)) as pool:
            runs = list(pool.map(site, ENVIRONMENTS))
        yield {run.environment: run for run in runs}


@pytest.mark.slow
@pytest.mark.emulator
@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_site_builds_each_environment_at_its_size(site_runs, environment):
    run = site_runs[environment]
    assert run.site.returncode == 0, run.site
    for name, stack in stacks(environment).items():
        project = stack["project"]
        tags = [
            {"Name": "tag:Project", "Values": [project]},
            {"Name": "tag:Environment", "Values": [environment]},
        ]
        ec2 = run.client("ec2")
        # By VPC: the emulator ignores tag filters on NAT gateways and flow logs.
        (vpc,) = ec2.describe_vpcs(Filters=tags)["Vpcs"]
        in_vpc = [{"Name": "vpc-id", "Values": [vpc["VpcId"]]}]
        nat = [
            n
            for n in ec2.describe_nat_gateways(Filters=in_vpc)["NatGateways"]
            if n["State"] in ("pending", "available")
        ]
        zones = len(inventory_vars(environment)["appstack_availability_zones"])
        wanted = {"none": 0, "single": 1, "per_az": zones}[stack["network"]["nat_mode"]]
        assert len(nat) == wanted, (name, "NAT gateways")
        flow_logs = ec2.describe_flow_logs(Filter=[{"Name": "resource-id", "Values": [vpc["VpcId"]]}])["FlowLogs"]
        assert bool(flow_logs) is stack["network"]["flow_logs"], (name, "flow logs")

        if "fleet" in stack:
            group = run.client("autoscaling").describe_auto_scaling_groups(
                AutoScalingGroupNames=[f"{project}-{environment}-fleet"]
            )["AutoScalingGroups"][0]
            fleet = stack["fleet"]
            assert (group["MinSize"], group["DesiredCapacity"], group["MaxSize"]) == (
                fleet["min_size"],
                fleet["desired_capacity"],
                fleet["max_size"],
            ), name
            template = (
                group.get("LaunchTemplate")
                or group["MixedInstancesPolicy"]["LaunchTemplate"]["LaunchTemplateSpecification"]
            )
            version = ec2.describe_launch_template_versions(
                LaunchTemplateId=template["LaunchTemplateId"], Versions=["$Latest"]
            )["LaunchTemplateVersions"][0]
            assert version["LaunchTemplateData"]["InstanceType"] == fleet["instance_type"], name

        if "monitoring" in stack:
            groups = run.client("logs").describe_log_groups(logGroupNamePrefix=f"/{project}/{environment}/")
            retention = {g["logGroupName"]: g.get("retentionInDays") for g in groups["logGroups"]}
            for short in stack["monitoring"]["log_groups"]:
                assert retention[f"/{project}/{environment}/{short}"] == stack["monitoring"]["log_retention_days"]

        if "ecs_service" in stack:
            ecs, wanted = run.client("ecs"), stack["ecs_service"]
            cluster = f"{project}-{environment}-cluster"
            (service,) = ecs.describe_services(
                cluster=cluster, services=ecs.list_services(cluster=cluster)["serviceArns"]
            )["services"]
            assert wanted["min_count"] <= service["desiredCount"] <= wanted["max_count"], name
            task = ecs.describe_task_definition(taskDefinition=service["taskDefinition"])["taskDefinition"]
            assert (int(task["cpu"]), int(task["memory"])) == (wanted["cpu"], wanted["memory"]), name

        if "load_balancer" in stack:
            elbv2 = run.client("elbv2")
            short = {"application": "alb", "network": "nlb"}[stack["load_balancer"].get("type", "application")]
            lb = elbv2.describe_load_balancers(Names=[f"{project}-{environment}-{short}"])["LoadBalancers"][0]
            attributes = {
                a["Key"]: a["Value"]
                for a in elbv2.describe_load_balancer_attributes(LoadBalancerArn=lb["LoadBalancerArn"])["Attributes"]
            }
            assert attributes["deletion_protection.enabled"] == str(environment == "prod").lower(), name


def _tags(tag_list: list[dict[str, str]] | None) -> dict[str, str]:
    return {tag["Key"]: tag["Value"] for tag in tag_list or []}


def _needs_role(role: str) -> None:
    if not (ROOT / "roles" / role).is_dir():
        pytest.skip(f"roles/{role} does not exist yet: CivStart's data tier is still being built")


@pytest.mark.slow
@pytest.mark.emulator
@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_postgres_is_multi_az_as_the_environment_says_and_protected_in_prod(site_runs, environment):
    _needs_role("aws_postgres")
    run = site_runs[environment]
    assert run.site.returncode == 0, run.site
    databases = [
        db
        for db in run.client("rds").describe_db_instances()["DBInstances"]
        if _tags(db.get("TagList")).get("Environment") == environment
        and _tags(db.get("TagList")).get("Project") == "civstart"
    ]
    assert len(databases) == 1, [db["DBInstanceIdentifier"] for db in databases]
    (database,) = databases
    assert database["MultiAZ"] is stacks(environment)["civstart"]["postgres"]["multi_az"]
    assert database["DeletionProtection"] is inventory_vars(environment)["appstack_protected"]
    assert database["StorageEncrypted"] is True


@pytest.mark.slow
@pytest.mark.emulator
@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_redis_fails_over_across_zones_as_the_environment_says(site_runs, environment):
    _needs_role("aws_redis")
    run = site_runs[environment]
    assert run.site.returncode == 0, run.site
    groups = [
        group
        for group in run.client("elasticache").describe_replication_groups()["ReplicationGroups"]
        if group["ReplicationGroupId"].startswith(f"civstart-{environment}-")
    ]
    assert len(groups) == 1, [group["ReplicationGroupId"] for group in groups]
    (group,) = groups
    redis = stacks(environment)["civstart"]["redis"]
    wanted = {True: "enabled", False: "disabled"}
    assert (group["MultiAZ"], group["AutomaticFailover"]) == (
        wanted[redis["multi_az"]],
        wanted[redis["automatic_failover"]],
    )


@pytest.mark.slow
@pytest.mark.emulator
@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_the_aws_ec2_plugin_finds_the_fleet(site_runs, environment):
    run = site_runs[environment]
    assert run.site.returncode == 0, run.site
    _, env = run.overrides()
    done = subprocess.run(
        [str(ROOT / ".venv/bin/ansible-inventory"), "-i", f"inventories/{environment}", "--list"],
        cwd=ROOT,
        env={**os.environ, **env, "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg")},
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    inventory = json.loads(done.stdout)
    fleet = inventory.get("component_fleet", {}).get("hosts", [])
    wanted = sum(s["fleet"]["desired_capacity"] for s in stacks(environment).values() if "fleet" in s)
    assert len(fleet) == wanted
    assert set(fleet) <= set(inventory.get("stack_starttech", {}).get("hosts", []))
    for host in fleet:
        variables = inventory["_meta"]["hostvars"][host]
        assert _plain(variables["ansible_host"]) == host  # the private address
        assert _plain(variables["ansible_aws_ssm_instance_id"]).startswith("i-")


def _plain(value: Any) -> Any:
    return value.get("__ansible_unsafe", value) if isinstance(value, dict) else value


@pytest.mark.slow
@pytest.mark.emulator
def test_prod_is_not_destroyed_without_confirmation(site_runs, tmp_path):
    run = site_runs["prod"]
    assert run.site.returncode == 0, run.site
    ec2 = run.client("ec2")
    tagged = [{"Name": "tag:Environment", "Values": ["prod"]}]
    before = sorted(v["VpcId"] for v in ec2.describe_vpcs(Filters=tagged)["Vpcs"])
    assert before
    refused = run.playbook("playbooks/destroy.yml", facts=tmp_path / "facts")
    assert refused.returncode != 0
    assert "Environment prod is protected" in refused.output
    assert "Nothing was deleted" in refused.output
    assert sorted(v["VpcId"] for v in ec2.describe_vpcs(Filters=tagged)["Vpcs"]) == before
    assert run.client("autoscaling").describe_auto_scaling_groups()["AutoScalingGroups"]


@pytest.mark.slow
@pytest.mark.emulator
def test_validate_refuses_fleet_hosts_of_another_environment(site_runs, tmp_path):
    """A folder copied from dev as staging, whose aws_ec2.yml still finds dev's hosts."""
    run = site_runs["dev"]
    assert run.site.returncode == 0, run.site
    copy = tmp_path / "inventories" / "staging"
    shutil.copytree(ROOT / "inventories/dev", copy)
    environment = copy / "group_vars/all/environment.yml"
    environment.write_text(
        environment.read_text().replace("appstack_environment: dev", "appstack_environment: staging")
    )
    args, env = run.overrides()
    refused = ansible_playbook("playbooks/validate.yml", str(copy), *args, env=env)
    assert refused.returncode != 0
    assert any(
        line.startswith("- fleet host ") and "aws_ec2.yml must filter tag:Environment: staging" in line
        for line in problem_lines(refused)
    ), refused
