"""WSGI middleware in front of moto: control endpoints under /_appstack/ and fault injection.

The AWS action of a request is, in this order:
  1. JSON protocol: the part of ``X-Amz-Target`` after the last dot (``CreateCluster``);
  2. query protocol: ``Action=`` in the query string or in a form-encoded body (the body is
     read once and handed on to moto intact);
  3. REST services (S3, CloudFront, Route 53, Lambda ...): ``"METHOD /path"``, for example
     ``"PUT /my-bucket"`` or ``"POST /2020-05-31/distribution"``.
"""

from __future__ import annotations

import io
import json
import os
import sys
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

from . import faults as f
from . import latency

CONTROL_PREFIX = "/_appstack/"
PASS_THROUGH_PREFIXES = (CONTROL_PREFIX, "/moto-api")
RESET_KEY = "appstack.reset_connection"
# Requests carrying "X-Appstack-Probe: 1" (the CLI's readiness check) are neither faulted nor
# counted.
PROBE_ENVIRON_KEY = "HTTP_X_APPSTACK_PROBE"

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


class ConnectionAborted(ConnectionResetError):
    """Raised to the WSGI server so that it writes no reply; the handler then resets."""


def read_form_body(environ: dict[str, Any]) -> bytes:
    """Read a form-encoded body and put an identical stream back for moto."""
    if not environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded"):
        return b""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return b""
    if length <= 0:
        return b""
    body = environ["wsgi.input"].read(length)
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    return body


def signing_service(environ: dict[str, Any]) -> str:
    """The service from the SigV4 credential scope (``.../us-east-1/ec2/aws4_request``)."""
    auth = environ.get("HTTP_AUTHORIZATION", "")
    try:
        scope = auth.split("Credential=", 1)[1].split(",", 1)[0]
        return scope.split("/")[3].lower()
    except IndexError:
        return ""


def describe_request(environ: dict[str, Any]) -> tuple[str, str]:
    """Return (action, protocol) of an AWS request; see the module docstring."""
    service = signing_service(environ)
    target = environ.get("HTTP_X_AMZ_TARGET")
    if target:
        prefix, _, action = target.rpartition(".")
        return action, f.JSON_QUERY if prefix in f.QUERY_COMPATIBLE_TARGETS else f.JSON
    params = parse_qs(environ.get("QUERY_STRING", ""))
    if "Action" not in params:
        params = parse_qs(read_form_body(environ).decode("utf-8", "replace"))
    if "Action" in params:
        return params["Action"][0], f.EC2 if service == "ec2" else f.QUERY
    action = f"{environ.get('REQUEST_METHOD', 'GET')} {environ.get('PATH_INFO', '/')}"
    if service in ("s3", ""):
        return action, f.S3
    protocol = f.rest_protocol(service)
    if protocol not in (f.REST_JSON, f.REST_XML):
        json_body = "json" in environ.get("CONTENT_TYPE", "")
        protocol = f.REST_JSON if json_body else f.REST_XML
    return action, protocol


def _json_reply(start_response: StartResponse, status: int, data: Any) -> list[bytes]:
    body = json.dumps(data, indent=2, sort_keys=True).encode()
    reason = {200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed"}
    start_response(
        f"{status} {reason.get(status, 'Error')}",
        [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
    )
    return [body]


def _read_json(environ: dict[str, Any]) -> Any:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    raw = environ["wsgi.input"].read(length) if length else b""
    return json.loads(raw or b"{}")


class AppstackMiddleware:
    """Wraps moto's DomainDispatcherApplication."""

    def __init__(
        self,
        app: WSGIApp,
        injector: f.FaultInjector | None = None,
        info: dict[str, Any] | None = None,
    ) -> None:
        self.app = app
        self.injector = injector or f.FaultInjector()
        self.info = info or {}
        self.started = time.time()

    # -- WSGI entry point ---------------------------------------------------------------
    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Any:
        path = environ.get("PATH_INFO", "")
        if path.startswith(CONTROL_PREFIX):
            return self.control(environ, start_response)
        if path.startswith(PASS_THROUGH_PREFIXES) or environ.get(PROBE_ENVIRON_KEY):
            return self.app(environ, start_response)
        action, protocol = describe_request(environ)
        mode = self.injector.decide(action)
        if mode is None:
            return self.app(environ, start_response)
        if mode == "reset":
            self.abort(environ)
        if mode == "reset_after":
            self.call_and_discard(environ)
            self.abort(environ)
        status, headers, body = f.error_response(mode, protocol)
        start_response(f"{status} {'Service Unavailable' if status == 503 else 'Error'}", headers)
        return [body]

    def call_and_discard(self, environ: dict[str, Any]) -> None:
        """Let moto handle the request completely, then throw its reply away."""

        def ignore(status: str, headers: Any, exc_info: Any = None) -> Callable[[bytes], None]:
            return lambda data: None

        result = self.app(environ, ignore)
        try:
            for _ in result:
                pass
        finally:
            close = getattr(result, "close", None)
            if close:
                close()

    @staticmethod
    def abort(environ: dict[str, Any]) -> None:
        """Ask the request handler to reset the connection without a reply.

        ``AppstackRequestHandler`` (server.py) sees the flag and closes
        ``environ["werkzeug.socket"]`` with SO_LINGER 0, which sends a TCP RST.
        """
        environ[RESET_KEY] = True
        raise ConnectionAborted("appstack fault injection: connection reset")

    # -- control endpoints --------------------------------------------------------------
    def control(self, environ: dict[str, Any], start_response: StartResponse) -> Any:
        method = environ.get("REQUEST_METHOD", "GET")
        route = environ.get("PATH_INFO", "")[len(CONTROL_PREFIX) :].strip("/")
        handlers: dict[tuple[str, str], Callable[[dict[str, Any]], Any]] = {
            ("GET", "health"): self.health,
            ("GET", "faults"): lambda env: self.injector.snapshot(),
            ("POST", "faults"): self.set_faults,
            ("POST", "faults/reset"): self.reset_faults,
            ("GET", "latency"): lambda env: {"delays": latency.snapshot()},
            ("POST", "latency"): self.set_latency,
        }
        handler = handlers.get((method, route))
        if handler is None:
            known = {r for _, r in handlers}
            status = 405 if route in known else 404
            return _json_reply(start_response, status, {"error": f"no {method} /_appstack/{route}"})
        try:
            return _json_reply(start_response, 200, handler(environ))
        except (ValueError, TypeError) as exc:
            return _json_reply(start_response, 400, {"error": str(exc)})

    def health(self, environ: dict[str, Any]) -> dict[str, Any]:
        import moto

        return {
            "status": "ok",
            "pid": os.getpid(),
            "uptime_seconds": round(time.time() - self.started, 3),
            "python": sys.executable,
            "moto_version": moto.__version__,
            "moto_path": os.path.dirname(moto.__file__),
            **self.info,
            "faults": self.injector.config.to_json(),
            "latency": latency.snapshot(),
        }

    def set_faults(self, environ: dict[str, Any]) -> dict[str, Any]:
        self.injector.configure(f.FaultConfig.from_json(_read_json(environ)))
        return self.injector.snapshot()

    def reset_faults(self, environ: dict[str, Any]) -> dict[str, Any]:
        self.injector.reset()
        return self.injector.snapshot()

    def set_latency(self, environ: dict[str, Any]) -> dict[str, Any]:
        data = _read_json(environ)
        if not isinstance(data, dict):
            raise ValueError("latency config must be a JSON object of kind -> seconds")
        latency.configure(latency.validate(data))
        return {"delays": latency.snapshot()}
