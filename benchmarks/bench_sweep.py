"""Sweep benchmark: runs per minute with 1 and 2 local workers, and overhead per run.

Prints, in one run: the bare time of the experiment's runs (model only, this process),
the sweep's runs per minute with 1 worker (in-process) and with 2 worker processes,
parallel efficiency = rate(2) / (2 x rate(1)), and the sweep's overhead per run against the
bare model run. Usage:

    python benchmarks/bench_sweep.py [--points 64] [--scale 0.05]

Results with machine and date go in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from model.executors import make_executor
from model.experiments import load_experiment, runs
from model.sweep import execute_run, sweep

ROOT = Path(__file__).resolve().parents[1]
EXPERIMENT = ROOT / "experiments" / "smoke.toml"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--points", type=int, default=64)
    ap.add_argument("--scale", type=float, default=0.05)
    args = ap.parse_args()
    exp = load_experiment(EXPERIMENT)
    exp.points, exp.scale, exp.replicates = args.points, args.scale, 1
    plan = runs(exp)
    execute_run(exp, plan[0])                      # warm the JIT cache
    t0 = time.perf_counter()
    for r in plan:
        execute_run(exp, r)
    bare = (time.perf_counter() - t0) / len(plan)
    print(f"machine: {os.cpu_count()} cores; {len(plan)} runs of {exp.name} at scale "
          f"{exp.scale:g}, 2017-2030")
    print(f"bare model run: {bare:.3f} s per run ({60 / bare:.1f} runs per minute)")
    rates = {}
    for workers in (1, 2):
        with tempfile.TemporaryDirectory() as tmp, make_executor(workers) as ex:
            t0 = time.perf_counter()
            report = sweep(exp, Path(tmp) / "out", ex)
            seconds = time.perf_counter() - t0
        assert not report.failed
        rates[workers] = len(plan) / seconds * 60
        print(f"sweep, {workers} worker(s): {seconds:.2f} s, {rates[workers]:.1f} runs per minute, "
              f"{seconds / len(plan):.3f} s per run")
    print(f"parallel efficiency (2 workers): {rates[2] / (2 * rates[1]):.0%}")
    overhead = (60 / rates[1]) / bare - 1
    print(f"overhead per run, 1 worker, against a bare run: {overhead:+.1%}")


if __name__ == "__main__":
    main()
