"""Fixtures of the AWX tests: the controller data, its objects as configure.yml creates them,
and an emulator of our own."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from ansible_collections.appstack.cloud.plugins.filter.awx import awx_objects

from tests.awx.support import controller_data
from tests.support.emulator import own_emulator


@pytest.fixture(scope="session")
def data() -> dict[str, Any]:
    return controller_data()


@pytest.fixture(scope="session")
def objects(data) -> dict[str, Any]:
    return awx_objects(data)


@pytest.fixture(scope="session")
def awx_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with own_emulator(tmp_path_factory.mktemp("emulator")) as url:
        yield url
