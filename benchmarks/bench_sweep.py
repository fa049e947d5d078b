"""Sweep benchmark: runs per minute with 1 and 2 local workers, and overhead per run,
optionally beside an older revision measured in the same run.

Prints: the bare time of the experiment's runs (model only, this process), the sweep's runs
per minute with 1 worker (in-process) and with 2 worker processes (the pool's start
included; on Linux it forks from the warm coordinator, model/executors.py), parallel
efficiency =
rate(2) / (2 x rate(1)), the sweep's overhead per run against the bare model run, and what
a spawned worker pays before its first run (import and cached kernels). With `--against
REV` each measurement runs in a fresh process on this tree and on a temporary worktree of
REV in turn. Never asserted in tests. Usage:

    python benchmarks/bench_sweep.py [--points 64] [--scale 0.05] [--repeats 2] [--against REV]

Results with machine and date go in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXPERIMENT = Path("experiments") / "smoke.toml"


def warm_worker(_task: int = 0) -> float:
    """A spawned worker's first task: import the model and load its kernels (one month)."""
    t = time.perf_counter()
    from model import AIEcosystemModel

    AIEcosystemModel(seed=1, scale=0.01, end_year=2017).step()
    return time.perf_counter() - t


def measure(points: int, scale: float, repeats: int = 1) -> dict:
    """All figures for the model package on sys.path (runs in a fresh process); the bare
    runs and the sweeps are measured `repeats` times in turn and the fastest of each kept
    (this VM's speed drifts by a fifth from one minute to the next)."""
    from model.executors import make_executor
    from model.experiments import load_experiment, runs
    from model.sweep import execute_run, sweep

    exp = load_experiment(EXPERIMENT)
    exp.points, exp.scale, exp.replicates = points, scale, 1
    plan = runs(exp)
    execute_run(exp, plan[0])                      # warm the JIT cache
    out = {"runs": len(plan)}

    def keep(key, seconds):
        out[key] = min(out.get(key, seconds), seconds)
    for _ in range(repeats):
        t0 = time.perf_counter()
        for r in plan:
            execute_run(exp, r)
        keep("bare_s", (time.perf_counter() - t0) / len(plan))
        for workers in (1, 2):
            with tempfile.TemporaryDirectory() as tmp:
                t0 = time.perf_counter()                 # the pool's start counts
                with make_executor(workers) as ex:
                    report = sweep(exp, Path(tmp) / "out", ex)
                    keep(f"sweep_s_{workers}", time.perf_counter() - t0)
                    out.setdefault("pool", ex.description)
            assert not report.failed
    import concurrent.futures as cf
    import multiprocessing as mp

    t0 = time.perf_counter()
    with cf.ProcessPoolExecutor(2, mp_context=mp.get_context("spawn")) as pool:
        inside = list(pool.map(warm_worker, range(2)))
    out["spawn_s"] = time.perf_counter() - t0
    out["worker_start_s"] = max(inside)
    from model.executors import LocalPoolExecutor

    t0 = time.perf_counter()
    try:
        pool = LocalPoolExecutor(2, start_method="fork")
    except TypeError:                                # an older tree: it spawns only
        return out
    with pool as ex:
        for k in range(2):
            ex.submit(k, warm_worker, k)
        list(ex.finished())
    out["fork_s"] = time.perf_counter() - t0
    return out


def probe(tree: Path, points: int, scale: float, repeats: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    out = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--probe",
                          "--points", str(points), "--scale", str(scale),
                          "--repeats", str(repeats)], cwd=tree, env=env,
                         capture_output=True, text=True, check=False)
    if out.returncode:
        raise RuntimeError(f"sweep probe on {tree} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.splitlines()[-1])


def figures(r: dict) -> dict:
    rate = {w: r["runs"] / r[f"sweep_s_{w}"] * 60 for w in (1, 2)}
    return {"bare_s": r["bare_s"], "rate_1": rate[1], "rate_2": rate[2],
            "efficiency": rate[2] / (2 * rate[1]),
            "overhead": (60 / rate[1]) / r["bare_s"] - 1,
            "worker_start_s": r["worker_start_s"], "spawn_s": r["spawn_s"],
            "fork_s": r.get("fork_s", float("nan"))}


ROWS = [("bare_s", "bare model run (s)", "{:.3f}", ""),
        ("rate_1", "sweep, 1 worker (in-process), runs per minute", "{:.1f}", ""),
        ("rate_2", "sweep, 2 worker processes, runs per minute", "{:.1f}", ""),
        ("efficiency", "parallel efficiency, 2 workers", "{:.0%}", ">= 90%"),
        ("overhead", "overhead per run, 1 worker, vs a bare run", "{:+.1%}", "<= 3%"),
        ("worker_start_s", "a spawned worker's import and kernel load (s)", "{:.2f}", ""),
        ("spawn_s", "spawning 2 workers until both are ready (s)", "{:.2f}", ""),
        ("fork_s", "forking 2 workers from a warm coordinator until both are ready (s)",
         "{:.2f}", "")]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--points", type=int, default=64)
    ap.add_argument("--scale", type=float, default=0.05)
    ap.add_argument("--against", help="older git revision measured beside this tree")
    ap.add_argument("--repeats", type=int, default=2,
                    help="bare runs and sweeps measured in turn this many times, best kept")
    ap.add_argument("--probe", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.probe:
        print(json.dumps(measure(args.points, args.scale, args.repeats)))
        return
    print(f"machine: {os.cpu_count()} cores; {args.points} runs of {EXPERIMENT} at scale "
          f"{args.scale:g}, 2017-2030; load average before: {os.getloadavg()[0]:.2f}")
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        trees = {}
        if args.against:
            old = Path(tmp) / "old"
            subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q",
                            str(old), args.against], check=True)
            trees["old"] = old
        trees["new"] = ROOT
        try:
            results = {label: figures(probe(tree, args.points, args.scale, args.repeats))
                       for label, tree in trees.items()}
        finally:
            if "old" in trees:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force",
                                str(trees["old"])], check=False)
    labels = list(results)
    pair = len(labels) == 2
    print(f"\n| figure | {' | '.join(labels)} |" + (" new / old |" if pair else "") + " goal |")
    print("|---|" + "---:|" * (len(labels) + pair) + "---|")
    for key, label, fmt, goal in ROWS:
        cells = [fmt.format(r[key]) for r in results.values()]
        if pair:
            cells.append(f"{results['new'][key] / results['old'][key]:.2f}")
        print(f"| {label} | {' | '.join(cells)} | {goal} |")
    print(f"\n({time.perf_counter() - t0:.0f} s; load average after: {os.getloadavg()[0]:.2f})")


if __name__ == "__main__":
    main()
