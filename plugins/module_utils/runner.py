# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Running a module: its AWS client, the errors that fail it, and its result by state."""

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry


class ModuleError(Exception):
    """A problem with the parameters or the resource that stops the module (fail_json with the
    message and the details)."""

    def __init__(self, msg: str, **details: Any) -> None:
        super().__init__(msg)
        self.details = details


def error_code(error: Exception) -> str:
    """The error code AWS gave, or the class name of an error botocore raised itself (WaiterError...)."""
    if isinstance(error, botocore.exceptions.ClientError):
        return error.response.get("Error", {}).get("Code", "")
    return type(error).__name__


@contextmanager
def failing_on_errors(module: Any, failure: str, messages: Mapping[str, str] | None = None) -> Iterator[None]:
    """Fail the module on a ModuleError, or on an AWS error with the message for its error code
    in ``messages`` or else ``failure``."""
    try:
        yield
    except ModuleError as e:
        module.fail_json(msg=str(e), **e.details)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=(messages or {}).get(error_code(e), failure))


def run_module(
    module: Any,
    service: str,
    work: Callable[[Any, Any], dict[str, Any]],
    failure: str,
    messages: Mapping[str, str] | None = None,
) -> None:
    """Call ``work(module, client)`` with a retrying client of ``service`` and exit with the result
    it returns (or let it exit itself); errors fail the module as failing_on_errors says."""
    client = module.client(service, retry_decorator=AWSRetry.jittered_backoff())
    with failing_on_errors(module, failure, messages):
        result = work(module, client)
    module.exit_json(**result)


def trim_diff(result: dict[str, Any], diff_mode: bool) -> dict[str, Any]:
    """The result without its ``diff`` unless the module runs in diff mode."""
    if not diff_mode:
        result.pop("diff", None)
    return result


Ensure = Callable[[Any, dict[str, Any], bool], dict[str, Any]]


def ensure_state(module: Any, client: Any, present: Ensure, absent: Ensure) -> dict[str, Any]:
    """``present`` or ``absent`` (client, params, check_mode), as the state option asks; the
    result keeps its ``diff`` only in diff mode."""
    ensure = absent if module.params["state"] == "absent" else present
    return trim_diff(ensure(client, module.params, module.check_mode), module._diff)
