"""`zjai ui`: serve the browser dashboard (Mesa SolaraViz, model/app.py)."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

from ..executors import run_child_until_signal
from .common import UsageError, console, port

APP = Path(__file__).resolve().parents[1] / "app.py"


def check_bind(host: str, number: int) -> None:
    """Refuse a host or port the server could not listen on, before starting it."""
    try:
        infos = socket.getaddrinfo(host, number, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, ValueError) as exc:
        raise UsageError(f"--host {host!r}: not an address of this machine ({exc})") from None
    family, kind, proto, _, address = infos[0]
    try:
        with socket.socket(family, kind, proto) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(address)
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{number} ({exc.strerror}); expected a "
                         "free port and an address of this machine") from None


def cmd_ui(args) -> int:
    """Serve the dashboard (Mesa SolaraViz) until interrupted; SIGTERM, SIGINT or the end
    of this process stop the whole server process group."""
    check_bind(args.host, args.port)
    cmd = [sys.executable, "-m", "solara", "run", str(APP), "--host", args.host, "--port",
           str(args.port), "--production"]
    console.print(f"zjai dashboard on http://{args.host}:{args.port} (Ctrl-C to stop)")
    return run_child_until_signal(cmd)


def add_parser(sub) -> None:
    u = sub.add_parser("ui", help="serve the browser dashboard (Mesa SolaraViz)")
    u.add_argument("--port", type=port, default=8765, help="TCP port, 1-65535 (default 8765)")
    u.add_argument("--host", default="127.0.0.1", help="bind address (default: 127.0.0.1)")
    u.set_defaults(func=cmd_ui)
