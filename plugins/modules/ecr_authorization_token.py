#!/usr/bin/python
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: ecr_authorization_token
short_description: Get a registry login for Amazon ECR
version_added: 0.1.0
description:
  - Calls ECR GetAuthorizationToken and returns the registry host, user name and password
    that C(docker login) (M(community.docker.docker_login)) needs. The password is valid for
    12 hours and is kept out of the module's logged output; use C(no_log) on tasks that pass it on.
  - Reads only, so it never reports a change and runs in check mode.
  - Neither amazon.aws nor community.aws has a module for this call.
options:
  registry_ids:
    description: AWS account ids of the registries; default the caller's account.
    type: list
    elements: str
    default: []
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Get an ECR login
  appstack.cloud.ecr_authorization_token:
  register: ecr_login
  no_log: true

- name: Log in to the registry on the host
  community.docker.docker_login:
    registry_url: "{{ ecr_login.registry }}"
    username: "{{ ecr_login.username }}"
    password: "{{ ecr_login.password }}"
  no_log: true
"""

RETURN = r"""
registry:
  description: Registry host, without scheme, e.g. C(123456789012.dkr.ecr.eu-west-1.amazonaws.com).
  returned: success
  type: str
proxy_endpoint:
  description: The registry URL as ECR gives it (with scheme).
  returned: success
  type: str
username:
  description: User name for docker login (C(AWS)).
  returned: success
  type: str
password:
  description: Password for docker login (masked in output).
  returned: success
  type: str
expires_at:
  description: When the password expires (ISO 8601).
  returned: success
  type: str
"""

import base64
from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.appstack.cloud.plugins.module_utils.runner import run_module


def decode(authorization: dict[str, Any]) -> dict[str, str]:
    """Split one authorizationData entry into registry, username and password."""
    username, _, password = base64.b64decode(authorization["authorizationToken"]).decode().partition(":")
    endpoint = authorization.get("proxyEndpoint", "")
    registry = endpoint.split("://", 1)[-1].rstrip("/")
    expires = authorization.get("expiresAt")
    return {
        "registry": registry,
        "proxy_endpoint": endpoint,
        "username": username,
        "password": password,
        "expires_at": expires.isoformat() if hasattr(expires, "isoformat") else str(expires or ""),
    }


def get_token(module, client) -> None:
    kwargs = {"registryIds": module.params["registry_ids"]} if module.params["registry_ids"] else {}
    data = client.get_authorization_token(aws_retry=True, **kwargs).get("authorizationData") or []
    if not data:
        module.fail_json(msg="ECR returned no authorization data")
    login = decode(data[0])
    module.no_log_values.add(login["password"])
    module.exit_json(changed=False, **login)


def main() -> None:
    argument_spec = dict(registry_ids=dict(type="list", elements="str", default=[]))
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    # get_token exits itself.
    run_module(module, "ecr", get_token, "Could not get an ECR authorization token")


if __name__ == "__main__":
    main()
