"""Stand-ins for AnsibleAWSModule and a boto3 client, so module logic runs without AWS."""

from __future__ import annotations

import json
from typing import Any
from unittest import mock
from unittest.mock import MagicMock

import pytest
from ansible.module_utils.testing import patch_module_args
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from botocore.exceptions import ClientError


class ModuleExit(Exception):
    """Raised by the fake module's exit_json/fail_json, carrying what the module returned."""

    def __init__(self, result: dict[str, Any], failed: bool = False):
        super().__init__(result)
        self.result = result
        self.failed = failed


class FakeModule:
    def __init__(self, params: dict[str, Any], check_mode: bool = False, diff: bool = False):
        self.params = params
        self.check_mode = check_mode
        self._diff = diff

    def exit_json(self, **result: Any) -> None:
        raise ModuleExit(result)

    def fail_json(self, **result: Any) -> None:
        raise ModuleExit(result, failed=True)

    def fail_json_aws(self, exception: Exception, msg: str = "", **result: Any) -> None:
        raise ModuleExit({"msg": msg, "exception": str(exception), **result}, failed=True)

    def warn(self, message: str) -> None:  # pragma: no cover - not asserted
        pass


@pytest.fixture
def fake_module():
    return FakeModule


@pytest.fixture
def client():
    return MagicMock()


def run(function, *args) -> ModuleExit:
    """Call a module function that ends with exit_json/fail_json and return what it said."""
    with pytest.raises(ModuleExit) as caught:
        function(*args)
    return caught.value


def client_error(code: str, operation: str, message: str = "") -> ClientError:
    """The ClientError botocore raises when AWS answers ``operation`` with error ``code``."""
    return ClientError({"Error": {"Code": code, "Message": message or code}}, operation)


class ElastiCacheTags:
    """ElastiCache's tag calls for a stub client, over its ``tags`` dict; writes go into its ``calls``."""

    tags: dict[str, str]
    calls: list[tuple[str, dict[str, Any]]]

    def list_tags_for_resource(self, ResourceName: str, aws_retry: bool = False):
        return {"TagList": [{"Key": k, "Value": v} for k, v in self.tags.items()]}

    def add_tags_to_resource(self, ResourceName: str, Tags: list, aws_retry: bool = False):
        self.calls.append(("add_tags_to_resource", {"Tags": Tags}))
        self.tags.update({t["Key"]: t["Value"] for t in Tags})

    def remove_tags_from_resource(self, ResourceName: str, TagKeys: list, aws_retry: bool = False):
        self.calls.append(("remove_tags_from_resource", {"TagKeys": TagKeys}))
        for key in TagKeys:
            self.tags.pop(key)


@pytest.fixture
def run_main(capsys):
    """main() of a module as Ansible runs it, with a stub client: module args in, one JSON document out."""

    def run_main(module: Any, args: dict[str, Any], client: Any) -> dict[str, Any]:
        with (
            patch_module_args({"region": "us-east-1", **args}),
            mock.patch.object(AnsibleAWSModule, "client", return_value=client),
            pytest.raises(SystemExit),
        ):
            module.main()
        return json.loads(capsys.readouterr().out)

    return run_main
