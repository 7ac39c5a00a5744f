#!/usr/bin/python
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: rds_instance_managed_password
short_description: Manage an RDS DB instance whose master password RDS keeps in Secrets Manager
version_added: 0.1.0
description:
  - Creates, modifies and deletes an RDS DB instance whose master user password is managed by
    RDS in AWS Secrets Manager (C(ManageMasterUserPassword)), so that no password passes through
    Ansible, its logs or its inventory. M(amazon.aws.rds_instance) 10.x cannot ask for this.
  - The instance is created with C(ManageMasterUserPassword=true). An existing instance that has
    a password of its own is switched to a managed password; the module never turns it off.
  - Idempotent. Each setting given is compared with the instance, a pending modification
    counting as done, and the settings that differ are sent in one ModifyDBInstance call.
    Settings left out are not managed.
  - Settings AWS fixes at creation (O(engine), O(db_name), O(master_username), O(storage_encrypted),
    O(kms_key_id), O(master_user_secret_kms_key_id)) are used when creating. On an existing
    instance a different O(engine), or an unencrypted instance asked to be encrypted, fails the
    task; a different O(db_name) or O(master_username) is reported as a warning; KMS keys are
    not compared.
  - AWS cannot shrink storage or go back to an older engine version. A smaller
    O(allocated_storage) (storage autoscaling may have grown it) or an older O(engine_version)
    (an automatic minor version upgrade) leaves the instance as it is. O(engine_version) may
    name a major version only, for example C(15), which any C(15.x) satisfies.
  - AWS refuses to modify an instance that is not available. When there is something to
    change, the module first waits (up to O(wait_timeout)) for the instance to be available.
  - Instances of Aurora clusters are out of scope.
options:
  state:
    description: Whether the instance should exist.
    type: str
    choices: [present, absent]
    default: present
  db_instance_identifier:
    description: The instance's identifier (AWS stores it in lower case).
    type: str
    required: true
    aliases: [id]
  engine:
    description: The engine, for example C(postgres). Required to create the instance.
    type: str
  engine_version:
    description:
      - The engine version, full (C(15.10)) or major only (C(15)).
      - A newer major version than the instance's needs O(allow_major_version_upgrade=true).
    type: str
  allow_major_version_upgrade:
    description: Allow a change of O(engine_version) to a newer major version.
    type: bool
    default: false
  db_instance_class:
    description: The instance class, for example C(db.t4g.micro). Required to create the instance.
    type: str
    aliases: [instance_class]
  allocated_storage:
    description: Storage in GiB. Only ever increased.
    type: int
  max_allocated_storage:
    description: Upper limit in GiB to which RDS may grow the storage (storage autoscaling).
    type: int
  storage_type:
    description: The storage type.
    type: str
    choices: [standard, gp2, gp3, io1, io2]
  storage_encrypted:
    description: Encrypt the storage. Used when creating; AWS cannot encrypt an existing instance.
    type: bool
  kms_key_id:
    description:
      - The KMS key that encrypts the storage, when O(storage_encrypted=true). Default is the
        account's C(aws/rds) key. Used when creating.
    type: str
  db_name:
    description: The database RDS creates in the instance. Used when creating.
    type: str
  master_username:
    description: The master user's name. Required to create the instance.
    type: str
  master_user_secret_kms_key_id:
    description:
      - The KMS key that encrypts the master user secret. Default is the account's
        C(aws/secretsmanager) key. Used when the secret is made (creation or switch); AWS cannot
        change it later.
    type: str
  port:
    description: The port the instance listens on.
    type: int
  db_subnet_group_name:
    description: The DB subnet group the instance lives in.
    type: str
  vpc_security_group_ids:
    description: The VPC security groups of the instance, exactly (others are removed).
    type: list
    elements: str
  db_parameter_group_name:
    description: The DB parameter group of the instance.
    type: str
  multi_az:
    description: Keep a standby in another availability zone.
    type: bool
  backup_retention_period:
    description: Days automated backups are kept; C(0) switches them off.
    type: int
  preferred_backup_window:
    description: Daily UTC time range of automated backups, C(hh24:mi-hh24:mi).
    type: str
  preferred_maintenance_window:
    description: Weekly UTC time range of maintenance, C(ddd:hh24:mi-ddd:hh24:mi).
    type: str
  publicly_accessible:
    description: Give the instance a public address.
    type: bool
  deletion_protection:
    description:
      - Refuse deletion while on.
      - With O(state=absent), V(false) switches the protection off before deleting; otherwise a
        protected instance is not deleted and the task fails.
    type: bool
  copy_tags_to_snapshot:
    description: Copy the instance's tags to its snapshots.
    type: bool
  auto_minor_version_upgrade:
    description: Let RDS apply minor engine upgrades in the maintenance window.
    type: bool
  enable_cloudwatch_logs_exports:
    description: Log types published to CloudWatch Logs, exactly (for example C(postgresql), C(upgrade)).
    type: list
    elements: str
  apply_immediately:
    description:
      - Apply modifications now rather than in the next maintenance window. Some changes (the
        instance class, Multi-AZ, storage) cause downtime or a failover.
    type: bool
    default: false
  skip_final_snapshot:
    description: With O(state=absent), delete without a final snapshot.
    type: bool
    default: false
  final_db_snapshot_identifier:
    description:
      - With O(state=absent), the name of the final snapshot. Required unless O(skip_final_snapshot=true).
    type: str
  wait:
    description:
      - Wait for the instance to be available after creating or modifying it, or gone after
        deleting it.
    type: bool
    default: true
  wait_timeout:
    description: Seconds to wait, each time the module waits.
    type: int
    default: 2400
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Start a PostgreSQL 15 instance whose master password RDS manages, without waiting
  appstack.cloud.rds_instance_managed_password:
    db_instance_identifier: civstart-prod-postgres
    engine: postgres
    engine_version: "15.10"
    db_instance_class: db.m7g.large
    allocated_storage: 50
    storage_type: gp3
    storage_encrypted: true
    db_name: civstart
    master_username: civstart_admin
    db_subnet_group_name: civstart-prod-postgres
    vpc_security_group_ids: [sg-0123456789abcdef0]
    db_parameter_group_name: civstart-prod-postgres15
    multi_az: true
    backup_retention_period: 7
    publicly_accessible: false
    deletion_protection: true
    copy_tags_to_snapshot: true
    tags:
      Project: civstart
    wait: false
  register: postgres

- name: Pass the master secret's ARN to whoever reads the password
  ansible.builtin.debug:
    msg: "{{ postgres.master_user_secret_arn }}"

- name: Delete it, keeping a final snapshot, after switching its deletion protection off
  appstack.cloud.rds_instance_managed_password:
    db_instance_identifier: civstart-prod-postgres
    state: absent
    deletion_protection: false
    final_db_snapshot_identifier: civstart-prod-postgres-final-20250101000000
"""

RETURN = r"""
instance:
  description:
    - The instance as DescribeDBInstances returns it (snake_case, tags as a dictionary).
    - Empty when there is none, or when it is only planned (check mode).
  returned: always
  type: dict
  sample:
    db_instance_identifier: civstart-prod-postgres
    db_instance_status: available
    endpoint:
      address: civstart-prod-postgres.abcdefghijkl.eu-west-1.rds.amazonaws.com
      port: 5432
    master_user_secret:
      secret_arn: arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-0a1b2c3d-AbCdEf
      secret_status: active
    tags:
      Project: civstart
master_user_secret_arn:
  description:
    - ARN of the Secrets Manager secret in which RDS keeps the master user name and password.
    - Empty when not known yet.
  returned: always
  type: str
  sample: arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-0a1b2c3d-AbCdEf
modifications:
  description:
    - The ModifyDBInstance parameters this run sent (in check mode, would send).
    - For a creation, the CreateDBInstance parameters without the tags.
  returned: always
  type: dict
  sample:
    DBInstanceClass: db.m7g.large
    MultiAZ: true
final_db_snapshot_identifier:
  description: The final snapshot taken when deleting; empty when none.
  returned: when O(state=absent)
  type: str
"""

import time
from collections.abc import Callable
from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict
from ansible_collections.appstack.cloud.plugins.module_utils.runner import run_module
from ansible_collections.appstack.cloud.plugins.module_utils.tags import RDS, snake_with_tags, tag_changes

# Seconds between two looks at the instance while waiting.
POLL_SECONDS = 10
# States in which AWS accepts ModifyDBInstance.
MODIFIABLE = ("available", "storage-optimization")
# States an instance does not leave without someone acting: waiting for "available" is futile.
STUCK = (
    "failed",
    "inaccessible-encryption-credentials",
    "incompatible-network",
    "incompatible-option-group",
    "incompatible-parameters",
    "incompatible-restore",
    "restore-error",
    "storage-full",
    "stopped",
)

# Module option -> CreateDBInstance parameter, for options passed as they are.
CREATE_PARAMETERS = {
    "engine": "Engine",
    "engine_version": "EngineVersion",
    "db_instance_class": "DBInstanceClass",
    "allocated_storage": "AllocatedStorage",
    "max_allocated_storage": "MaxAllocatedStorage",
    "storage_type": "StorageType",
    "storage_encrypted": "StorageEncrypted",
    "kms_key_id": "KmsKeyId",
    "db_name": "DBName",
    "master_username": "MasterUsername",
    "master_user_secret_kms_key_id": "MasterUserSecretKmsKeyId",
    "port": "Port",
    "db_subnet_group_name": "DBSubnetGroupName",
    "vpc_security_group_ids": "VpcSecurityGroupIds",
    "db_parameter_group_name": "DBParameterGroupName",
    "multi_az": "MultiAZ",
    "backup_retention_period": "BackupRetentionPeriod",
    "preferred_backup_window": "PreferredBackupWindow",
    "preferred_maintenance_window": "PreferredMaintenanceWindow",
    "publicly_accessible": "PubliclyAccessible",
    "deletion_protection": "DeletionProtection",
    "copy_tags_to_snapshot": "CopyTagsToSnapshot",
    "auto_minor_version_upgrade": "AutoMinorVersionUpgrade",
    "enable_cloudwatch_logs_exports": "EnableCloudwatchLogsExports",
}

# Module option -> (ModifyDBInstance parameter, DescribeDBInstances key, PendingModifiedValues key),
# for settings compared as plain values.
PLAIN_SETTINGS = {
    "db_instance_class": ("DBInstanceClass", "DBInstanceClass", "DBInstanceClass"),
    "storage_type": ("StorageType", "StorageType", "StorageType"),
    "max_allocated_storage": ("MaxAllocatedStorage", "MaxAllocatedStorage", None),
    "multi_az": ("MultiAZ", "MultiAZ", "MultiAZ"),
    "backup_retention_period": ("BackupRetentionPeriod", "BackupRetentionPeriod", "BackupRetentionPeriod"),
    "publicly_accessible": ("PubliclyAccessible", "PubliclyAccessible", None),
    "deletion_protection": ("DeletionProtection", "DeletionProtection", None),
    "copy_tags_to_snapshot": ("CopyTagsToSnapshot", "CopyTagsToSnapshot", None),
    "auto_minor_version_upgrade": ("AutoMinorVersionUpgrade", "AutoMinorVersionUpgrade", None),
}

# Module option -> (ModifyDBInstance parameter, DescribeDBInstances key), compared without case.
WINDOW_SETTINGS = {
    "preferred_backup_window": ("PreferredBackupWindow", "PreferredBackupWindow"),
    "preferred_maintenance_window": ("PreferredMaintenanceWindow", "PreferredMaintenanceWindow"),
}


def version_tuple(version: str) -> tuple[int, ...]:
    """15.10 -> (15, 10); parts that are not numbers count as 0."""
    return tuple(int(part) if part.isdigit() else 0 for part in str(version).split("."))


def version_satisfied(wanted: str, current: str) -> bool:
    """True when ``current`` is ``wanted``, a minor version of a major-only ``wanted`` (15 ->
    15.10), or newer within the same major version (an automatic minor upgrade)."""
    if current == wanted or current.startswith(wanted + "."):
        return True
    wanted_parts, current_parts = version_tuple(wanted), version_tuple(current)
    return wanted_parts[0] == current_parts[0] and current_parts >= wanted_parts


def version_behind(wanted: str, current: str) -> bool:
    """True when the instance must be upgraded to reach ``wanted``."""
    return not version_satisfied(wanted, current) and version_tuple(wanted) > version_tuple(current)


def version_ahead(wanted: str, current: str) -> bool:
    """True when the instance runs a newer major version than ``wanted`` (AWS cannot go back)."""
    return not version_satisfied(wanted, current) and version_tuple(wanted) < version_tuple(current)


def is_major_upgrade(wanted: str, current: str) -> bool:
    return version_tuple(wanted)[0] > version_tuple(current)[0]


def pending(instance: dict[str, Any]) -> dict[str, Any]:
    return instance.get("PendingModifiedValues") or {}


def current_value(instance: dict[str, Any], key: str, pending_key: str | None) -> Any:
    """The value the instance will have once pending modifications are applied."""
    if pending_key and pending(instance).get(pending_key) is not None:
        return pending(instance)[pending_key]
    return instance.get(key)


def current_port(instance: dict[str, Any]) -> int | None:
    """None while the instance has no endpoint yet (AWS gives one once it is created)."""
    return pending(instance).get("Port") or (instance.get("Endpoint") or {}).get("Port")


def current_security_groups(instance: dict[str, Any]) -> set[str]:
    return {
        group["VpcSecurityGroupId"]
        for group in instance.get("VpcSecurityGroups", [])
        if group.get("Status") in ("active", "adding")
    }


def current_log_exports(instance: dict[str, Any]) -> set[str]:
    exports = set(instance.get("EnabledCloudwatchLogsExports") or [])
    changes = pending(instance).get("PendingCloudwatchLogsExports") or {}
    return (exports | set(changes.get("LogTypesToEnable", []))) - set(changes.get("LogTypesToDisable", []))


def create_request(params: dict[str, Any]) -> dict[str, Any]:
    """The CreateDBInstance arguments: every option given, and a password RDS manages."""
    request: dict[str, Any] = {"DBInstanceIdentifier": params["db_instance_identifier"]}
    for option, key in CREATE_PARAMETERS.items():
        if params.get(option) is not None:
            request[key] = params[option]
    request["ManageMasterUserPassword"] = True
    if params.get("tags"):
        request["Tags"] = RDS.tag_list(params["tags"])
    return request


def missing_for_create(params: dict[str, Any]) -> list[str]:
    return [option for option in ("engine", "db_instance_class", "master_username") if not params.get(option)]


def modify_request(params: dict[str, Any], instance: dict[str, Any]) -> dict[str, Any]:
    """The ModifyDBInstance arguments for the settings that differ (without the identifier)."""
    request: dict[str, Any] = {}
    for option, (key, described, pending_key) in PLAIN_SETTINGS.items():
        wanted = params.get(option)
        if wanted is not None and wanted != current_value(instance, described, pending_key):
            request[key] = wanted
    for option, (key, described) in WINDOW_SETTINGS.items():
        wanted = params.get(option)
        if wanted is not None and wanted.lower() != str(instance.get(described) or "").lower():
            request[key] = wanted

    wanted_version = params.get("engine_version")
    version_now = current_value(instance, "EngineVersion", "EngineVersion")
    if wanted_version and version_now and version_behind(wanted_version, version_now):
        request["EngineVersion"] = wanted_version
        if is_major_upgrade(wanted_version, version_now):
            request["AllowMajorVersionUpgrade"] = True

    storage = params.get("allocated_storage")
    if storage is not None and storage > current_value(instance, "AllocatedStorage", "AllocatedStorage"):
        request["AllocatedStorage"] = storage

    port = params.get("port")
    if port is not None and current_port(instance) not in (None, port):
        request["DBPortNumber"] = port

    subnet_group = params.get("db_subnet_group_name")
    subnet_group_now = pending(instance).get("DBSubnetGroupName") or (instance.get("DBSubnetGroup") or {}).get(
        "DBSubnetGroupName", ""
    )
    if subnet_group is not None and subnet_group.lower() != subnet_group_now.lower():
        request["DBSubnetGroupName"] = subnet_group

    groups = params.get("vpc_security_group_ids")
    if groups is not None and set(groups) != current_security_groups(instance):
        request["VpcSecurityGroupIds"] = list(groups)

    parameter_group = params.get("db_parameter_group_name")
    parameter_groups_now = [group["DBParameterGroupName"].lower() for group in instance.get("DBParameterGroups", [])]
    if parameter_group is not None and parameter_groups_now != [parameter_group.lower()]:
        request["DBParameterGroupName"] = parameter_group

    exports = params.get("enable_cloudwatch_logs_exports")
    if exports is not None:
        now = current_log_exports(instance)
        enable, disable = sorted(set(exports) - now), sorted(now - set(exports))
        if enable or disable:
            request["CloudwatchLogsExportConfiguration"] = {"EnableLogTypes": enable, "DisableLogTypes": disable}

    if not instance.get("MasterUserSecret"):
        request["ManageMasterUserPassword"] = True
        if params.get("master_user_secret_kms_key_id"):
            request["MasterUserSecretKmsKeyId"] = params["master_user_secret_kms_key_id"]
    return request


def creation_problems(params: dict[str, Any], instance: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(errors, warnings) about settings AWS fixed when it created the instance."""
    errors: list[str] = []
    warnings: list[str] = []
    name = instance["DBInstanceIdentifier"]
    if params.get("engine") and params["engine"] != instance.get("Engine"):
        errors.append(f"DB instance {name} runs engine {instance.get('Engine')}, not {params['engine']}")
    if params.get("storage_encrypted") and not instance.get("StorageEncrypted"):
        errors.append(
            f"DB instance {name} is not encrypted and AWS cannot encrypt it in place "
            "(restore an encrypted copy of a snapshot instead)"
        )
    for option, key in (("db_name", "DBName"), ("master_username", "MasterUsername")):
        if params.get(option) and params[option] != instance.get(key):
            warnings.append(
                f"DB instance {name} has {key} {instance.get(key)!r}; AWS cannot change it to {params[option]!r}"
            )
    wanted_version, version_now = params.get("engine_version"), instance.get("EngineVersion")
    if wanted_version and version_now and version_ahead(wanted_version, version_now):
        warnings.append(f"DB instance {name} runs {version_now}, newer than {wanted_version}; it is left as it is")
    return errors, warnings


def describe(client: Any, identifier: str) -> dict[str, Any] | None:
    """The instance, or None when there is none."""
    try:
        reply = client.describe_db_instances(aws_retry=True, DBInstanceIdentifier=identifier)
    except is_boto3_error_code("DBInstanceNotFound"):
        return None
    instances = reply.get("DBInstances", [])
    return instances[0] if instances else None


def status_of(instance: dict[str, Any] | None) -> str:
    return instance["DBInstanceStatus"] if instance else "gone"


def wait_until(
    module: Any, client: Any, identifier: str, done: Callable[[dict[str, Any] | None], bool], what: str
) -> dict[str, Any] | None:
    """Describe the instance until ``done`` holds; fail after wait_timeout, in a stuck state, or
    when the instance is gone while waiting for anything but its deletion."""
    timeout = module.params["wait_timeout"]
    deadline = time.monotonic() + timeout
    while True:
        instance = describe(client, identifier)
        if done(instance):
            return instance
        if instance is None:
            module.fail_json(msg=f"DB instance {identifier} was deleted while waiting for it to be {what}")
        if status_of(instance) in STUCK:
            module.fail_json(
                msg=f"DB instance {identifier} is {status_of(instance)}; it will not become {what} by itself",
                instance=to_result(instance),
            )
        if time.monotonic() >= deadline:
            module.fail_json(
                msg=f"Timed out after {timeout} s waiting for DB instance {identifier} to be {what} "
                f"(it is {status_of(instance)})",
                instance=to_result(instance),
            )
        time.sleep(POLL_SECONDS)


def wait_available(module: Any, client: Any, identifier: str) -> dict[str, Any] | None:
    return wait_until(module, client, identifier, lambda found: status_of(found) == "available", "available")


def wait_modifiable(module: Any, client: Any, identifier: str, gone_ok: bool = False) -> dict[str, Any] | None:
    """Wait until AWS accepts changes; with ``gone_ok``, an instance deleted meanwhile also ends the wait."""
    return wait_until(
        module,
        client,
        identifier,
        lambda found: status_of(found) in MODIFIABLE or (gone_ok and found is None),
        "available",
    )


def wait_gone(module: Any, client: Any, identifier: str) -> None:
    wait_until(module, client, identifier, lambda found: found is None, "deleted")


def to_result(instance: dict[str, Any] | None) -> dict[str, Any]:
    return snake_with_tags(instance, "TagList")


def secret_arn(instance: dict[str, Any] | None) -> str:
    return ((instance or {}).get("MasterUserSecret") or {}).get("SecretArn", "")


def outcome(changed: bool, instance: dict[str, Any] | None, modifications: dict[str, Any], **extra: Any) -> dict:
    return {
        "changed": changed,
        "instance": to_result(instance),
        "master_user_secret_arn": secret_arn(instance),
        "modifications": modifications,
        **extra,
    }


def create(module: Any, client: Any) -> dict[str, Any]:
    params = module.params
    missing = missing_for_create(params)
    if missing:
        identifier = params["db_instance_identifier"]
        module.fail_json(msg=f"DB instance {identifier} does not exist; to create it, give {', '.join(missing)}")
    request = create_request(params)
    planned = {k: v for k, v in request.items() if k != "Tags"}
    if module.check_mode:
        return outcome(True, None, planned)
    reply = client.create_db_instance(aws_retry=True, **request)
    instance = reply["DBInstance"]
    if params["wait"]:
        instance = wait_available(module, client, instance["DBInstanceIdentifier"]) or instance
    return outcome(True, instance, planned)


def update(module: Any, client: Any, instance: dict[str, Any]) -> dict[str, Any]:
    params = module.params
    identifier = instance["DBInstanceIdentifier"]
    if status_of(instance) == "deleting":
        module.fail_json(msg=f"DB instance {identifier} is being deleted; run again once it is gone")
    errors, warnings = creation_problems(params, instance)
    if errors:
        module.fail_json(msg="; ".join(errors), instance=to_result(instance))
    for warning in warnings:
        module.warn(warning)

    modifications = modify_request(params, instance)
    if "AllowMajorVersionUpgrade" in modifications and not params["allow_major_version_upgrade"]:
        module.fail_json(
            msg=f"DB instance {identifier} runs {instance.get('EngineVersion')}; going to "
            f"{params['engine_version']} is a major version upgrade: set allow_major_version_upgrade",
            instance=to_result(instance),
        )
    current_tags = boto3_tag_list_to_ansible_dict(instance.get("TagList", []))
    tags_to_set, tags_to_unset = tag_changes(current_tags, params.get("tags"), params["purge_tags"])
    changed = bool(modifications or tags_to_set or tags_to_unset)
    if not changed or module.check_mode:
        return outcome(changed, instance, modifications)

    if modifications:
        if status_of(instance) not in MODIFIABLE:
            instance = wait_modifiable(module, client, identifier)
            modifications = modify_request(params, instance)
        if modifications:
            client.modify_db_instance(
                aws_retry=True,
                DBInstanceIdentifier=identifier,
                ApplyImmediately=params["apply_immediately"],
                **modifications,
            )
    RDS.apply(client, instance["DBInstanceArn"], tags_to_set, tags_to_unset)
    if params["wait"] and modifications:
        instance = wait_available(module, client, identifier)
    else:
        instance = describe(client, identifier)
    return outcome(True, instance, modifications)


def ensure_present(module: Any, client: Any, instance: dict[str, Any] | None) -> dict[str, Any]:
    if instance is None:
        return create(module, client)
    return update(module, client, instance)


def ensure_absent(module: Any, client: Any, instance: dict[str, Any] | None) -> dict[str, Any]:
    params = module.params
    snapshot = "" if params["skip_final_snapshot"] else params["final_db_snapshot_identifier"]
    if instance is None:
        return outcome(False, None, {}, final_db_snapshot_identifier="")
    identifier = instance["DBInstanceIdentifier"]
    if status_of(instance) == "deleting":
        if params["wait"] and not module.check_mode:
            wait_gone(module, client, identifier)
        return outcome(False, None, {}, final_db_snapshot_identifier="")

    unprotect = bool(instance.get("DeletionProtection")) and params.get("deletion_protection") is False
    if instance.get("DeletionProtection") and not unprotect:
        module.fail_json(
            msg=f"DB instance {identifier} has deletion protection; set deletion_protection to false "
            "to switch it off and delete the instance",
            instance=to_result(instance),
        )
    modifications = {"DeletionProtection": False} if unprotect else {}
    if module.check_mode:
        return outcome(True, instance, modifications, final_db_snapshot_identifier=snapshot)

    # AWS takes no final snapshot, and accepts no modification, of an instance that is not available.
    if (unprotect or snapshot) and status_of(instance) not in MODIFIABLE:
        instance = wait_modifiable(module, client, identifier, gone_ok=True)
        if instance is None:
            return outcome(False, None, {}, final_db_snapshot_identifier="")
    if unprotect:
        client.modify_db_instance(
            aws_retry=True, DBInstanceIdentifier=identifier, DeletionProtection=False, ApplyImmediately=True
        )
    request: dict[str, Any] = {"DBInstanceIdentifier": identifier}
    if snapshot:
        request["FinalDBSnapshotIdentifier"] = snapshot
    else:
        request["SkipFinalSnapshot"] = True
    try:
        client.delete_db_instance(aws_retry=True, **request)
    except is_boto3_error_code("DBInstanceNotFound"):
        return outcome(bool(modifications), None, modifications, final_db_snapshot_identifier="")
    if params["wait"]:
        wait_gone(module, client, identifier)
    return outcome(True, None, modifications, final_db_snapshot_identifier=snapshot)


def run(module: Any, client: Any) -> dict[str, Any]:
    instance = describe(client, module.params["db_instance_identifier"])
    if module.params["state"] == "absent":
        return ensure_absent(module, client, instance)
    return ensure_present(module, client, instance)


def main() -> None:
    argument_spec = dict(
        state=dict(default="present", choices=["present", "absent"]),
        db_instance_identifier=dict(required=True, aliases=["id"]),
        engine=dict(),
        engine_version=dict(),
        allow_major_version_upgrade=dict(type="bool", default=False),
        db_instance_class=dict(aliases=["instance_class"]),
        allocated_storage=dict(type="int"),
        max_allocated_storage=dict(type="int"),
        storage_type=dict(choices=["standard", "gp2", "gp3", "io1", "io2"]),
        storage_encrypted=dict(type="bool"),
        kms_key_id=dict(),
        db_name=dict(),
        master_username=dict(),
        master_user_secret_kms_key_id=dict(),
        port=dict(type="int"),
        db_subnet_group_name=dict(),
        vpc_security_group_ids=dict(type="list", elements="str"),
        db_parameter_group_name=dict(),
        multi_az=dict(type="bool"),
        backup_retention_period=dict(type="int"),
        preferred_backup_window=dict(),
        preferred_maintenance_window=dict(),
        publicly_accessible=dict(type="bool"),
        deletion_protection=dict(type="bool"),
        copy_tags_to_snapshot=dict(type="bool"),
        auto_minor_version_upgrade=dict(type="bool"),
        enable_cloudwatch_logs_exports=dict(type="list", elements="str"),
        apply_immediately=dict(type="bool", default=False),
        skip_final_snapshot=dict(type="bool", default=False),
        final_db_snapshot_identifier=dict(),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=2400),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    if params["state"] == "absent" and not params["skip_final_snapshot"] and not params["final_db_snapshot_identifier"]:
        module.fail_json(msg="state=absent needs final_db_snapshot_identifier, or skip_final_snapshot=true")
    run_module(module, "rds", run, f"Could not manage DB instance {params['db_instance_identifier']}")


if __name__ == "__main__":
    main()
