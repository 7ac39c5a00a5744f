"""RDS: DB parameter groups that can be found missing and that list their engine's parameters.

moto answers DescribeDBParameterGroups for a name it does not know with an empty list (AWS:
DBParameterGroupNotFound), and DescribeDBParameters lists only the parameters someone set,
without their metadata, ignoring the ``Source`` filter.  amazon.aws.rds_instance_param_group
then fails with IndexError on a group that does not exist yet, and on one that does it reports
every parameter as "not an available parameter" and applies none (it returns them as
``errors`` without failing).

The shim raises DBParameterGroupNotFound for unknown names (``default.*`` groups, which moto
does not model, keep moto's empty answer), and lists a group's parameters as AWS does: the
engine defaults of its family with their metadata, overlaid by what was set (``Source: user``),
filtered by ``Source``.  The defaults are a subset of AWS's: the parameters appstack's roles set
or are likely to set (add rows when a role sets another).
"""

from __future__ import annotations

from typing import Any

NAME = "rds_db_parameter_groups"
MOTO_VERSION = "5.2.5"
GAP = (
    "DescribeDBParameterGroups answers [] for an unknown name instead of DBParameterGroupNotFound, and "
    "DescribeDBParameters lists only parameters that were set, without DataType/IsModifiable, ignoring Source: "
    "rds_instance_param_group fails with IndexError on a new group and applies no parameter to an existing one"
)


def _parameter(
    name: str,
    description: str,
    apply_type: str,
    data_type: str,
    allowed: str,
    value: str | None = None,
    source: str = "engine-default",
) -> dict[str, Any]:
    parameter: dict[str, Any] = {
        "ParameterName": name,
        "Description": description,
        "Source": source,
        "ApplyType": apply_type,
        "DataType": data_type,
        "AllowedValues": allowed,
        "IsModifiable": True,
        "ApplyMethod": "pending-reboot",
    }
    if value is not None:
        parameter["ParameterValue"] = value
    return parameter


_POSTGRES_COMMON = [
    _parameter("rds.force_ssl", "Force SSL connections.", "dynamic", "boolean", "0,1", "0"),
    _parameter(
        "log_min_duration_statement",
        "Sets the minimum execution time above which statements will be logged.",
        "dynamic",
        "integer",
        "-1-2147483647",
    ),
    _parameter("log_connections", "Logs each successful connection.", "dynamic", "boolean", "0,1"),
    _parameter("log_disconnections", "Logs end of a session, including duration.", "dynamic", "boolean", "0,1"),
    _parameter(
        "idle_in_transaction_session_timeout",
        "Sets the maximum allowed duration of any idling transaction.",
        "dynamic",
        "integer",
        "0-2147483647",
    ),
    _parameter(
        "statement_timeout", "Sets the maximum allowed duration of any statement.", "dynamic", "integer", "0-2147483647"
    ),
    _parameter(
        "max_connections",
        "Sets the maximum number of concurrent connections.",
        "static",
        "integer",
        "6-8388607",
        "LEAST({DBInstanceClassMemory/9531392},5000)",
        "system",
    ),
    _parameter(
        "password_encryption", "Encrypt passwords.", "dynamic", "string", "md5,scram-sha-256", "scram-sha-256", "system"
    ),
    _parameter("rds.logical_replication", "Enables logical decoding.", "static", "boolean", "0,1", "0", "system"),
]

# DB parameter group family -> its engine's default parameters.
ENGINE_DEFAULTS: dict[str, list[dict[str, Any]]] = {
    "postgres15": _POSTGRES_COMMON,
    # From PostgreSQL 16 on, RDS forces TLS by default.
    "postgres16": [
        {**p, "ParameterValue": "1"} if p["ParameterName"] == "rds.force_ssl" else p for p in _POSTGRES_COMMON
    ],
}


def parameters_of(family: str | None, user_set: dict[str, dict[str, Any]], source: str | None) -> list[dict[str, Any]]:
    """The group's parameters as AWS lists them: defaults with what was set over them."""
    listed = {p["ParameterName"]: dict(p) for p in ENGINE_DEFAULTS.get(family or "", [])}
    for name, values in user_set.items():
        base = listed.get(name, {"ParameterName": name, "IsModifiable": True})
        listed[name] = {**base, **{k: v for k, v in values.items() if v is not None}, "Source": "user"}
    parameters = sorted(listed.values(), key=lambda p: p["ParameterName"])
    return [p for p in parameters if not source or p.get("Source") == source]


def apply() -> None:
    from moto.core.responses import ActionResult
    from moto.rds.exceptions import DBParameterGroupNotFoundError
    from moto.rds.models import RDSBackend
    from moto.rds.responses import RDSResponse

    original_describe_groups = RDSBackend.describe_db_parameter_groups

    def describe_db_parameter_groups(self: Any, db_parameter_group_kwargs: dict[str, Any]) -> list[Any]:
        groups = original_describe_groups(self, db_parameter_group_kwargs)
        name = db_parameter_group_kwargs.get("db_parameter_group_name")
        if name and not groups and not str(name).lower().startswith("default."):
            raise DBParameterGroupNotFoundError(name)
        return groups

    def describe_db_parameters(self: Any) -> ActionResult:
        name = self.params.get("DBParameterGroupName")
        groups = self.backend.describe_db_parameter_groups({"db_parameter_group_name": name})
        if not groups:
            raise DBParameterGroupNotFoundError(name)
        group = groups[0]
        parameters = parameters_of(group.family, dict(group.parameters), self.params.get("Source"))
        return ActionResult({"Parameters": parameters})

    RDSBackend.describe_db_parameter_groups = describe_db_parameter_groups
    RDSResponse.describe_db_parameters = describe_db_parameters
