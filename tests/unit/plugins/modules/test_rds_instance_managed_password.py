"""Unit tests for appstack.cloud.rds_instance_managed_password: a stubbed RDS client, no network."""

from __future__ import annotations

import copy
from typing import Any
from unittest import mock

import pytest
from ansible_collections.appstack.cloud.plugins.modules import rds_instance_managed_password as mod

from tests.unit.conftest import client_error

NAME = "civstart-test-postgres"
ARN = f"arn:aws:rds:us-east-1:123456789012:db:{NAME}"
SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-0a1b2c3d-AbCdEf"
SECRET_KEY = "arn:aws:kms:us-east-1:123456789012:key/secret-key"


def described(**overrides: Any) -> dict[str, Any]:
    """An instance as DescribeDBInstances returns it, matching ``args()``."""
    instance = {
        "DBInstanceIdentifier": NAME,
        "DBInstanceArn": ARN,
        "DBInstanceStatus": "available",
        "Engine": "postgres",
        "EngineVersion": "15.10",
        "DBInstanceClass": "db.t4g.micro",
        "AllocatedStorage": 20,
        "MaxAllocatedStorage": 100,
        "StorageType": "gp3",
        "StorageEncrypted": True,
        "KmsKeyId": "arn:aws:kms:us-east-1:123456789012:key/storage-key",
        "DBName": "civstart",
        "MasterUsername": "civstart_admin",
        "Endpoint": {"Address": f"{NAME}.abc.us-east-1.rds.amazonaws.com", "Port": 5432},
        "DBSubnetGroup": {"DBSubnetGroupName": NAME},
        "VpcSecurityGroups": [{"VpcSecurityGroupId": "sg-1", "Status": "active"}],
        "DBParameterGroups": [{"DBParameterGroupName": "civstart-test-postgres15", "ParameterApplyStatus": "in-sync"}],
        "MultiAZ": False,
        "BackupRetentionPeriod": 7,
        "PreferredBackupWindow": "03:00-03:30",
        "PreferredMaintenanceWindow": "sun:04:00-sun:04:30",
        "PubliclyAccessible": False,
        "DeletionProtection": False,
        "CopyTagsToSnapshot": True,
        "AutoMinorVersionUpgrade": True,
        "EnabledCloudwatchLogsExports": ["postgresql"],
        "PendingModifiedValues": {},
        "MasterUserSecret": {"SecretArn": SECRET, "SecretStatus": "active", "KmsKeyId": SECRET_KEY},
        "TagList": [{"Key": "Project", "Value": "civstart"}],
    }
    instance.update(overrides)
    return instance


def args(**overrides: Any) -> dict[str, Any]:
    """Module arguments describing ``described()`` exactly."""
    given = {
        "db_instance_identifier": NAME,
        "engine": "postgres",
        "engine_version": "15.10",
        "db_instance_class": "db.t4g.micro",
        "allocated_storage": 20,
        "max_allocated_storage": 100,
        "storage_type": "gp3",
        "storage_encrypted": True,
        "db_name": "civstart",
        "master_username": "civstart_admin",
        "port": 5432,
        "db_subnet_group_name": NAME,
        "vpc_security_group_ids": ["sg-1"],
        "db_parameter_group_name": "civstart-test-postgres15",
        "multi_az": False,
        "backup_retention_period": 7,
        "preferred_backup_window": "03:00-03:30",
        "preferred_maintenance_window": "Sun:04:00-Sun:04:30",
        "publicly_accessible": False,
        "deletion_protection": False,
        "copy_tags_to_snapshot": True,
        "auto_minor_version_upgrade": True,
        "enable_cloudwatch_logs_exports": ["postgresql"],
        "tags": {"Project": "civstart"},
    }
    given.update(overrides)
    return given


OPTION_DEFAULTS = {
    "state": "present",
    "allow_major_version_upgrade": False,
    "apply_immediately": False,
    "skip_final_snapshot": False,
    "wait": True,
    "wait_timeout": 2400,
    "purge_tags": True,
    **{option: None for option in mod.CREATE_PARAMETERS},
    "final_db_snapshot_identifier": None,
    "tags": None,
}


def params(**overrides: Any) -> dict[str, Any]:
    """module.params for ``args(**overrides)``: every option, None where not given."""
    return {**OPTION_DEFAULTS, **args(**overrides)}


@pytest.fixture
def run_main(run_main):
    """The shared run_main, without the module's sleeps while it waits."""
    with mock.patch.object(mod.time, "sleep"):
        yield run_main


class StubRDS:
    """One DB instance (or none). ``statuses`` are reported by the next describes, in order;
    None there means the instance is gone from then on."""

    def __init__(
        self,
        instance: dict[str, Any] | None = None,
        statuses: list[str | None] | None = None,
        statuses_after_create: list[str | None] | None = None,
    ):
        self.instance = copy.deepcopy(instance)
        self.statuses = list(statuses or [])
        self.statuses_after_create = list(statuses_after_create or [])
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def names(self) -> list[str]:
        return [name for name, _ in self.calls if name != "describe_db_instances"]

    def call(self, name: str) -> dict[str, Any]:
        return next(kwargs for called, kwargs in self.calls if called == name)

    def describe_db_instances(self, aws_retry: bool = False, **kwargs: Any) -> dict[str, Any]:
        self.calls.append(("describe_db_instances", kwargs))
        if self.instance is not None and self.statuses:
            status = self.statuses.pop(0)
            if status is None:
                self.instance = None
            else:
                self.instance["DBInstanceStatus"] = status
        if self.instance is None:
            raise client_error("DBInstanceNotFound", "DescribeDBInstances", f"DBInstance {NAME} not found.")
        return {"DBInstances": [copy.deepcopy(self.instance)]}

    def create_db_instance(self, aws_retry: bool = False, **kwargs: Any) -> dict[str, Any]:
        self.calls.append(("create_db_instance", kwargs))
        self.instance = described(
            DBInstanceStatus="creating",
            DBInstanceClass=kwargs["DBInstanceClass"],
            MultiAZ=kwargs.get("MultiAZ", False),
            TagList=kwargs.get("Tags", []),
        )
        del self.instance["Endpoint"]
        self.statuses = list(self.statuses_after_create)
        return {"DBInstance": copy.deepcopy(self.instance)}

    def modify_db_instance(self, aws_retry: bool = False, **kwargs: Any) -> dict[str, Any]:
        self.calls.append(("modify_db_instance", kwargs))
        if self.instance["DBInstanceStatus"] not in mod.MODIFIABLE:
            raise client_error("InvalidDBInstanceState", "ModifyDBInstance")
        for key in ("DBInstanceClass", "MultiAZ", "DeletionProtection", "BackupRetentionPeriod"):
            if key in kwargs:
                self.instance[key] = kwargs[key]
        if kwargs.get("ManageMasterUserPassword"):
            self.instance["MasterUserSecret"] = {"SecretArn": SECRET, "SecretStatus": "creating"}
        return {"DBInstance": copy.deepcopy(self.instance)}

    def delete_db_instance(self, aws_retry: bool = False, **kwargs: Any) -> dict[str, Any]:
        self.calls.append(("delete_db_instance", kwargs))
        if self.instance is None:
            raise client_error("DBInstanceNotFound", "DeleteDBInstance")
        if self.instance["DeletionProtection"]:
            raise client_error("InvalidParameterCombination", "DeleteDBInstance")
        self.instance["DBInstanceStatus"] = "deleting"
        self.statuses = ["deleting", None]
        return {"DBInstance": copy.deepcopy(self.instance)}

    def add_tags_to_resource(self, aws_retry: bool = False, **kwargs: Any) -> None:
        self.calls.append(("add_tags_to_resource", kwargs))
        tags = {t["Key"]: t["Value"] for t in self.instance["TagList"]}
        tags.update({t["Key"]: t["Value"] for t in kwargs["Tags"]})
        self.instance["TagList"] = [{"Key": k, "Value": v} for k, v in tags.items()]

    def remove_tags_from_resource(self, aws_retry: bool = False, **kwargs: Any) -> None:
        self.calls.append(("remove_tags_from_resource", kwargs))
        self.instance["TagList"] = [t for t in self.instance["TagList"] if t["Key"] not in kwargs["TagKeys"]]


# -- versions ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("wanted", "current", "satisfied", "behind", "ahead"),
    [
        pytest.param("15.10", "15.10", True, False, False, id="same"),
        pytest.param("15", "15.10", True, False, False, id="major-only"),
        pytest.param("15.8", "15.10", True, False, False, id="auto-minor-upgraded"),
        pytest.param("15.10", "15.8", False, True, False, id="minor-upgrade"),
        pytest.param("16.4", "15.10", False, True, False, id="major-upgrade"),
        pytest.param("16", "15.10", False, True, False, id="major-only-upgrade"),
        pytest.param("14.9", "15.10", False, False, True, id="older-major"),
        pytest.param("1", "15.10", False, False, True, id="no-prefix-confusion"),
    ],
)
def test_versions(wanted: str, current: str, satisfied: bool, behind: bool, ahead: bool) -> None:
    assert mod.version_satisfied(wanted, current) is satisfied
    assert mod.version_behind(wanted, current) is behind
    assert mod.version_ahead(wanted, current) is ahead


# -- what to create and what to change --------------------------------------------------------
def test_create_request_asks_rds_to_manage_the_password() -> None:
    request = mod.create_request(params(master_user_secret_kms_key_id=SECRET_KEY, kms_key_id=None))
    assert request["ManageMasterUserPassword"] is True
    assert request["MasterUserSecretKmsKeyId"] == SECRET_KEY
    assert "MasterUserPassword" not in request
    assert "KmsKeyId" not in request
    assert request["Tags"] == [{"Key": "Project", "Value": "civstart"}]
    assert request["DBInstanceIdentifier"] == NAME
    assert request["VpcSecurityGroupIds"] == ["sg-1"]
    assert request["StorageEncrypted"] is True


@pytest.mark.parametrize(
    ("overrides", "instance", "expected"),
    [
        pytest.param({}, described(), {}, id="nothing-differs"),
        pytest.param(
            {"db_instance_class": "db.m7g.large"}, described(), {"DBInstanceClass": "db.m7g.large"}, id="class"
        ),
        pytest.param(
            {"db_instance_class": "db.m7g.large"},
            described(PendingModifiedValues={"DBInstanceClass": "db.m7g.large"}),
            {},
            id="pending-counts-as-done",
        ),
        pytest.param({"multi_az": True}, described(), {"MultiAZ": True}, id="multi-az"),
        pytest.param({"backup_retention_period": 14}, described(), {"BackupRetentionPeriod": 14}, id="backups"),
        pytest.param({"deletion_protection": True}, described(), {"DeletionProtection": True}, id="protection"),
        pytest.param({"publicly_accessible": True}, described(), {"PubliclyAccessible": True}, id="public"),
        pytest.param({"allocated_storage": 50}, described(), {"AllocatedStorage": 50}, id="storage-grows"),
        pytest.param({"allocated_storage": 20}, described(AllocatedStorage=34), {}, id="storage-never-shrinks"),
        pytest.param({"engine_version": "15.12"}, described(), {"EngineVersion": "15.12"}, id="minor-upgrade"),
        pytest.param(
            {"engine_version": "16.4"},
            described(),
            {"EngineVersion": "16.4", "AllowMajorVersionUpgrade": True},
            id="major-upgrade",
        ),
        pytest.param({"engine_version": "15.8"}, described(), {}, id="no-downgrade"),
        pytest.param({"port": 5433}, described(), {"DBPortNumber": 5433}, id="port"),
        pytest.param({"port": 5433}, described(Endpoint=None), {}, id="port-unknown-while-creating"),
        pytest.param({"db_subnet_group_name": NAME.upper()}, described(), {}, id="subnet-group-case"),
        pytest.param({"db_subnet_group_name": "other"}, described(), {"DBSubnetGroupName": "other"}, id="subnet-group"),
        pytest.param(
            {"vpc_security_group_ids": ["sg-2", "sg-1"]},
            described(),
            {"VpcSecurityGroupIds": ["sg-2", "sg-1"]},
            id="group-added",
        ),
        pytest.param(
            {"vpc_security_group_ids": ["sg-1"]},
            described(
                VpcSecurityGroups=[
                    {"VpcSecurityGroupId": "sg-1", "Status": "active"},
                    {"VpcSecurityGroupId": "sg-9", "Status": "active"},
                ]
            ),
            {"VpcSecurityGroupIds": ["sg-1"]},
            id="group-removed",
        ),
        pytest.param(
            {"vpc_security_group_ids": ["sg-1"]},
            described(
                VpcSecurityGroups=[
                    {"VpcSecurityGroupId": "sg-1", "Status": "active"},
                    {"VpcSecurityGroupId": "sg-9", "Status": "removing"},
                ]
            ),
            {},
            id="group-being-removed",
        ),
        pytest.param(
            {"db_parameter_group_name": "civstart-test-postgres16"},
            described(),
            {"DBParameterGroupName": "civstart-test-postgres16"},
            id="parameter-group",
        ),
        pytest.param(
            {"enable_cloudwatch_logs_exports": ["upgrade"]},
            described(),
            {"CloudwatchLogsExportConfiguration": {"EnableLogTypes": ["upgrade"], "DisableLogTypes": ["postgresql"]}},
            id="log-exports",
        ),
        pytest.param(
            {"enable_cloudwatch_logs_exports": ["postgresql", "upgrade"]},
            described(PendingModifiedValues={"PendingCloudwatchLogsExports": {"LogTypesToEnable": ["upgrade"]}}),
            {},
            id="log-exports-pending",
        ),
        pytest.param({"preferred_backup_window": "05:00-05:30"}, described(), {"PreferredBackupWindow": "05:00-05:30"}),
        pytest.param(
            {"master_user_secret_kms_key_id": SECRET_KEY},
            described(MasterUserSecret=None),
            {"ManageMasterUserPassword": True, "MasterUserSecretKmsKeyId": SECRET_KEY},
            id="switch-to-managed-password",
        ),
        pytest.param({"master_user_secret_kms_key_id": "other-key"}, described(), {}, id="secret-key-fixed"),
        pytest.param(
            {key: None for key in mod.CREATE_PARAMETERS if key != "engine"},
            described(MultiAZ=True, DBInstanceClass="db.r7g.large"),
            {},
            id="unmanaged-settings-left-alone",
        ),
    ],
)
def test_modify_request(overrides: dict[str, Any], instance: dict[str, Any], expected: dict[str, Any]) -> None:
    assert mod.modify_request(params(**overrides), instance) == expected


@pytest.mark.parametrize(
    ("overrides", "instance", "errors", "warnings"),
    [
        pytest.param({}, described(), [], [], id="matching"),
        pytest.param({"engine": "mysql"}, described(), ["engine postgres"], [], id="engine"),
        pytest.param({}, described(StorageEncrypted=False), ["not encrypted"], [], id="unencrypted"),
        pytest.param({"storage_encrypted": False}, described(), [], [], id="encrypted-anyway"),
        pytest.param({"db_name": "other"}, described(), [], ["DBName"], id="db-name"),
        pytest.param({"master_username": "root"}, described(), [], ["MasterUsername"], id="master-user"),
        pytest.param({"engine_version": "14.9"}, described(), [], ["newer than 14.9"], id="older-major"),
    ],
)
def test_creation_problems(
    overrides: dict[str, Any], instance: dict[str, Any], errors: list[str], warnings: list[str]
) -> None:
    found_errors, found_warnings = mod.creation_problems(params(**overrides), instance)
    assert len(found_errors) == len(errors)
    assert len(found_warnings) == len(warnings)
    for expected, found in zip(errors + warnings, found_errors + found_warnings, strict=True):
        assert expected in found


# -- the module, end to end against the stub --------------------------------------------------
@pytest.mark.parametrize("check_mode", [False, True])
def test_creates_with_a_managed_password_without_waiting(check_mode: bool, run_main) -> None:
    client = StubRDS()

    result = run_main(mod, {**args(), "wait": False, "_ansible_check_mode": check_mode}, client)

    assert result["changed"] is True
    assert result["modifications"]["ManageMasterUserPassword"] is True
    if check_mode:
        assert client.names() == []
        assert result["instance"] == {}
        assert result["master_user_secret_arn"] == ""
    else:
        assert client.names() == ["create_db_instance"]
        assert "MasterUserPassword" not in client.call("create_db_instance")
        assert result["instance"]["db_instance_status"] == "creating"
        assert result["master_user_secret_arn"] == SECRET


def test_create_waits_until_available(run_main) -> None:
    client = StubRDS(statuses_after_create=["creating", "backing-up", "available"])

    result = run_main(mod, args(), client)

    assert result["changed"] is True
    assert client.names() == ["create_db_instance"]
    assert result["instance"]["db_instance_status"] == "available"
    # One look before creating, then until available.
    assert [name for name, _ in client.calls].count("describe_db_instances") == 4


def test_create_needs_the_required_settings(run_main) -> None:
    client = StubRDS()

    result = run_main(mod, {"db_instance_identifier": NAME, "engine": "postgres"}, client)

    assert result["failed"] is True
    assert "db_instance_class, master_username" in result["msg"]
    assert client.names() == []


@pytest.mark.parametrize("check_mode", [False, True])
def test_matching_instance_is_left_alone(check_mode: bool, run_main) -> None:
    client = StubRDS(described())

    result = run_main(mod, {**args(), "_ansible_check_mode": check_mode}, client)

    assert result["changed"] is False
    assert result["modifications"] == {}
    assert client.names() == []
    assert result["master_user_secret_arn"] == SECRET
    assert result["instance"]["tags"] == {"Project": "civstart"}


@pytest.mark.parametrize("check_mode", [False, True])
def test_modifies_only_what_differs(check_mode: bool, run_main) -> None:
    client = StubRDS(described())

    result = run_main(
        mod, {**args(multi_az=True, db_instance_class="db.m7g.large"), "_ansible_check_mode": check_mode}, client
    )

    assert result["changed"] is True
    assert result["modifications"] == {"MultiAZ": True, "DBInstanceClass": "db.m7g.large"}
    if check_mode:
        assert client.names() == []
    else:
        assert client.names() == ["modify_db_instance"]
        assert client.call("modify_db_instance") == {
            "DBInstanceIdentifier": NAME,
            "ApplyImmediately": False,
            "MultiAZ": True,
            "DBInstanceClass": "db.m7g.large",
        }
        assert result["instance"]["multi_az"] is True


def test_waits_for_a_creating_instance_before_modifying(run_main) -> None:
    client = StubRDS(described(DBInstanceStatus="creating"), statuses=["creating", "creating", "available"])

    result = run_main(mod, {**args(backup_retention_period=14), "wait": False}, client)

    assert result["changed"] is True
    assert client.names() == ["modify_db_instance"]
    assert client.call("modify_db_instance")["BackupRetentionPeriod"] == 14


def test_switches_an_instance_with_its_own_password_to_a_managed_one(run_main) -> None:
    client = StubRDS(described(MasterUserSecret=None))

    result = run_main(mod, args(master_user_secret_kms_key_id=SECRET_KEY), client)

    assert result["changed"] is True
    assert client.call("modify_db_instance")["ManageMasterUserPassword"] is True
    assert client.call("modify_db_instance")["MasterUserSecretKmsKeyId"] == SECRET_KEY
    assert result["master_user_secret_arn"] == SECRET


@pytest.mark.parametrize(
    ("tags", "purge", "calls"),
    [
        pytest.param({"Project": "civstart", "Component": "postgres"}, True, ["add_tags_to_resource"], id="add"),
        pytest.param({}, True, ["remove_tags_from_resource"], id="purge"),
        pytest.param({}, False, [], id="keep"),
        pytest.param({"Project": "other"}, True, ["add_tags_to_resource"], id="change"),
    ],
)
def test_tags(tags: dict[str, str], purge: bool, calls: list[str], run_main) -> None:
    client = StubRDS(described())

    result = run_main(mod, {**args(tags=tags), "purge_tags": purge}, client)

    assert result["changed"] is bool(calls)
    assert client.names() == calls
    if calls:
        assert result["instance"]["tags"] == tags


@pytest.mark.parametrize(
    ("overrides", "instance", "message"),
    [
        pytest.param({"engine_version": "16.4"}, described(), "allow_major_version_upgrade", id="major"),
        pytest.param({}, described(StorageEncrypted=False), "not encrypted", id="unencrypted"),
        pytest.param({}, described(DBInstanceStatus="deleting"), "being deleted", id="deleting"),
    ],
)
def test_refuses(overrides: dict[str, Any], instance: dict[str, Any], message: str, run_main) -> None:
    client = StubRDS(instance)

    result = run_main(mod, args(**overrides), client)

    assert result["failed"] is True
    assert message in result["msg"]
    assert client.names() == []


def test_major_upgrade_when_allowed(run_main) -> None:
    client = StubRDS(described())

    result = run_main(
        mod,
        {
            **args(engine_version="16.4", db_parameter_group_name="civstart-test-postgres16"),
            "allow_major_version_upgrade": True,
        },
        client,
    )

    assert result["changed"] is True
    sent = client.call("modify_db_instance")
    assert sent["EngineVersion"] == "16.4"
    assert sent["AllowMajorVersionUpgrade"] is True
    assert sent["DBParameterGroupName"] == "civstart-test-postgres16"


@pytest.mark.parametrize(
    ("status", "message"),
    [("incompatible-parameters", "will not become available"), ("modifying", "Timed out after 20 s")],
)
def test_wait_gives_up(status: str, message: str, run_main) -> None:
    client = StubRDS(described(DBInstanceStatus=status))
    clock = iter(range(0, 10_000, 15))

    with mock.patch.object(mod.time, "monotonic", side_effect=lambda: next(clock)):
        result = run_main(mod, {**args(multi_az=True), "wait_timeout": 20}, client)

    assert result["failed"] is True
    assert message in result["msg"]
    assert client.names() == []


# -- deleting ---------------------------------------------------------------------------------
def absent(**extra: Any) -> dict[str, Any]:
    return {"db_instance_identifier": NAME, "state": "absent", **extra}


@pytest.mark.parametrize("check_mode", [False, True])
@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        pytest.param(
            {"skip_final_snapshot": True}, {"DBInstanceIdentifier": NAME, "SkipFinalSnapshot": True}, id="skip"
        ),
        pytest.param(
            {"final_db_snapshot_identifier": f"{NAME}-final"},
            {"DBInstanceIdentifier": NAME, "FinalDBSnapshotIdentifier": f"{NAME}-final"},
            id="final-snapshot",
        ),
    ],
)
def test_deletes(extra: dict[str, Any], expected: dict[str, Any], check_mode: bool, run_main) -> None:
    client = StubRDS(described())

    result = run_main(mod, {**absent(**extra), "_ansible_check_mode": check_mode}, client)

    assert result["changed"] is True
    assert result["final_db_snapshot_identifier"] == extra.get("final_db_snapshot_identifier", "")
    if check_mode:
        assert client.names() == []
    else:
        assert client.names() == ["delete_db_instance"]
        assert client.call("delete_db_instance") == expected
        assert client.instance is None
        assert result["instance"] == {}


def test_switches_deletion_protection_off_when_told(run_main) -> None:
    client = StubRDS(described(DeletionProtection=True))

    result = run_main(mod, absent(deletion_protection=False, final_db_snapshot_identifier=f"{NAME}-final"), client)

    assert result["changed"] is True
    assert client.names() == ["modify_db_instance", "delete_db_instance"]
    assert client.call("modify_db_instance") == {
        "DBInstanceIdentifier": NAME,
        "DeletionProtection": False,
        "ApplyImmediately": True,
    }


@pytest.mark.parametrize("extra", [{}, {"deletion_protection": True}])
def test_keeps_a_protected_instance(extra: dict[str, Any], run_main) -> None:
    client = StubRDS(described(DeletionProtection=True))

    result = run_main(mod, absent(skip_final_snapshot=True, **extra), client)

    assert result["failed"] is True
    assert "deletion protection" in result["msg"]
    assert client.names() == []


def test_final_snapshot_waits_for_a_creating_instance(run_main) -> None:
    client = StubRDS(described(DBInstanceStatus="creating"), statuses=["creating", "available"])

    result = run_main(mod, absent(final_db_snapshot_identifier=f"{NAME}-final"), client)

    assert result["changed"] is True
    assert client.names() == ["delete_db_instance"]


@pytest.mark.parametrize(
    ("instance", "statuses"),
    [
        pytest.param(None, [], id="missing"),
        pytest.param(described(DBInstanceStatus="deleting"), ["deleting", "deleting", None], id="being-deleted"),
    ],
)
def test_nothing_to_delete(instance: dict[str, Any] | None, statuses: list[str | None], run_main) -> None:
    client = StubRDS(instance, statuses)

    result = run_main(mod, absent(skip_final_snapshot=True), client)

    assert result["changed"] is False
    assert client.names() == []
    # Waited until it was gone.
    assert client.instance is None


def test_delete_needs_a_snapshot_name_or_skip(run_main) -> None:
    client = StubRDS(described())

    result = run_main(mod, absent(), client)

    assert result["failed"] is True
    assert "final_db_snapshot_identifier" in result["msg"]
    assert client.calls == []


def test_api_errors_are_reported(run_main) -> None:
    client = StubRDS(described())
    client.modify_db_instance = mock.Mock(
        side_effect=client_error("InvalidParameterCombination", "ModifyDBInstance", "Cannot do that")
    )

    result = run_main(mod, args(multi_az=True), client)

    assert result["failed"] is True
    assert f"Could not manage DB instance {NAME}" in result["msg"]
