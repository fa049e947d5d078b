"""Engine benchmark: numba vs mesa engine, per phase, full scale, scaling, memory, cold start.

Prints ratios measured in one run (never asserted in tests). Usage:

    python benchmarks/bench_engines.py [--scales 0.1,1,10] [--months 168] [--skip-full]

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
    import model.ecosystem as ecosystem

    t0 = time.perf_counter()
    m = AIEcosystemModel.from_scenario(scenario, seed=seed, engine=engine, scale=scale)
    build = time.perf_counter() - t0
    phase_s = defaultdict(float)
    originals = {name: getattr(ecosystem, name) for name in PHASES}

    def timed(name, fn):
        def wrapped(model):
            t = time.perf_counter()
            fn(model)
            phase_s[name] += time.perf_counter() - t
        return wrapped

    agent_steps = talent_steps_ = 0
    try:
        for name, fn in originals.items():       # step() calls the phases by module name
            setattr(ecosystem, name, timed(name, fn))
        t0 = time.perf_counter()
        for _ in range(months):
            agent_steps += agents(m)
            talent_steps_ += int(m.state.talent.alive[: m.state.talent.n].sum())
            m.step()
        run = time.perf_counter() - t0
    finally:
        for name, fn in originals.items():
            setattr(ecosystem, name, fn)
    return build, run, phase_s, agent_steps, m, talent_steps_


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
    ap.add_argument("--one-scale", type=float, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one_scale:
        one_scale(args.one_scale, args.months)
        return
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

    talent_phases = ("talent_supply", "talent_migration", "labour_market")
    for engine in ("mesa", "numba"):
        ns = sum(res[engine][2][p] for p in talent_phases) / talent_steps(res[engine]) * 1e9
        print(f"talent phases ({', '.join(talent_phases)}), {engine}: {ns:.0f} ns per "
              "talent-agent-step")

    print("\nscaling (numba engine, each scale in a fresh process with a warm cache):")
    base = None
    for scale in [float(x) for x in args.scales.split(",")]:
        if scale >= 1 and args.skip_full:
            continue
        out = subprocess.run([sys.executable, __file__, "--one-scale", str(scale),
                              "--months", str(args.months)], capture_output=True, text=True,
                             check=True).stdout.split()
        build, run, steps, n_agents, talent, rss = (float(x) for x in out)
        per = run / steps * 1e9
        base = base or per
        print(f"  scale {scale:g}: build {build:.2f} s, {args.months} months {run:.2f} s, "
              f"{per:.0f} ns per agent-step ({per / base:.2f}x of the first scale), "
              f"{talent:.0f} talent at the start, {n_agents:.0f} agents at the end, peak RSS "
              f"{rss / 1024:.0f} MiB ({rss * 1024 / n_agents:.0f} bytes per agent at the end)")


def talent_steps(result) -> float:
    return result[5]


def one_scale(scale: float, months: int) -> None:
    """Build and run one scale; print build, run, agent-steps, agents, talent, peak RSS KiB."""
    import resource

    sc = load_scenario(PLAN)
    t0 = time.perf_counter()
    m = AIEcosystemModel.from_scenario(sc, seed=1, engine="numba", scale=scale)
    build = time.perf_counter() - t0
    talent0 = int(m.state.talent.alive[: m.state.talent.n].sum())
    steps = 0
    t0 = time.perf_counter()
    for _ in range(months):
        steps += agents(m)
        m.step()
    run = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(build, run, steps, agents(m), talent0, rss)


if __name__ == "__main__":
    main()
