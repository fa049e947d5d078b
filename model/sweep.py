"""Sweeps: run an experiment's runs on an executor into a durable, resumable store.

The store in the output folder:
- `runs/<run_id>.parquet`: one file per finished run, written atomically (temporary file,
  then rename), so a crash or kill -9 never leaves a half-written run;
- `manifest.jsonl`: one line per attempt (done or failed: error, seconds, host, worker,
  attempt), appended and fsynced; timings and hosts live here only;
- `experiment.json`: the experiment's hash; resuming a different experiment is refused;
- on completion `results.parquet` (tidy: run_id, point, replicate, seed, one column per
  factor, year, region, indicator, value; sorted, no timings, so two sweeps of the same
  experiment give identical files) and `metadata.json`.
Running the same sweep again skips finished runs and retries failed ones.
"""

from __future__ import annotations

import json
import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .ecosystem import AIEcosystemModel
from .executors import Executor
from .experiments import Experiment, Run, run_kwargs, runs
from .provenance import atomic_write, git_revision, now_iso, versions, write_json
from .runner import run_to_end


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


class Store:
    """The durable results folder of one experiment."""

    def __init__(self, out: Path, exp: Experiment):
        self.out = Path(out)
        self.runs_dir = self.out / "runs"
        self.manifest = self.out / "manifest.jsonl"
        self.exp = exp

    def open(self) -> None:
        stamp = self.out / "experiment.json"
        if stamp.exists():
            seen = json.loads(stamp.read_text())
            if seen.get("sha256") != self.exp.sha256:
                raise SweepError(f"{self.out} holds results of another experiment "
                                 f"({seen.get('name')}, {seen.get('sha256', '')[:12]}); "
                                 "use a new --out folder")
        self.runs_dir.mkdir(parents=True, exist_ok=True)
        if not stamp.exists():
            write_json(stamp, {"name": self.exp.name, "sha256": self.exp.sha256,
                               "file": self.exp.path, "created": now_iso()})

    def finished(self) -> set[str]:
        """Runs with a result file (the manifest may lag behind a kill)."""
        return {p.stem for p in self.runs_dir.glob("*.parquet")}

    def save(self, run_id: str, frame: pd.DataFrame) -> None:
        atomic_write(self.runs_dir / f"{run_id}.parquet",
                     lambda p: frame.to_parquet(p, index=False))

    def log(self, entry: dict) -> None:
        with open(self.manifest, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(entry, default=str) + "\n")
            fh.flush()
            os.fsync(fh.fileno())

    def entries(self) -> list[dict]:
        if not self.manifest.exists():
            return []
        out = []
        for line in self.manifest.read_text(encoding="utf-8").splitlines():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:      # a line cut by a kill
                continue
        return out

    def results(self) -> pd.DataFrame:
        frames = [pd.read_parquet(p) for p in sorted(self.runs_dir.glob("*.parquet"))]
        df = pd.concat(frames, ignore_index=True)
        return df.sort_values(["run_id", "year", "region", "indicator"], kind="stable",
                              ignore_index=True)


def sweep(exp: Experiment, out: Path, executor: Executor,
          progress: Callable[[int, int, int], None] | None = None) -> SweepReport:
    """Run every unfinished run of `exp` on `executor`, saving each as it finishes."""
    store = Store(out, exp)
    store.open()
    started = time.perf_counter()
    plan = {r.run_id: r for r in runs(exp)}
    finished = store.finished() & set(plan)
    todo = [r for rid, r in plan.items() if rid not in finished]
    attempts = {rid: 0 for rid in plan}
    failed: dict[str, str] = {}
    done = 0
    for r in todo:
        executor.submit(r.run_id, execute_run, exp, r)
    # executors yield resubmitted runs within the same iteration
    for rid, result, error in executor.finished():
        attempts[rid] += 1
        entry = {"run_id": rid, "attempt": attempts[rid], "time": now_iso()}
        if error is None:
            frame, info = result
            store.save(rid, frame)
            store.log({**entry, "status": "done", **info})
            failed.pop(rid, None)
            done += 1
        else:
            failed[rid] = f"{type(error).__name__}: {error}"
            store.log({**entry, "status": "failed", "error": failed[rid]})
            if attempts[rid] <= exp.retries:
                executor.submit(rid, execute_run, exp, plan[rid])
        if progress is not None:
            progress(len(finished) + done, len(failed), len(plan))
    report = SweepReport(done=done, skipped=len(finished), failed=failed,
                         seconds=time.perf_counter() - started)
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
        })
    return report
