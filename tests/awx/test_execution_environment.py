"""execution-environment.yml builds with the versions the project pins: `ansible-builder
create` writes the build context (no container engine needed), and the context holds them."""

from __future__ import annotations

import json
import re
import subprocess
from importlib import metadata
from pathlib import Path

import pytest
import yaml

from tests.support.playbooks import ROOT

COLLECTIONS = ROOT / ".venv/lib/python3.11/site-packages/ansible_collections"


def pins(path: Path) -> dict[str, str]:
    found = {}
    for line in path.read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+)==(\S+)", line.strip())
        if match:
            found[match.group(1).lower()] = match.group(2)
    return found


@pytest.fixture(scope="module")
def context(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("ee") / "context"
    done = subprocess.run(
        [
            str(ROOT / ".venv/bin/ansible-builder"),
            "create",
            "-f",
            "execution-environment.yml",
            "--context",
            str(target),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return target


def test_the_context_pins_python_packages_as_requirements_txt(context):
    project = pins(ROOT / "requirements.txt")
    ee = pins(context / "_build" / "requirements.txt")
    assert {"boto3", "botocore"} <= set(ee)
    for package, version in ee.items():
        assert project[package] == version, package


def test_the_context_pins_ansible_core_and_runner_as_requirements_txt(context):
    project = pins(ROOT / "requirements.txt")
    containerfile = (context / "Dockerfile").read_text()
    refs = re.search(r'ARG ANSIBLE_INSTALL_REFS="([^"]+)"', containerfile).group(1).split()
    assert sorted(refs) == sorted(
        [f"ansible-core=={project['ansible-core']}", f"ansible-runner=={project['ansible-runner']}"]
    )


def test_the_context_installs_the_pinned_collections(context):
    wanted = yaml.safe_load((ROOT / "collections/requirements.yml").read_text())["collections"]
    assert yaml.safe_load((context / "_build" / "requirements.yml").read_text())["collections"] == wanted


def test_the_collection_pins_are_those_of_the_ansible_package_requirements_txt_pins():
    """collections/requirements.yml pins each collection to the version the PyPI package ansible
    (pinned in requirements.txt, installed in .venv) carries: the versions every test runs with."""
    pinned = pins(ROOT / "requirements.txt")["ansible"]
    assert metadata.version("ansible") == pinned
    assert f"ansible=={pinned}" in (ROOT / "collections/requirements.yml").read_text()
    carried = {str(path) for path in metadata.files("ansible") or []}
    wanted = yaml.safe_load((ROOT / "collections/requirements.yml").read_text())["collections"]
    for collection in wanted:
        namespace, name = collection["name"].split(".")
        manifest = f"ansible_collections/{namespace}/{name}/MANIFEST.json"
        assert manifest in carried, f"{collection['name']} is not in the ansible package"
        found = json.loads((COLLECTIONS / namespace / name / "MANIFEST.json").read_text())
        assert found["collection_info"]["version"] == collection["version"], collection["name"]


def test_the_context_has_the_system_packages_and_the_ssm_plugin(context):
    assert "openssh-clients [platform:rpm]" in (context / "_build" / "bindep.txt").read_text()
    containerfile = (context / "Dockerfile").read_text()
    assert "session-manager-plugin" in containerfile
    # Jobs find the project's own collection and the image's (ansible.cfg names only the first).
    path = re.search(r"^ENV ANSIBLE_COLLECTIONS_PATH=(\S+)$", containerfile, re.M).group(1).split(":")
    assert path[0] == "./collections"
    assert "/usr/share/ansible/collections" in path
