"""Shim rds_instance_creating: under the latency profile, a creating DB instance acts as on AWS."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import botocore.exceptions
import pytest

from .support import Emulator

pytestmark = pytest.mark.emulator


def _creating_instance(emu: Emulator, name: str) -> tuple[Any, dict[str, Any]]:
    emu.post("/_appstack/latency", {"rds_instance": 60})
    rds = emu.client("rds")
    created = rds.create_db_instance(
        DBInstanceIdentifier=name,
        Engine="postgres",
        DBInstanceClass="db.t4g.micro",
        AllocatedStorage=20,
        MasterUsername="probe",
        ManageMasterUserPassword=True,
    )["DBInstance"]
    return rds, created


def _error_code(call: Callable[[], Any]) -> str:
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        call()
    return caught.value.response["Error"]["Code"]


def test_creating_instance_has_no_endpoint_until_available(emulator: Emulator, unique: Callable[[str], str]) -> None:
    name = unique("db")
    rds, created = _creating_instance(emulator, name)
    assert created["DBInstanceStatus"] == "creating"
    assert "Endpoint" not in created
    described = rds.describe_db_instances(DBInstanceIdentifier=name)["DBInstances"][0]
    assert described["DBInstanceStatus"] == "creating"
    assert "Endpoint" not in described
    # The managed secret exists from the start, as on AWS.
    assert described["MasterUserSecret"]["SecretArn"].startswith("arn:aws:secretsmanager:")
    emulator.post("/_appstack/latency", {})
    ready = rds.describe_db_instances(DBInstanceIdentifier=name)["DBInstances"][0]
    assert ready["DBInstanceStatus"] == "available"
    assert ready["Endpoint"]["Port"] == 5432
    rds.delete_db_instance(DBInstanceIdentifier=name, SkipFinalSnapshot=True)


def test_creating_instance_refuses_changes_and_final_snapshots(
    emulator: Emulator, unique: Callable[[str], str]
) -> None:
    name = unique("db")
    rds, _ = _creating_instance(emulator, name)
    assert _error_code(lambda: rds.modify_db_instance(DBInstanceIdentifier=name, MultiAZ=True)) == (
        "InvalidDBInstanceState"
    )
    assert _error_code(
        lambda: rds.delete_db_instance(DBInstanceIdentifier=name, FinalDBSnapshotIdentifier=f"{name}-final")
    ) == ("InvalidDBInstanceState")
    assert rds.describe_db_instances(DBInstanceIdentifier=name)["DBInstances"][0]["MultiAZ"] is False
    # Without a final snapshot AWS deletes an instance that is being created.
    rds.delete_db_instance(DBInstanceIdentifier=name, SkipFinalSnapshot=True)
    assert _error_code(lambda: rds.describe_db_instances(DBInstanceIdentifier=name)) == "DBInstanceNotFound"


def test_available_instance_is_changed_as_before(emulator: Emulator, unique: Callable[[str], str]) -> None:
    name = unique("db")
    rds, _ = _creating_instance(emulator, name)
    emulator.post("/_appstack/latency", {})
    assert rds.modify_db_instance(DBInstanceIdentifier=name, MultiAZ=True)["DBInstance"]["MultiAZ"] is True
    rds.delete_db_instance(DBInstanceIdentifier=name, FinalDBSnapshotIdentifier=f"{name}-final")
    assert [
        s["DBSnapshotIdentifier"]
        for s in rds.describe_db_snapshots(DBSnapshotIdentifier=f"{name}-final")["DBSnapshots"]
    ] == [f"{name}-final"]
    rds.delete_db_snapshot(DBSnapshotIdentifier=f"{name}-final")


def test_gap_moto_changes_a_creating_instance(bare_emulator: Emulator, unique: Callable[[str], str]) -> None:
    name = unique("db")
    rds, created = _creating_instance(bare_emulator, name)
    assert created["DBInstanceStatus"] == "creating"
    assert "Endpoint" in created
    assert rds.modify_db_instance(DBInstanceIdentifier=name, MultiAZ=True)["DBInstance"]["MultiAZ"] is True
    rds.delete_db_instance(DBInstanceIdentifier=name, SkipFinalSnapshot=True)
