"""Numba engine cost per agent-step of two git revisions, measured in one run.

Each revision is checked out into a temporary worktree; 1:1 plan runs of the two alternate
in fresh processes (warm numba cache, best of `--repeats`), so machine load hits both
alike. Prints ns per agent-step of each and their ratio. Usage:

    python benchmarks/bench_revisions.py OLD_REV [NEW_REV, default: the working tree]
        [--scale 1] [--months 168] [--repeats 3]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROBE = """
import sys, time
from model import AIEcosystemModel, load_scenario
sc = load_scenario("scenarios/plan.toml")
scale, months = float(sys.argv[1]), int(sys.argv[2])
warm = AIEcosystemModel.from_scenario(sc, seed=1, scale=0.02)
for _ in range(14):                                                  # load every kernel
    warm.step()
m = AIEcosystemModel.from_scenario(sc, seed=1, scale=scale)
steps, t0 = 0, time.perf_counter()
for _ in range(months):
    s = m.state
    steps += int(s.talent.alive[: s.talent.n].sum() + s.enterprises.alive[: s.enterprises.n].sum()
                 + s.funds.alive[: s.funds.n].sum()) + m.n_cities
    m.step()
print((time.perf_counter() - t0) / steps * 1e9)
"""


def measure(tree: str, scale: float, months: int) -> float:
    env = {**os.environ, "PYTHONPATH": tree}
    out = subprocess.run([sys.executable, "-c", PROBE, str(scale), str(months)], cwd=tree,
                         env=env, capture_output=True, text=True, check=True)
    return float(out.stdout.split()[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("old")
    ap.add_argument("new", nargs="?")
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--months", type=int, default=168)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        trees = {}
        for label, rev in (("old", args.old), ("new", args.new)):
            if rev is None:
                trees[label] = ROOT
                continue
            path = os.path.join(tmp, label)
            subprocess.run(["git", "-C", ROOT, "worktree", "add", "--detach", "-q", path, rev],
                           check=True)
            trees[label] = path
        try:
            best = {label: float("inf") for label in trees}
            for _ in range(args.repeats + 1):          # the first round fills the caches
                for label, tree in trees.items():
                    best[label] = min(best[label], measure(tree, args.scale, args.months))
        finally:
            for label, tree in trees.items():
                if tree != ROOT:
                    subprocess.run(["git", "-C", ROOT, "worktree", "remove", "--force", tree])
    print(f"scale {args.scale:g}, {args.months} months, best of {args.repeats} "
          f"(numba engine, plan, seed 1)")
    for label, ns in best.items():
        print(f"  {label} ({getattr(args, label) or 'working tree'}): {ns:.0f} ns per agent-step")
    print(f"  new / old: {best['new'] / best['old']:.3f}")


if __name__ == "__main__":
    main()
