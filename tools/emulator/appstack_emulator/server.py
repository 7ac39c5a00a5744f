"""Run moto's WSGI app in this process, with our shims, latency patches and middleware.

``python -m appstack_emulator.server --port 4566`` runs in the foreground; the CLI
(``appstack-emulator start``) runs exactly this in a detached child process.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import struct
import sys
from typing import Any

from . import environment, latency, shims
from . import faults as f

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 4566


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="appstack_emulator.server", description=__doc__)
    parser.add_argument("--host", default=DEFAULT_HOST)
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--faults", default="", help="fault spec, see README")
    parser.add_argument("--latency", default="", help="latency spec, see README")
    parser.add_argument("--disable-shim", action="append", default=[], metavar="NAME", help="repeatable")
    return parser


def reset_socket(sock: socket.socket, rfile: Any) -> None:
    """Close ``sock`` so that the peer sees a TCP reset (RST), not an orderly FIN."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    # The handler's rfile holds a reference to the socket; release it first so that
    # close() really closes the descriptor (with linger 0, the kernel answers with RST).
    with contextlib.suppress(OSError):
        rfile.close()
    sock.close()


def make_request_handler() -> type:
    from moto.moto_server.werkzeug_app import MotoRequestHandler

    from .middleware import RESET_KEY

    class AppstackRequestHandler(MotoRequestHandler):
        """moto's handler, plus the connection reset asked for by the middleware."""

        def run_wsgi(self) -> None:
            super().run_wsgi()
            if getattr(self, "environ", {}).get(RESET_KEY):
                self.close_connection = True
                reset_socket(self.environ["werkzeug.socket"], self.rfile)

        def log_request(self, code: Any = "-", size: Any = "-") -> None:
            if os.environ.get("APPSTACK_EMULATOR_QUIET") != "1":
                super().log_request(code, size)

    return AppstackRequestHandler


def build_app(
    fault_config: f.FaultConfig | None = None,
    delays: dict[str, float] | None = None,
    disabled_shims: list[str] | None = None,
) -> Any:
    """Prepare the environment, import moto, apply shims and patches; return the WSGI app."""
    if "moto.settings" in sys.modules:
        # moto reads its settings at import: ours would silently not apply.
        raise RuntimeError("moto was imported before the emulator set its environment")
    amis_file = environment.prepare()
    try:
        import moto.ec2.models.amis  # noqa: F401 - reads MOTO_AMIS_PATH once, at import
    finally:
        if amis_file:
            os.unlink(amis_file)

    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    from .middleware import AppstackMiddleware

    applied = shims.apply_all(disabled_shims or [])
    latency.apply_patches()
    latency.configure(delays or {})
    info = {"shims": applied, "disabled_shims": sorted(disabled_shims or [])}
    moto_app = DomainDispatcherApplication(create_backend_app)
    return AppstackMiddleware(moto_app, f.FaultInjector(fault_config), info=info)


def serve(app: Any, host: str, port: int) -> None:
    from werkzeug.serving import run_simple

    run_simple(host, port, app, threaded=True, request_handler=make_request_handler())


def _exit_on_signal(signum: int, frame: Any) -> None:
    sys.exit(0)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        fault_config = f.FaultConfig.from_spec(args.faults)
        delays = latency.parse_spec(args.latency)
        unknown = sorted(set(args.disable_shim) - set(shims.names()))
        if unknown:
            raise ValueError(f"unknown shims {unknown}; known: {shims.names()}")
    except ValueError as exc:
        print(f"appstack emulator: {exc}", file=sys.stderr)
        return 2
    os.environ.setdefault("MOTO_PORT", str(args.port))
    app = build_app(fault_config, delays, args.disable_shim)
    signal.signal(signal.SIGTERM, _exit_on_signal)
    import moto

    print(
        f"appstack emulator: moto {moto.__version__} ({os.path.dirname(moto.__file__)}) "
        f"at http://{args.host}:{args.port} shims={app.info['shims']} "
        f"faults={fault_config.to_json()} latency={delays}",
        flush=True,
    )
    serve(app, args.host, args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
