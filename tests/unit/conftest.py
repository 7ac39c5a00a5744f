"""Stand-ins for AnsibleAWSModule and a boto3 client, so module logic runs without AWS."""

from __future__ import annotations

from typing import Any
from unittest.mock import MagicMock

import pytest


class ModuleExit(Exception):
    """Raised by the fake module's exit_json/fail_json, carrying what the module returned."""

    def __init__(self, result: dict[str, Any], failed: bool = False):
        super().__init__(result)
        self.result = result
        self.failed = failed


class FakeModule:
    def __init__(self, params: dict[str, Any], check_mode: bool = False):
        self.params = params
        self.check_mode = check_mode
        self._diff = False

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
