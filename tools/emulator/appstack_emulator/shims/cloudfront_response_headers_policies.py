"""CloudFront: response headers policies (Create/Get/GetConfig/List/Update/Delete).

moto 5.2.5 has no response headers policy API at all, so
``community.aws.cloudfront_response_headers_policy`` fails with a 404.  This shim adds the six
calls over a store kept on moto's CloudFront backend (so ``reset`` clears it), with AWS's rules
as far as our roles see them: names are unique, AWS's managed policies are listed (``Type``
``managed``) and cannot be changed or deleted, the list comes in pages of ``MaxItems`` with a
``NextMarker``, ``IfMatch`` must carry the current ETag, a policy used by a distribution cannot
be deleted.  An update that changes nothing keeps the policy's
``LastModifiedTime`` and ETag (``community.aws.cloudfront_response_headers_policy`` reports a
change only when ``LastModifiedTime`` moved).
"""

from __future__ import annotations

import copy
import uuid
from typing import Any

NAME = "cloudfront_response_headers_policies"
MOTO_VERSION = "5.2.5"
GAP = (
    "no response headers policy API (Create/Get/List/Update/DeleteResponseHeadersPolicy): "
    "cloudfront_response_headers_policy fails with 404"
)

PREFIX = "{0}/2020-05-31/response-headers-policy"

# AWS's managed policies (ids are the same in every account), as ListResponseHeadersPolicies
# shows them; only names and comments are modelled.
MANAGED = {
    "60669652-455b-4ae9-85a4-c4c02393f86c": ("Managed-SimpleCORS", "Allows all origins for simple CORS requests"),
    "5cc3b908-e619-4b99-88e5-2cf7f45965bd": (
        "Managed-CORS-With-Preflight",
        "Allows all origins for CORS requests, including preflight requests",
    ),
    "67f7725c-6f97-4210-82d7-5512b31e9d03": (
        "Managed-SecurityHeadersPolicy",
        "Adds a set of security headers to every response",
    ),
    "e61eb60c-9c35-4d20-a928-2b84e02af89c": (
        "Managed-CORS-and-SecurityHeadersPolicy",
        "Allows all origins for simple CORS requests and adds a set of security headers",
    ),
    "eaab4381-ed33-4a86-88ca-d9558dc6cd63": (
        "Managed-CORS-with-preflight-and-SecurityHeadersPolicy",
        "Allows all origins for CORS requests, including preflight, and adds a set of security headers",
    ),
}


class Policy:
    def __init__(self, config: dict[str, Any], policy_id: str | None = None, managed: bool = False) -> None:
        from moto.cloudfront.models import random_id
        from moto.core.utils import utcnow

        self.id = policy_id or str(uuid.uuid4())
        self.config = copy.deepcopy(config)
        self.managed = managed
        self.last_modified_time = utcnow()
        self.etag = random_id()

    def replace(self, config: dict[str, Any]) -> None:
        from moto.cloudfront.models import random_id
        from moto.core.utils import utcnow

        if config != self.config:
            self.config = copy.deepcopy(config)
            self.last_modified_time = utcnow()
            self.etag = random_id()

    def to_dict(self) -> dict[str, Any]:
        return {
            "Id": self.id,
            "LastModifiedTime": self.last_modified_time,
            "ResponseHeadersPolicyConfig": self.config,
        }


def _error(code: str, message: str) -> Exception:
    from moto.cloudfront.exceptions import CloudFrontException

    return CloudFrontException(code, message)


def _store(backend: Any) -> dict[str, Policy]:
    """The account's policies: AWS's managed ones, then the custom ones."""
    store = backend.__dict__.get("_appstack_response_headers_policies")
    if store is None:
        store = {
            policy_id: Policy({"Name": name, "Comment": comment}, policy_id, managed=True)
            for policy_id, (name, comment) in MANAGED.items()
        }
        backend.__dict__["_appstack_response_headers_policies"] = store
    return store


def _policy(backend: Any, policy_id: str) -> Policy:
    policy = _store(backend).get(policy_id)
    if policy is None:
        raise _error("NoSuchResponseHeadersPolicy", "The response headers policy does not exist.")
    return policy


def _check_name(backend: Any, config: dict[str, Any], own_id: str | None = None) -> None:
    for policy in _store(backend).values():
        if policy.id != own_id and policy.config.get("Name") == config.get("Name"):
            raise _error(
                "ResponseHeadersPolicyAlreadyExists",
                "A response headers policy with this name already exists. You must provide a unique name.",
            )


def _check_etag(policy: Policy, if_match: str | None, action: str) -> None:
    if policy.managed:
        raise _error(f"Illegal{action}", f"You cannot {action.lower()} a managed response headers policy.")
    if not if_match:
        raise _error("InvalidIfMatchVersion", "The If-Match version is missing or not valid for the resource.")
    if if_match != policy.etag:
        raise _error("PreconditionFailed", "The precondition given in one or more of the request fields failed.")


def _in_use(backend: Any, policy_id: str) -> bool:
    for distribution in backend.distributions.values():
        config = distribution.distribution_config
        behaviours = [config.DefaultCacheBehavior, *(config.CacheBehaviors.get("Items") or [])]
        if any(getattr(behaviour, "response_headers_policy_id", None) == policy_id for behaviour in behaviours):
            return True
    return False


def apply() -> None:
    from moto.cloudfront import urls
    from moto.cloudfront.responses import CloudFrontResponse
    from moto.core.responses import ActionResult, EmptyResult

    def create_response_headers_policy(self: Any) -> Any:
        config = self._get_param("ResponseHeadersPolicyConfig", {})
        _check_name(self.backend, config)
        policy = Policy(config)
        _store(self.backend)[policy.id] = policy
        location = f"https://cloudfront.amazonaws.com/2020-05-31/response-headers-policy/{policy.id}"
        return ActionResult({"ResponseHeadersPolicy": policy.to_dict(), "ETag": policy.etag, "Location": location})

    def get_response_headers_policy(self: Any) -> Any:
        policy = _policy(self.backend, self._get_param("Id"))
        return ActionResult({"ResponseHeadersPolicy": policy.to_dict(), "ETag": policy.etag})

    def get_response_headers_policy_config(self: Any) -> Any:
        policy = _policy(self.backend, self._get_param("Id"))
        return ActionResult({"ResponseHeadersPolicyConfig": policy.config, "ETag": policy.etag})

    def list_response_headers_policies(self: Any) -> Any:
        wanted = self._get_param("Type")
        items = [
            {"Type": "managed" if policy.managed else "custom", "ResponseHeadersPolicy": policy.to_dict()}
            for policy in _store(self.backend).values()
            if wanted in (None, "managed" if policy.managed else "custom")
        ]
        # Pages of MaxItems (100 by default); NextMarker is the id the next page starts with.
        max_items = int(self._get_param("MaxItems") or 100)
        marker = self._get_param("Marker")
        ids = [item["ResponseHeadersPolicy"]["Id"] for item in items]
        start = ids.index(marker) if marker in ids else (len(items) if marker else 0)
        page = items[start : start + max_items]
        listing: dict[str, Any] = {"MaxItems": max_items, "Quantity": len(page), "Items": page}
        if start + max_items < len(items):
            listing["NextMarker"] = ids[start + max_items]
        return ActionResult({"ResponseHeadersPolicyList": listing})

    def update_response_headers_policy(self: Any) -> Any:
        policy = _policy(self.backend, self._get_param("Id"))
        _check_etag(policy, self._get_param("IfMatch"), "Update")
        config = self._get_param("ResponseHeadersPolicyConfig", {})
        _check_name(self.backend, config, own_id=policy.id)
        policy.replace(config)
        return ActionResult({"ResponseHeadersPolicy": policy.to_dict(), "ETag": policy.etag})

    def delete_response_headers_policy(self: Any) -> Any:
        policy = _policy(self.backend, self._get_param("Id"))
        _check_etag(policy, self._get_param("IfMatch"), "Delete")
        if _in_use(self.backend, policy.id):
            raise _error(
                "ResponseHeadersPolicyInUse",
                "Cannot delete the response headers policy because it is attached to one or more cache behaviors.",
            )
        del _store(self.backend)[policy.id]
        return EmptyResult()

    for method in (
        create_response_headers_policy,
        get_response_headers_policy,
        get_response_headers_policy_config,
        list_response_headers_policies,
        update_response_headers_policy,
        delete_response_headers_policy,
    ):
        setattr(CloudFrontResponse, method.__name__, method)

    dispatch = CloudFrontResponse.dispatch
    urls.url_paths.update(
        {
            PREFIX + "$": dispatch,
            PREFIX + "/(?P<policy_id>[^/]+)$": dispatch,
            PREFIX + "/(?P<policy_id>[^/]+)/config$": dispatch,
        }
    )
