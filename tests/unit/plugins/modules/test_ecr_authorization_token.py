"""ecr_authorization_token: decode the login, mask the password, registry ids, no data; stubbed ECR client."""

import base64
import datetime

import pytest
from ansible_collections.appstack.cloud.plugins.modules import ecr_authorization_token as mod

from tests.unit.conftest import FakeModule, run

REGISTRY = "123456789012.dkr.ecr.eu-west-1.amazonaws.com"


def token(password="s3cret:with:colons"):
    return {
        "authorizationToken": base64.b64encode(f"AWS:{password}".encode()).decode(),
        "proxyEndpoint": f"https://{REGISTRY}",
        "expiresAt": datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC),
    }


def module(registry_ids=(), check_mode=False):
    fake = FakeModule({"registry_ids": list(registry_ids)}, check_mode=check_mode)
    fake.no_log_values = set()
    return fake


@pytest.mark.parametrize("check_mode", [False, True])
@pytest.mark.parametrize(("registry_ids", "kwargs"), [((), {}), (("123456789012",), {"registryIds": ["123456789012"]})])
def test_returns_the_login(client, check_mode, registry_ids, kwargs):
    client.get_authorization_token.return_value = {"authorizationData": [token()]}
    fake = module(registry_ids, check_mode)
    result = run(mod.get_token, fake, client)
    assert not result.failed and result.result["changed"] is False
    assert result.result["registry"] == REGISTRY
    assert result.result["username"] == "AWS"
    assert result.result["password"] == "s3cret:with:colons"
    assert result.result["expires_at"].startswith("2030-01-01")
    assert "s3cret:with:colons" in fake.no_log_values
    client.get_authorization_token.assert_called_once_with(aws_retry=True, **kwargs)


def test_no_authorization_data_fails(client):
    client.get_authorization_token.return_value = {"authorizationData": []}
    assert run(mod.get_token, module(), client).failed


@pytest.mark.parametrize(
    ("endpoint", "registry"), [("https://r.example/", "r.example"), ("r.example:5000", "r.example:5000")]
)
def test_decode_registry(endpoint, registry):
    data = {"authorizationToken": base64.b64encode(b"AWS:p").decode(), "proxyEndpoint": endpoint}
    assert mod.decode(data)["registry"] == registry
