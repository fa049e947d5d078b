"""Sweeps: run an experiment's runs on an executor into a durable, resumable store.

The store in the output folder:
- `.zjai.lock`: the pid and host of the one sweep that may write here (`FolderLock`);
  a second sweep on the same folder is refused;
- `runs/<run_id>.parquet`: one file per finished run, written atomically (temporary file,
  fsync, rename, fsync of the folder), so a crash, kill -9 or power cut never leaves a
  half-written run; its Parquet key-value metadata carries the run id and the experiment's
  hash, checked on every resume;
- `runs/quarantine/`: run files found empty, truncated, unreadable, foreign or of another
  experiment, moved aside (reason in `reasons.jsonl` and the manifest) and recomputed;
- `manifest.jsonl`: one line per attempt (done or failed: error, seconds, host, worker,
  attempt numbered across invocations) or quarantined file, appended and fsynced;
  timings and hosts live here only;
- `experiment.json`: the experiment's hash; resuming a different experiment is refused;
- on completion `results.parquet` (tidy: run_id, point, replicate, seed, one column per
  factor, year, region, indicator, value; sorted, no timings, so two sweeps of the same
  experiment give identical files) and `metadata.json`.
Running the same sweep again skips finished runs and retries failed ones.
"""

from __future__ import annotations

import errno
import json
import os
import socket
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from .ecosystem import AIEcosystemModel
from .executors import Executor
from .experiments import Experiment, Run, run_draw, run_kwargs, runs
from .provenance import (
    FolderLock,
    FolderLocked,
    atomic_write,
    fsync_dir,
    fsync_file,
    git_revision,
    now_iso,
    versions,
    write_json,
)
from .runner import run_to_end

STORAGE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM,
                  errno.EIO}
META_RUN_ID = b"zjai.run_id"
META_SHA256 = b"zjai.experiment_sha256"


def warn(message: str) -> None:
    """The default notice channel: one line on stderr (shown above a progress bar)."""
    print(f"zjai: warning: {message}", file=sys.stderr, flush=True)


class SweepError(Exception):
    """A sweep that cannot start (e.g. the folder holds another experiment)."""


class RunTimeout(Exception):
    """A run exceeded the experiment's per-run time limit."""


def execute_run(exp: Experiment, run: Run) -> tuple[pd.DataFrame, dict]:
    """Run one point-replicate (in a worker); its outcomes and where and how long it ran.

    The time limit is cooperative: checked after every simulated month.
    """
    started = time.perf_counter()
    model = AIEcosystemModel(**run_kwargs(exp, run), seed=run.seed, scale=exp.scale)

    def check_time_limit(_model) -> None:
        if time.perf_counter() - started > exp.time_limit_s:
            raise RunTimeout(f"run {run.run_id} exceeded its time limit of {exp.time_limit_s:g} s")

    df = run_to_end(model, check_time_limit).recorder.frame()
    df = df[df.indicator.isin(exp.indicators) & df.year.isin(exp.years)
            & df.region.isin(exp.regions)]
    return tidy_run(df, run), {"seconds": time.perf_counter() - started,
                               "host": socket.gethostname(), "worker": os.getpid()}


def tidy_run(df: pd.DataFrame, run: Run) -> pd.DataFrame:
    out = df.reset_index(drop=True).copy()
    out.insert(0, "seed", run.seed)
    out.insert(0, "replicate", run.replicate)
    out.insert(0, "point", run.point)
    out.insert(0, "run_id", run.run_id)
    for n, (name, value) in enumerate(run.values.items()):
        out.insert(4 + n, name, value)
    return out


@dataclass
class SweepReport:
    done: int
    skipped: int
    failed: dict            # run_id -> last error
    seconds: float
    quarantined: dict = field(default_factory=dict)   # file name -> reason


class Store:
    """The durable results folder of one experiment (open it only under its `FolderLock`)."""

    def __init__(self, out: Path, exp: Experiment, notify: Callable[[str], None] = warn):
        self.out = Path(out)
        self.runs_dir = self.out / "runs"
        self.quarantine_dir = self.runs_dir / "quarantine"
        self.manifest = self.out / "manifest.jsonl"
        self.exp = exp
        self.plan = {r.run_id: r for r in runs(exp)}
        self.notify = notify
        self.quarantined: dict[str, str] = {}

    def open(self) -> None:
        """Check or write experiment.json, then check every run file (quarantining the bad)."""
        stamp = self.out / "experiment.json"
        seen = None
        if stamp.exists():
            try:
                seen = json.loads(stamp.read_text(encoding="utf-8"))
                seen["sha256"]
            except (ValueError, KeyError, TypeError, OSError, RecursionError):
                self.notify(f"{stamp} is unreadable; checking each run file's own "
                            "experiment hash instead")
                seen = None
        if seen is not None and seen["sha256"] != self.exp.sha256:
            raise SweepError(f"{self.out} holds results of another experiment "
                             f"({seen.get('name')}, {str(seen['sha256'])[:12]}); "
                             "use a new --out folder")
        files = sorted(self.runs_dir.glob("*.parquet")) if self.runs_dir.is_dir() else []
        if seen is None and files:
            hashes = {_metadata(p).get(META_SHA256) for p in files} - {None}
            if hashes and self.exp.sha256.encode() not in hashes:
                other = sorted(h.decode(errors="replace")[:12] for h in hashes)
                raise SweepError(f"{self.out} holds runs of another experiment (sha256 "
                                 f"{', '.join(other)}) and its experiment.json is missing; "
                                 "use a new --out folder")
            self.notify(f"{stamp} is missing but {len(files)} run files are present; "
                        "keeping those that carry this experiment's hash")
        self.runs_dir.mkdir(parents=True, exist_ok=True)
        for tmp in [*self.runs_dir.glob(".*.tmp"), *self.out.glob(".*.tmp")]:
            tmp.unlink(missing_ok=True)         # left by a killed writer; we hold the lock
        if seen is None:
            write_json(stamp, {"name": self.exp.name, "sha256": self.exp.sha256,
                               "file": self.exp.path, "created": now_iso()})
        for path in files:
            reason = self.check(path)
            if reason:
                self.quarantine(path, reason)

    def check(self, path: Path) -> str | None:
        """Why the run file at `path` cannot be kept, or None if it is a finished run."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        if path.stat().st_size == 0:
            return "empty file (0 bytes)"
        try:
            pf = pq.ParquetFile(path)
            meta = pf.schema_arrow.metadata or {}
        except (pa.ArrowException, OSError, ValueError) as exc:  # truncated or not Parquet
            return f"unreadable Parquet ({type(exc).__name__}: {exc})"
        run_id, sha = meta.get(META_RUN_ID), meta.get(META_SHA256)
        if run_id is None or sha is None:
            return "foreign file: no zjai run id and experiment hash in its metadata"
        if sha.decode(errors="replace") != self.exp.sha256:
            return f"a run of another experiment (sha256 {sha.decode(errors='replace')[:12]})"
        if run_id.decode(errors="replace") != path.stem or path.stem not in self.plan:
            return f"carries run id {run_id.decode(errors='replace')!r}, named {path.stem!r}"
        try:
            pf.read()
        except (pa.ArrowException, OSError, ValueError) as exc:
            return f"damaged data ({type(exc).__name__}: {exc})"
        return None

    def quarantine(self, path: Path, reason: str) -> Path:
        """Move a damaged or foreign run file to runs/quarantine/, and say so."""
        self.quarantine_dir.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        dest = self.quarantine_dir / f"{path.stem}.{stamp}{path.suffix}"
        n = 1
        while dest.exists():
            n += 1
            dest = self.quarantine_dir / f"{path.stem}.{stamp}-{n}{path.suffix}"
        os.replace(path, dest)
        fsync_dir(self.runs_dir)
        fsync_dir(self.quarantine_dir)
        record = {"run_id": path.stem if path.stem in self.plan else None,
                  "status": "quarantined", "file": path.name,
                  "moved_to": str(dest.relative_to(self.out)), "reason": reason,
                  "time": now_iso()}
        with open(self.quarantine_dir / "reasons.jsonl", "a", encoding="utf-8") as fh:
            fh.write(json.dumps(record) + "\n")
        self.log(record)
        self.quarantined[path.name] = reason
        rerun = " it will be recomputed." if path.stem in self.plan else ""
        self.notify(f"quarantined {path} ({reason}) to {dest}.{rerun}")
        return dest

    def finished(self) -> set[str]:
        """Runs with a result file (the manifest may lag behind a kill)."""
        return {p.stem for p in self.runs_dir.glob("*.parquet")}

    def save(self, run_id: str, frame: pd.DataFrame) -> None:
        """Write one run atomically, tagged with its run id and the experiment's hash."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pandas(frame, preserve_index=False)
        table = table.replace_schema_metadata({**(table.schema.metadata or {}),
                                               META_RUN_ID: run_id.encode(),
                                               META_SHA256: self.exp.sha256.encode()})
        atomic_write(self.runs_dir / f"{run_id}.parquet", lambda p: pq.write_table(table, p))

    def log(self, entry: dict) -> None:
        """Append one line to the manifest, flushed to the operating system (a killed sweep
        keeps it). Lines are fsynced by `sync_manifest` at the end of the sweep, not each:
        an fsync per run was a third of a sweep's overhead here (8 ms each), and the run
        files, fsynced one by one, are what says a run is finished (`finished`)."""
        with open(self.manifest, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(entry, default=str) + "\n")
            fh.flush()

    def sync_manifest(self) -> None:
        """fsync the manifest (after a power cut it may lack its last lines otherwise)."""
        if self.manifest.exists():
            fsync_file(self.manifest)

    def entries(self) -> list[dict]:
        if not self.manifest.exists():
            return []
        out = []
        for line in self.manifest.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                out.append(json.loads(line))
            except (json.JSONDecodeError, RecursionError):   # a line cut by a kill, or junk
                continue
        return out

    def last_attempts(self) -> dict[str, int]:
        """The highest attempt number per run recorded by earlier invocations."""
        last: dict[str, int] = {}
        for e in self.entries():
            if isinstance(e, dict) and isinstance(e.get("attempt"), int) and e.get("run_id"):
                last[e["run_id"]] = max(last.get(e["run_id"], 0), e["attempt"])
        return last

    def results(self) -> pd.DataFrame:
        frames = [pd.read_parquet(self.runs_dir / f"{rid}.parquet") for rid in sorted(self.plan)]
        df = pd.concat(frames, ignore_index=True)
        return df.sort_values(["run_id", "year", "region", "indicator"], kind="stable",
                              ignore_index=True)


def _metadata(path: Path) -> dict:
    """A Parquet file's key-value metadata, or {} if it cannot be read."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        return dict(pq.read_schema(path).metadata or {})
    except (pa.ArrowException, OSError, ValueError):  # empty, truncated or not Parquet
        return {}


def sweep(exp: Experiment, out: Path, executor: Executor,
          progress: Callable[[int, int, int], None] | None = None,
          notify: Callable[[str], None] = warn) -> SweepReport:
    """Run every unfinished run of `exp` on `executor`, saving each as it finishes.

    Holds the folder's lock throughout: a concurrent sweep on `out` gets a `SweepError`.
    """
    out = Path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
        lock = FolderLock(out)
        lock.acquire()
    except FolderLocked as exc:
        raise SweepError(str(exc)) from None
    except OSError as exc:
        raise SweepError(f"{out}: cannot lock the results folder ({exc.strerror or exc})") from None
    try:
        if lock.note:
            notify(lock.note)
        return _sweep_locked(exp, out, executor, progress, notify)
    except OSError as exc:
        if exc.errno not in STORAGE_ERRORS:
            raise
        raise SweepError(f"{out}: cannot write {exc.filename or 'the results'} "
                         f"({exc.strerror}); finished runs are kept and any earlier "
                         "results.parquet is unchanged: fix the disk, then rerun the same "
                         "command to resume") from None
    finally:
        lock.release()


def _sweep_locked(exp, out, executor, progress, notify) -> SweepReport:
    store = Store(out, exp, notify)
    try:
        store.open()
        report = _run_plan(store, exp, executor, progress)
    except BaseException:
        try:                          # keep what the manifest says of the runs so far, but
            store.sync_manifest()     # report the error in flight, not one from this fsync
        except OSError:
            pass
        raise
    store.sync_manifest()
    return report


def _run_plan(store, exp, executor, progress) -> SweepReport:
    started = time.perf_counter()
    plan = store.plan
    finished = store.finished() & set(plan)
    todo = [r for rid, r in plan.items() if rid not in finished]
    earlier = store.last_attempts()           # attempt numbers continue across invocations
    tries = {rid: 0 for rid in plan}          # retries are counted per invocation
    failed: dict[str, str] = {}
    done = 0
    for r in todo:
        executor.submit(r.run_id, execute_run, exp, r)
    # executors yield resubmitted runs within the same iteration
    for rid, result, error in executor.finished():
        tries[rid] += 1
        entry = {"run_id": rid, "attempt": earlier.get(rid, 0) + tries[rid], "time": now_iso()}
        if error is None:
            frame, info = result
            store.save(rid, frame)
            store.log({**entry, "status": "done", **info})
            failed.pop(rid, None)
            done += 1
        else:
            failed[rid] = f"{type(error).__name__}: {error}"
            store.log({**entry, "status": "failed", "error": failed[rid]})
            if tries[rid] <= exp.retries:
                executor.submit(rid, execute_run, exp, plan[rid])
        if progress is not None:
            progress(len(finished) + done, len(failed), len(plan))
    report = SweepReport(done=done, skipped=len(finished), failed=failed,
                         seconds=time.perf_counter() - started,
                         quarantined=dict(store.quarantined))
    if not failed and store.finished() >= set(plan):
        results = store.results()
        atomic_write(store.out / "results.parquet",
                     lambda p: results.to_parquet(p, index=False))
        write_json(store.out / "metadata.json", {
            "created": now_iso(), "experiment": exp.name, "file": exp.path,
            "experiment_text": exp.text, "scenario_text": exp.scenario.text,
            "sha256": exp.sha256, "design": exp.design, "runs": len(plan),
            "factors": [f.__dict__ for f in exp.factors], "seed": exp.seed,
            "common_random_numbers": exp.common_random_numbers, "scale": exp.scale,
            "versions": versions(), "git_revision": git_revision(),
            "executor": executor.description,
            "parameters": exp.scenario.parameter_source,
            "posterior": exp.scenario.posterior and exp.scenario.posterior.record(),
            "parameter_draws": [{"run_id": rid, **run_draw(exp, r)} for rid, r in plan.items()
                                if exp.scenario.posterior is not None],
        })
    return report
