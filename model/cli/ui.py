"""`zjai ui`: serve the browser dashboard (Mesa SolaraViz, model/app.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .common import console

APP = Path(__file__).resolve().parents[1] / "app.py"


def cmd_ui(args) -> int:
    """Serve the dashboard (Mesa SolaraViz) until interrupted."""
    cmd = [sys.executable, "-m", "solara", "run", str(APP), "--host", args.host, "--port",
           str(args.port), "--production"]
    console.print(f"zjai dashboard on http://{args.host}:{args.port} (Ctrl-C to stop)")
    try:
        return subprocess.call(cmd)
    except KeyboardInterrupt:
        return 0


def add_parser(sub) -> None:
    u = sub.add_parser("ui", help="serve the browser dashboard (Mesa SolaraViz)")
    u.add_argument("--port", type=int, default=8765)
    u.add_argument("--host", default="127.0.0.1", help="bind address (default: 127.0.0.1)")
    u.set_defaults(func=cmd_ui)
