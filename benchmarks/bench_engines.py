"""Engine benchmark: the figures of issue 16 for the numba engine, optionally beside an older
revision measured in the same run.

Every measurement runs in a fresh process (warm numba cache) on the plan scenario, seed 1,
168 months: ns per agent-step at each scale, the 1:1 wall time, talent phases in ns per
talent-agent-step, numba vs mesa per month at scale 0.1, the per-month fixed cost and the
marginal cost per agent-step (the line through the mean month of a scale-0.01 run and of
the 1:1 run), the Python calls and kernel calls per month at scale 0.01 and 1:1 (a fixed
number if every per-agent loop is compiled), peak memory, cold start, and a profile
summary of a 1:1 run. With `--against REV` the same
probes run on a temporary worktree of REV, alternating with this tree so that machine load
hits both alike, and the table shows old, new and new / old. Never asserted in tests.

    python benchmarks/bench_engines.py [--scales 0.1,1,10] [--repeats 2] [--large-repeats 1]
                                       [--against REV] [--skip-mesa] [--skip-cold]

Results with machine and date go in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections import defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PLAN = os.path.join("scenarios", "plan.toml")
# the phases of this tree and of older ones (`--against`: before the talent's month, its
# rules were the phases talent_supply and talent_migration, and layoffs the labour market's)
PHASES = ("apply_policy", "talent_month", "talent_supply", "talent_migration", "labour_market",
          "finance", "innovation", "market", "entry_exit", "record")
TALENT_PHASES = ("talent_month", "talent_supply", "talent_migration", "labour_market")
GOALS = {"ns_1": "<= 40", "talent_ns": "<= 30", "full_s": "<= 2", "mesa_ratio": ">= 100",
         "scale10_ratio": "<= 1.2"}


# ----------------------------------------------------------------- probes (a fresh process)
def agents(m) -> int:
    s = m.state
    return int(s.talent.alive[: s.talent.n].sum() + s.enterprises.alive[: s.enterprises.n].sum()
               + s.funds.alive[: s.funds.n].sum()) + m.n_cities


def timed_run(scenario, engine, scale, months, seed=1):
    """Build and run with every phase timed (by wrapping the phase functions `step()` calls,
    `model.ecosystem.<phase>`). Returns build seconds, run seconds, per-phase seconds,
    agent-steps, the model, talent-agent-steps and per-month (agents, seconds) pairs."""
    import model.ecosystem as ecosystem
    from model import AIEcosystemModel

    t0 = time.perf_counter()
    m = AIEcosystemModel.from_scenario(scenario, seed=seed, engine=engine, scale=scale)
    build = time.perf_counter() - t0
    phase_s = defaultdict(float)
    originals = {name: getattr(ecosystem, name) for name in PHASES if hasattr(ecosystem, name)}

    def timed(name, fn):
        def wrapped(model):
            t = time.perf_counter()
            fn(model)
            phase_s[name] += time.perf_counter() - t
        return wrapped

    agent_steps = talent_steps = 0
    per_month = []
    try:
        for name, fn in originals.items():
            setattr(ecosystem, name, timed(name, fn))
        t0 = time.perf_counter()
        for _ in range(months):
            n = agents(m)
            agent_steps += n
            talent_steps += int(m.state.talent.alive[: m.state.talent.n].sum())
            t = time.perf_counter()
            m.step()
            per_month.append((n, time.perf_counter() - t))
        run = time.perf_counter() - t0
    finally:
        for name, fn in originals.items():
            setattr(ecosystem, name, fn)
    return build, run, phase_s, agent_steps, m, talent_steps, per_month


def probe_run(engine: str, scale: float, months: int) -> dict:
    import resource

    from model import AIEcosystemModel, load_scenario

    sc = load_scenario(PLAN)
    warm = AIEcosystemModel.from_scenario(sc, seed=1, scale=0.02, engine=engine)
    for _ in range(14):             # load every kernel (founders, funds, a December) untimed
        warm.step()
    build, run, phase_s, steps, m, talent_steps, _ = timed_run(sc, engine, scale, months)
    return {"build_s": build, "run_s": run, "agent_steps": steps, "talent_steps": talent_steps,
            "phase_s": dict(phase_s), "agents_end": agents(m),
            "rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}


def profiled_run(scale: float, months: int) -> dict:
    """cProfile's statistics of a plan run of `months` at `scale`, kernels loaded first."""
    import cProfile
    import pstats

    from model import AIEcosystemModel, load_scenario

    sc = load_scenario(PLAN)
    warm = AIEcosystemModel.from_scenario(sc, seed=1, scale=0.02)
    for _ in range(14):
        warm.step()
    m = AIEcosystemModel.from_scenario(sc, seed=1, scale=scale)
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(months):
        m.step()
    prof.disable()
    return pstats.Stats(prof).stats


def probe_profile(scale: float, months: int, top: int = 14) -> list:
    """The functions that take most of a run's time (cProfile, cumulative and own)."""
    stats = profiled_run(scale, months)
    total = sum(v[2] for v in stats.values())
    rows = []
    for (path, line, name), (_cc, _nc, own, cum, _callers) in stats.items():
        if "model/" in path and own > 0.005 * total:
            where = path.split("model/", 1)[1]
            rows.append((f"{where}:{line}({name})", own / total, cum / total))
    return sorted(rows, key=lambda r: -r[1])[:top]


def probe_calls(scale: float, months: int) -> dict:
    """Python's work per month, apart from its time: the Python function calls (cProfile's
    count, builtins included) and the kernel calls made from Python (every compiled
    function of the model's modules wrapped to count), with the arguments they unbox."""
    from numba.core.registry import CPUDispatcher

    from model import AIEcosystemModel, load_scenario

    python_calls = sum(v[1] for v in profiled_run(scale, months).values()) / months
    sc = load_scenario(PLAN)

    counts = {"calls": 0, "args": 0, "on": False}

    def size(a) -> int:
        return sum(size(x) for x in a) if isinstance(a, tuple) else 1

    def counted(kernel):
        def call(*a):
            if counts["on"]:
                counts["calls"] += 1
                counts["args"] += sum(size(x) for x in a)
            return kernel(*a)
        return call

    for name, module in list(sys.modules.items()):
        if name == "model" or name.startswith("model."):
            for attr, obj in list(vars(module).items()):
                if isinstance(obj, CPUDispatcher):
                    setattr(module, attr, counted(obj))
    m = AIEcosystemModel.from_scenario(sc, seed=1, scale=scale)
    counts["on"] = True
    for _ in range(months):
        m.step()
    return {"python_calls": python_calls, "kernel_calls": counts["calls"] / months,
            "kernel_args": counts["args"] / months}


def probe_cold() -> float:
    t = time.perf_counter()
    from model import AIEcosystemModel

    AIEcosystemModel(seed=1, scale=0.02, end_year=2017).step()
    return time.perf_counter() - t


# ----------------------------------------------------------------- the driver
def probe(tree: str, *args, env=None) -> object:
    """Run a probe of this file in a fresh process on the model package of `tree`."""
    env = {**os.environ, "PYTHONPATH": tree, **(env or {})}
    out = subprocess.run([sys.executable, os.path.abspath(__file__), "--probe", *map(str, args)],
                         cwd=tree, env=env, capture_output=True, text=True, check=False)
    if out.returncode:
        raise RuntimeError(f"probe {args} on {tree} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.splitlines()[-1])


def fixed_and_marginal(small: dict, large: dict, months: int) -> tuple[float, float]:
    """Seconds per month = fixed + marginal x agents, through the mean months of two runs:
    (fixed s per month, marginal s per agent-step)."""
    n_small, n_large = small["agent_steps"] / months, large["agent_steps"] / months
    s_small, s_large = small["run_s"] / months, large["run_s"] / months
    marginal = (s_large - s_small) / (n_large - n_small)
    return s_small - marginal * n_small, marginal


def collect(trees: dict, args) -> dict:
    """Run every probe on every tree, tree after tree for each probe (so machine load hits
    all alike); keep the fastest of the repeats."""
    months, raw = args.months, {label: {} for label in trees}
    for tree in trees.values():
        probe(tree, "run", "numba", 0.02, 1)                # fill each tree's kernel cache
    for scale in sorted({0.01, *args.scale_list}):
        for _ in range(args.repeats if scale <= 1 else args.large_repeats):
            for label, tree in trees.items():
                r = probe(tree, "run", "numba", scale, months)
                if scale not in raw[label] or r["run_s"] < raw[label][scale]["run_s"]:
                    raw[label][scale] = r
    if not args.skip_mesa and 0.1 in args.scale_list:
        for label, tree in trees.items():
            raw[label]["mesa"] = probe(tree, "run", "mesa", 0.1, months)
    for label, tree in trees.items():
        for scale in (0.01, 1.0):
            raw[label][f"calls_{scale:g}"] = probe(tree, "calls", scale, months)
    if not args.skip_cold:
        for label, tree in trees.items():
            with tempfile.TemporaryDirectory() as cache:
                env = {"NUMBA_CACHE_DIR": cache}
                raw[label]["cold"] = (probe(tree, "cold", env=env), probe(tree, "cold", env=env))
    return {label: figures(r, months) for label, r in raw.items()}


def talent_ns(r: dict) -> float:
    return sum(r["phase_s"].get(p, 0.0) for p in TALENT_PHASES) / r["talent_steps"] * 1e9


def figures(raw: dict, months: int) -> dict:
    """The table's figures from one tree's probes."""
    out: dict = {}
    for scale, r in raw.items():
        if isinstance(scale, float):
            out[f"ns_{scale:g}"] = r["run_s"] / r["agent_steps"] * 1e9
            out[f"run_s_{scale:g}"] = r["run_s"]
            out[f"rss_mib_{scale:g}"] = r["rss_kib"] / 1024
            out[f"phase_ns_{scale:g}"] = {p: r["phase_s"][p] / r["agent_steps"] * 1e9
                                          for p in PHASES if p in r["phase_s"]}
    if 1.0 in raw:
        out["full_s"] = raw[1.0]["run_s"]
        out["build_s"] = raw[1.0]["build_s"]
        out["talent_ns"] = talent_ns(raw[1.0])
    if 10.0 in raw and 1.0 in raw:
        out["scale10_ratio"] = out["ns_10"] / out["ns_1"]
    if 0.1 in raw:
        out["talent_ns_0.1"] = talent_ns(raw[0.1])
        out["numba_ms_0.1"] = raw[0.1]["run_s"] / months * 1e3
    if "mesa" in raw:
        out["mesa_ms_0.1"] = raw["mesa"]["run_s"] / months * 1e3
        out["mesa_ratio"] = out["mesa_ms_0.1"] / out["numba_ms_0.1"]
        out["mesa_talent_ns_0.1"] = talent_ns(raw["mesa"])
    if 0.01 in raw and 1.0 in raw:
        fixed, marginal = fixed_and_marginal(raw[0.01], raw[1.0], months)
        out["fixed_ms_per_month"] = fixed * 1e3
        out["ns_per_agent_marginal"] = marginal * 1e9
        out["ms_0.01"] = raw[0.01]["run_s"] / months * 1e3
    for scale in ("0.01", "1"):
        if f"calls_{scale}" in raw:
            for key, value in raw[f"calls_{scale}"].items():
                out[f"{key}_{scale}"] = value
    if "cold" in raw:
        out["cold_first_s"], out["cold_cached_s"] = raw["cold"]
    return out


ROWS = [  # key, label, format
    ("ns_1", "ns per agent-step, 1:1", "{:.0f}"),
    ("full_s", "1:1 run, 168 months (s)", "{:.2f}"),
    ("talent_ns", "talent phases, ns per talent-agent-step, 1:1", "{:.0f}"),
    ("talent_ns_0.1", "talent phases, ns per talent-agent-step, scale 0.1", "{:.0f}"),
    ("mesa_ratio", "mesa / numba per month, scale 0.1", "{:.1f}x"),
    ("numba_ms_0.1", "numba ms per month, scale 0.1", "{:.2f}"),
    ("mesa_ms_0.1", "mesa ms per month, scale 0.1", "{:.1f}"),
    ("ns_0.1", "ns per agent-step, scale 0.1", "{:.0f}"),
    ("ns_10", "ns per agent-step, scale 10", "{:.0f}"),
    ("scale10_ratio", "scale 10 / 1:1 per agent-step", "{:.2f}"),
    ("ms_0.01", "ms per month, scale 0.01 (about 4,000 agents)", "{:.2f}"),
    ("fixed_ms_per_month", "fixed cost per month (ms; line through scale 0.01 and 1:1)",
     "{:.2f}"),
    ("ns_per_agent_marginal", "marginal cost per agent-step (ns; same line)", "{:.0f}"),
    ("python_calls_0.01", "Python calls per month, scale 0.01 (cProfile's count)", "{:.0f}"),
    ("python_calls_1", "Python calls per month, 1:1", "{:.0f}"),
    ("kernel_calls_0.01", "kernel calls from Python per month, scale 0.01", "{:.1f}"),
    ("kernel_calls_1", "kernel calls from Python per month, 1:1", "{:.1f}"),
    ("kernel_args_1", "arguments those calls unbox per month, 1:1", "{:.0f}"),
    ("run_s_10", "scale 10 run, 168 months (s)", "{:.1f}"),
    ("rss_mib_10", "peak RSS, scale 10 (MiB)", "{:.0f}"),
    ("build_s", "1:1 build (s)", "{:.2f}"),
    ("cold_first_s", "cold start, first compile (s)", "{:.1f}"),
    ("cold_cached_s", "cold start, cached kernels (s)", "{:.1f}"),
]


def report(results: dict, profile: list) -> None:
    labels = list(results)
    print(f"\n| figure | {' | '.join(labels)} |" + (" new / old |" if len(labels) == 2 else "")
          + " goal |")
    print("|---|" + "---:|" * (len(labels) + (len(labels) == 2)) + "---|")
    for key, label, fmt in ROWS:
        if not all(key in r for r in results.values()):
            continue
        cells = [fmt.format(r[key]) for r in results.values()]
        ratio = ([f"{results['new'][key] / results['old'][key]:.2f}"]
                 if len(labels) == 2 else [])
        print(f"| {label} | {' | '.join(cells + ratio)} | {GOALS.get(key, '')} |")
    for key in ("phase_ns_1", "phase_ns_10", "phase_ns_0.1"):
        if all(key in r for r in results.values()):
            scale = key.rsplit("_", 1)[1]
            print(f"\nns per agent-step by phase, scale {scale} (numba):")
            for p in PHASES:
                if any(p in r[key] for r in results.values()):
                    print(f"  {p:18s}" + "".join(
                        f" {r[key][p]:8.1f}" if p in r[key] else f" {'-':>8}"
                        for r in results.values()))
    if profile:
        print("\nprofile of a 1:1 run (this tree, cProfile): own share, cumulative share")
        for where, own, cum in profile:
            print(f"  {own:6.1%} {cum:6.1%}  {where}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scales", default="0.1,1,10")
    ap.add_argument("--months", type=int, default=168)
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--against", help="older git revision measured beside this tree")
    ap.add_argument("--large-repeats", type=int, default=1,
                    help="repeats of scales above 1:1 (long runs; one by default)")
    ap.add_argument("--skip-mesa", action="store_true")
    ap.add_argument("--skip-cold", action="store_true")
    ap.add_argument("--probe", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.probe:
        kind, rest = args.probe[0], args.probe[1:]
        if kind == "run":
            result = probe_run(rest[0], float(rest[1]), int(rest[2]))
        elif kind == "profile":
            result = probe_profile(float(rest[0]), int(rest[1]))
        elif kind == "calls":
            result = probe_calls(float(rest[0]), int(rest[1]))
        else:
            result = probe_cold()
        print(json.dumps(result))
        return
    args.scale_list = [float(x) for x in args.scales.split(",")]
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}; load average before: {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        trees = {}
        if args.against:
            old = os.path.join(tmp, "old")
            subprocess.run(["git", "-C", ROOT, "worktree", "add", "--detach", "-q", old,
                            args.against], check=True)
            trees["old"] = old
        trees["new"] = ROOT
        try:
            t0 = time.perf_counter()
            results = collect(trees, args)
            profile = probe(ROOT, "profile", 1.0, args.months)
        finally:
            if "old" in trees:
                subprocess.run(["git", "-C", ROOT, "worktree", "remove", "--force", trees["old"]], check=False)
    report(results, profile)
    print(f"\n({time.perf_counter() - t0:.0f} s; load average after: {os.getloadavg()[0]:.2f})")


if __name__ == "__main__":
    main()
