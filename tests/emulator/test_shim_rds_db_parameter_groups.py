"""Shim rds_db_parameter_groups: missing groups are not found, groups list their engine's parameters."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import botocore.exceptions
import pytest

from .support import Emulator

pytestmark = pytest.mark.emulator


def _group(emu: Emulator, name: str, family: str = "postgres15") -> Any:
    rds = emu.client("rds")
    rds.create_db_parameter_group(DBParameterGroupName=name, DBParameterGroupFamily=family, Description="test")
    return rds


def _by_name(parameters: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {p["ParameterName"]: p for p in parameters}


def test_unknown_group_is_not_found(emulator: Emulator, unique: Callable[[str], str]) -> None:
    rds = emulator.client("rds")
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        rds.describe_db_parameter_groups(DBParameterGroupName=unique("missing"))
    assert caught.value.response["Error"]["Code"] == "DBParameterGroupNotFound"
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        rds.describe_db_parameters(DBParameterGroupName=unique("missing"))
    assert caught.value.response["Error"]["Code"] == "DBParameterGroupNotFound"


def test_known_groups_are_still_described(emulator: Emulator, unique: Callable[[str], str]) -> None:
    name = unique("pg")
    rds = _group(emulator, name)
    assert [
        g["DBParameterGroupName"]
        for g in rds.describe_db_parameter_groups(DBParameterGroupName=name)["DBParameterGroups"]
    ] == [name]
    assert name in [g["DBParameterGroupName"] for g in rds.describe_db_parameter_groups()["DBParameterGroups"]]


@pytest.mark.parametrize(("family", "force_ssl"), [("postgres15", "0"), ("postgres16", "1")])
def test_new_group_lists_engine_defaults(
    emulator: Emulator, unique: Callable[[str], str], family: str, force_ssl: str
) -> None:
    name = unique("pg")
    rds = _group(emulator, name, family)
    parameters = _by_name(rds.describe_db_parameters(DBParameterGroupName=name)["Parameters"])
    force = parameters["rds.force_ssl"]
    assert force["ParameterValue"] == force_ssl
    assert force["DataType"] == "boolean"
    assert force["IsModifiable"] is True
    assert force["Source"] == "engine-default"
    assert rds.describe_db_parameters(DBParameterGroupName=name, Source="user")["Parameters"] == []


def test_set_parameter_keeps_its_metadata_and_filters_by_source(
    emulator: Emulator, unique: Callable[[str], str]
) -> None:
    name = unique("pg")
    rds = _group(emulator, name)
    rds.modify_db_parameter_group(
        DBParameterGroupName=name,
        Parameters=[{"ParameterName": "rds.force_ssl", "ParameterValue": "1", "ApplyMethod": "immediate"}],
    )
    user = rds.describe_db_parameters(DBParameterGroupName=name, Source="user")["Parameters"]
    assert [(p["ParameterName"], p["ParameterValue"], p["DataType"]) for p in user] == [
        ("rds.force_ssl", "1", "boolean")
    ]
    everything = _by_name(rds.describe_db_parameters(DBParameterGroupName=name)["Parameters"])
    assert everything["rds.force_ssl"]["ParameterValue"] == "1"
    assert everything["log_connections"]["Source"] == "engine-default"


def test_gap_moto_describes_a_missing_group_as_empty(bare_emulator: Emulator, unique: Callable[[str], str]) -> None:
    rds = bare_emulator.client("rds")
    assert rds.describe_db_parameter_groups(DBParameterGroupName=unique("missing"))["DBParameterGroups"] == []


def test_gap_moto_lists_no_engine_defaults(bare_emulator: Emulator, unique: Callable[[str], str]) -> None:
    name = unique("pg")
    rds = _group(bare_emulator, name)
    assert rds.describe_db_parameters(DBParameterGroupName=name)["Parameters"] == []
