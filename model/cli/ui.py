"""`zjai ui`: serve the browser dashboard (Mesa SolaraViz, model/app.py)."""

from __future__ import annotations

import sys
from pathlib import Path

from ..executors import run_child_until_signal
from .common import console

APP = Path(__file__).resolve().parents[1] / "app.py"


def cmd_ui(args) -> int:
    """Serve the dashboard (Mesa SolaraViz) until interrupted; SIGTERM, SIGINT or the end
    of this process stop the whole server process group."""
    cmd = [sys.executable, "-m", "solara", "run", str(APP), "--host", args.host, "--port",
           str(args.port), "--production"]
    console.print(f"zjai dashboard on http://{args.host}:{args.port} (Ctrl-C to stop)")
    return run_child_until_signal(cmd)


def add_parser(sub) -> None:
    u = sub.add_parser("ui", help="serve the browser dashboard (Mesa SolaraViz)")
    u.add_argument("--port", type=int, default=8765)
    u.add_argument("--host", default="127.0.0.1", help="bind address (default: 127.0.0.1)")
    u.set_defaults(func=cmd_ui)
