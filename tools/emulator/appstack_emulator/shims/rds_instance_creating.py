"""RDS: a DB instance that is still being created behaves as one on AWS.

moto creates DB instances ready at once; the latency profile (``rds_instance=N``) reports them
``creating`` for N seconds, but moto still gives such an instance its endpoint, modifies it and
takes a final snapshot of it.  AWS has no endpoint for an instance until it is created, and
answers ModifyDBInstance, and DeleteDBInstance with a final snapshot, with InvalidDBInstanceState.
Code that reads the endpoint or changes the instance before waiting for it works against the
emulator and fails on AWS.

The shim hides the endpoint of a ``creating`` instance and refuses those calls as AWS does.
Without a latency profile moto never reports ``creating`` and nothing changes.
"""

from __future__ import annotations

from typing import Any

NAME = "rds_instance_creating"
MOTO_VERSION = "5.2.5"
GAP = (
    "with the latency profile, a DB instance reported creating still has its Endpoint, accepts "
    "ModifyDBInstance and gives a final snapshot on DeleteDBInstance; AWS has no endpoint yet and "
    "answers InvalidDBInstanceState: code that does not wait for the instance passes locally, fails on AWS"
)

CREATING = "creating"


def apply() -> None:
    from moto.rds.exceptions import RDSClientError
    from moto.rds.models import DBInstance, RDSBackend

    original_endpoint = DBInstance.endpoint

    def endpoint(self: Any) -> dict[str, Any] | None:
        if self.status == CREATING:
            return None
        return original_endpoint.fget(self)

    DBInstance.endpoint = property(endpoint)

    original_modify = RDSBackend.modify_db_instance

    def modify_db_instance(self: Any, db_instance_identifier: str, db_kwargs: dict[str, Any]) -> Any:
        database = self.describe_db_instances(db_instance_identifier)[0]
        if database.status == CREATING:
            raise RDSClientError("InvalidDBInstanceState", "Database instance is not in available state.")
        return original_modify(self, db_instance_identifier, db_kwargs)

    RDSBackend.modify_db_instance = modify_db_instance

    original_delete = RDSBackend.delete_db_instance

    def delete_db_instance(self: Any, db_instance_identifier: str, **kwargs: Any) -> Any:
        database = self.databases.get(db_instance_identifier)
        snapshot = kwargs.get("final_db_snapshot_identifier") and not kwargs.get("skip_final_snapshot")
        if database is not None and snapshot and database.status == CREATING:
            raise RDSClientError(
                "InvalidDBInstanceState",
                f"Instance {db_instance_identifier} is currently creating - a final snapshot cannot be taken.",
            )
        return original_delete(self, db_instance_identifier, **kwargs)

    RDSBackend.delete_db_instance = delete_db_instance
