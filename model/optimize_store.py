"""The durable store of `zjai optimize` (model/optimize.py): the folder lock and stamp,
`evaluations.jsonl` (finished runs) and `generations.jsonl` (the search's record), each
appended and fsynced a line at a time so a killed search resumes without repeating a run."""

from __future__ import annotations

import json
import os
from pathlib import Path

from .optimize_spec import OptimizeSpec
from .provenance import FolderLock, FolderLocked, fsync_dir, now_iso, write_json


class OptimizeError(Exception):
    """An optimisation that cannot start or go on; one line for the user."""


class EvaluationStore:
    """evaluations.jsonl: finished runs, appended and fsynced one line at a time."""

    def __init__(self, out: Path):
        self.path = Path(out) / "evaluations.jsonl"
        self.records: dict[str, dict] = {}
        self.served = 0          # runs answered from the store in this invocation
        self.computed = 0        # runs computed in this invocation
        if self.path.exists():
            for line in drop_cut_line(self.path).decode("utf-8").splitlines():
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError:
                    continue
                self.records.setdefault(rec["id"], rec)

    def add(self, record: dict) -> None:
        with open(self.path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(record) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        self.records[record["id"]] = record


def lock_folder(out: Path) -> FolderLock:
    """Hold the output folder: one optimiser at a time."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        lock = FolderLock(out)
        lock.acquire()
    except FolderLocked as exc:
        raise OptimizeError(str(exc)) from None
    except OSError as exc:
        raise OptimizeError(f"{out}: cannot lock the output folder "
                            f"({exc.strerror or exc})") from None
    return lock


def stamp_folder(spec: OptimizeSpec, out: Path) -> None:
    """optimize.json: refuse a folder that holds another experiment's search."""
    stamp = out / "optimize.json"
    if stamp.exists():
        try:
            seen = json.loads(stamp.read_text(encoding="utf-8"))["sha256"]
        except (ValueError, KeyError, TypeError, OSError):
            seen = None
        if seen is not None and seen != spec.sha256:
            raise OptimizeError(f"{out} holds an optimisation of another experiment "
                                f"({str(seen)[:12]}); use a new --out folder")
    write_json(stamp, {"name": spec.name, "sha256": spec.sha256, "file": spec.path,
                       "created": now_iso()})


def read_generations(path: Path) -> list[dict]:
    """The generations recorded so far (a line cut by a kill ends the list)."""
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError:          # a line cut by a kill
            break
    return out


def append_line(path: Path, entry: dict) -> None:
    """Append one JSON line, durably, after dropping a line cut by a kill."""
    if path.exists():
        drop_cut_line(path)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(entry) + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    fsync_dir(path.parent)


def drop_cut_line(path: Path) -> bytes:
    """Truncate a JSON-lines file after its last whole line (a kill may cut the last one);
    returns the whole lines."""
    raw = path.read_bytes()
    if raw and not raw.endswith(b"\n"):
        raw = raw[:raw.rfind(b"\n") + 1]
        with open(path, "r+b") as fh:
            fh.truncate(len(raw))
    return raw
