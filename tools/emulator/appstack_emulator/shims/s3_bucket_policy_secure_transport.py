"""S3: a TLS-only bucket policy does not deny requests made over TLS.

The usual TLS-only statement denies ``s3:*`` when ``aws:SecureTransport`` is ``false``.  moto
evaluates bucket policies for object requests without any request context and ignores ``Bool``
conditions (it treats an operator it does not know as met), so the statement denies every object
request: ``s3_object`` / ``s3_sync`` uploads and ``s3_bucket`` ``force`` deletes get 403 on a
TLS-only bucket.  AWS is reached over HTTPS (boto3's default); the emulator stands in for those
endpoints on plain HTTP, so this shim evaluates bucket policies as for a request over TLS:
statements that only apply to requests without TLS are left out.
"""

from __future__ import annotations

import json
from typing import Any

NAME = "s3_bucket_policy_secure_transport"
MOTO_VERSION = "5.2.5"
GAP = (
    "bucket policies are evaluated with Bool conditions ignored, so a Deny on "
    "aws:SecureTransport=false denies every object request: s3_object / s3_sync get 403 on a "
    "TLS-only bucket"
)

_BOOL_OPERATORS = {"bool", "boolifexists"}


def applies_over_tls(statement: dict[str, Any]) -> bool:
    """False for a statement whose condition requires aws:SecureTransport to be false."""
    for operator, values in (statement.get("Condition") or {}).items():
        if operator.lower() not in _BOOL_OPERATORS or not isinstance(values, dict):
            continue
        for key, wanted in values.items():
            if key.lower() != "aws:securetransport":
                continue
            wanted_values = wanted if isinstance(wanted, list) else [wanted]
            if "true" not in [str(value).lower() for value in wanted_values]:
                return False
    return True


def policy_over_tls(policy: str | bytes) -> str:
    """The policy document without the statements that do not apply to a request over TLS."""
    document = json.loads(policy)
    statements = document.get("Statement", [])
    if isinstance(statements, dict):
        statements = [statements]
    document["Statement"] = [statement for statement in statements if applies_over_tls(statement)]
    return json.dumps(document)


def apply() -> None:
    from moto.iam.access_control import IAMPolicy, PermissionResult
    from moto.s3.models import FakeBucket

    def get_permission(self: Any, action: str, resource: str) -> Any:
        if self.policy is None:
            return PermissionResult.NEUTRAL
        return IAMPolicy(policy_over_tls(self.policy)).is_action_permitted(action, resource)

    FakeBucket.get_permission = get_permission
