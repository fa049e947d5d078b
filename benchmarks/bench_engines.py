"""Engine benchmark: numba vs mesa engine, per phase, full scale, scaling, memory, cold start.

Prints ratios measured in one run (never asserted in tests). Usage:

    python benchmarks/bench_engines.py [--scales 0.1,1] [--months 168] [--skip-full]

Results with machine and date go in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import defaultdict

from model import AIEcosystemModel, load_scenario

PHASES = ("apply_policy", "talent_supply", "talent_migration", "labour_market", "finance",
          "innovation", "market", "entry_exit", "record")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PLAN = os.path.join(ROOT, "scenarios", "plan.toml")


def agents(m) -> int:
    s = m.state
    return int(s.talent.alive[: s.talent.n].sum() + s.enterprises.alive[: s.enterprises.n].sum()
               + s.funds.alive[: s.funds.n].sum()) + m.n_cities


def timed_run(scenario, engine, scale, months, seed=1):
    """Build and run; returns build seconds, run seconds, per-phase seconds, agent-steps."""
    t0 = time.perf_counter()
    m = AIEcosystemModel.from_scenario(scenario, seed=seed, engine=engine, scale=scale)
    build = time.perf_counter() - t0
    phase_s = defaultdict(float)
    for name in PHASES:
        fn = getattr(m, name)

        def wrapped(fn=fn, name=name):
            t = time.perf_counter()
            fn()
            phase_s[name] += time.perf_counter() - t
        setattr(m, name, wrapped)
    agent_steps = 0
    t0 = time.perf_counter()
    for _ in range(months):
        agent_steps += agents(m)
        m.step()
    return build, time.perf_counter() - t0, phase_s, agent_steps, m


def cold_start() -> tuple[float, float]:
    """Seconds for a fresh process to build and step once: first compile, then cached."""
    code = ("import time; t=time.perf_counter(); from model import AIEcosystemModel; "
            "m=AIEcosystemModel(seed=1, scale=0.02, end_year=2017); m.step(); "
            "print(time.perf_counter()-t)")
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache}
        out = [float(subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                                    text=True, check=True).stdout) for _ in range(2)]
    return out[0], out[1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scales", default="0.1,1")
    ap.add_argument("--months", type=int, default=168)
    ap.add_argument("--skip-full", action="store_true")
    args = ap.parse_args()
    sc = load_scenario(PLAN)
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")
    timed_run(sc, "numba", 0.02, 2)                 # warm the JIT cache
    first, cached = cold_start()
    print(f"cold start (fresh process, build + 1 month): first compile {first:.1f} s, "
          f"cached kernels {cached:.1f} s")

    res = {}
    for engine in ("mesa", "numba"):
        res[engine] = timed_run(sc, engine, 0.1, args.months)
    per_month = {e: r[1] / args.months for e, r in res.items()}
    print(f"\nscale 0.1, {args.months} months: mesa {per_month['mesa'] * 1e3:.1f} ms/month, "
          f"numba {per_month['numba'] * 1e3:.1f} ms/month, ratio "
          f"{per_month['mesa'] / per_month['numba']:.1f}x")
    print("\nns per agent-step by phase (scale 0.1):")
    print(f"  {'phase':18s} {'mesa':>10s} {'numba':>10s} {'ratio':>7s}")
    for name in PHASES:
        a = res["mesa"][2][name] / res["mesa"][3] * 1e9
        b = res["numba"][2][name] / res["numba"][3] * 1e9
        print(f"  {name:18s} {a:10.0f} {b:10.0f} {a / max(b, 1e-9):7.1f}")

    print("\nscaling (numba engine):")
    for scale in [float(x) for x in args.scales.split(",")]:
        if scale >= 1 and args.skip_full:
            continue
        tracemalloc.start()
        build, run, _, steps, m = timed_run(sc, "numba", scale, args.months)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        n = agents(m)
        print(f"  scale {scale:g}: build {build:.2f} s, {args.months} months {run:.1f} s, "
              f"{run / steps * 1e9:.0f} ns per agent-step, {n} agents at the end, "
              f"peak traced memory {peak / 2**20:.0f} MiB ({peak / n / 1024:.1f} KiB per agent)")


if __name__ == "__main__":
    main()
