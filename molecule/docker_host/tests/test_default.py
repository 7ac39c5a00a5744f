"""docker_host on the Debian 12 host container: what converge must leave behind (testinfra)."""

from __future__ import annotations

import json

import pytest

EXPECTED_DAEMON_JSON = {
    "insecure-registries": ["172.17.0.1:5000"],
    "live-restore": True,
    "log-driver": "json-file",
    "log-opts": {"max-file": "2", "max-size": "5m"},
    "storage-driver": "overlay2",
}


@pytest.mark.parametrize("name", ["docker.io", "python3-requests"])
def test_packages_installed(host, name):
    assert host.package(name).is_installed


def test_daemon_json(host):
    config = host.file("/etc/docker/daemon.json")
    assert config.is_file
    assert config.user == "root"
    assert config.mode == 0o644
    assert json.loads(config.content_string) == EXPECTED_DAEMON_JSON


def test_service_running_and_enabled(host):
    service = host.service("docker")
    assert service.is_running
    assert service.is_enabled


def test_engine_answers_with_the_configuration(host):
    info = json.loads(host.check_output("docker info --format '{{json .}}'"))
    assert info["LoggingDriver"] == "json-file"
    assert info["Driver"] == "overlay2"
    assert info["LiveRestoreEnabled"] is True
    assert "172.17.0.1:5000" in info["RegistryConfig"]["IndexConfigs"]
    assert info["RegistryConfig"]["IndexConfigs"]["172.17.0.1:5000"]["Secure"] is False


def test_user_in_docker_group(host):
    assert "docker" in host.user("admin").groups
    # Membership works: admin talks to the engine without sudo.
    assert host.run("runuser -u admin -- docker version --format '{{.Server.Version}}'").rc == 0
