"""Fingerprints of trajectories: a sha256 of each tidy trajectory, to show a speed change
changes no result (same draws in the same order, bit for bit).

Runs the plan and `covid_2020` for 2 replicate seeds at scale 0.05 under both engines and
one seed at scale 0.2 under the numba engine (the mesa engine is slow there); and, stricter,
a sha256 of the whole state after every month (every column of every population, the
cities, the ledger, the budget, the random stream) of one run at scale 0.1 per scenario
(integer columns as int64, so a narrower integer type leaves it unchanged). Usage:

    python benchmarks/hash_runs.py [--save FILE] [--check FILE]

`--save` writes the hashes as JSON; `--check` compares with a saved file and exits 1 on any
difference. Each run is compared with the same run before the change.
`benchmarks/hashes.json` holds the hashes of the model as merged on 2026-11-29 (after the
counter-based draws, issue 16, the mesa and numba engines' hashes are equal too: they
compute the same draws with the same compiled function).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np

from model import AIEcosystemModel, load_scenario
from model.runner import run_scenario

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ("plan", "covid_2020")
RUNS = (("numba", 0.05, 2), ("mesa", 0.05, 2), ("numba", 0.2, 1))   # engine, scale, seeds


def trajectory_hash(frame) -> str:
    """sha256 of the tidy frame as CSV (floats written to round-trip exactly)."""
    return hashlib.sha256(frame.to_csv(index=False).encode()).hexdigest()


def state_hash(scenario: Path, scale: float = 0.1, seed: int = 7) -> str:
    """sha256 of the model's whole state after every month of one run (numba engine)."""
    m = AIEcosystemModel.from_scenario(load_scenario(scenario), seed=seed, scale=scale)
    h = hashlib.sha256()
    while m.running:
        m.step()
        for name in ("enterprises", "talent", "funds", "deals"):
            pop = getattr(m.state, name)
            for column in pop.columns:
                a = pop.view(column)
                h.update(np.ascontiguousarray(a.astype(np.int64) if a.dtype.kind in "iu"
                                              else a).tobytes())
        for column in m.state.cities.COLUMNS:
            h.update(getattr(m.state.cities, column).tobytes())
        h.update(m.ledger.month.tobytes() + m.ledger.year.tobytes())
        h.update(repr((m.rng.bit_generator.state, float(m.province.budget_left_100m_yuan),
                       float(m.province.spending_year_100m_yuan))).encode())
    return h.hexdigest()


def hashes() -> dict[str, str]:
    out = {}
    for name in SCENARIOS:
        for engine, scale, seeds in RUNS:
            t0 = time.perf_counter()
            df = run_scenario(ROOT / "scenarios" / f"{name}.toml", replicates=seeds,
                              scale=scale, engine=engine)
            for r, one in df.groupby("replicate", sort=True):
                key = f"{name} {engine} scale {scale:g} seed {int(one.seed.iloc[0])}"
                out[key] = trajectory_hash(one.reset_index(drop=True))
                print(f"{out[key]}  {key}", flush=True)
            print(f"  ({time.perf_counter() - t0:.1f} s)", file=sys.stderr, flush=True)
        key = f"{name} numba scale 0.1 seed 7, state after every month"
        out[key] = state_hash(ROOT / "scenarios" / f"{name}.toml")
        print(f"{out[key]}  {key}", flush=True)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--save")
    ap.add_argument("--check")
    args = ap.parse_args()
    got = hashes()
    if args.save:
        Path(args.save).write_text(json.dumps(got, indent=1) + "\n", encoding="utf-8")
    if args.check:
        want = json.loads(Path(args.check).read_text(encoding="utf-8"))
        bad = [k for k in want if got.get(k) != want[k]]
        print("unchanged" if not bad else f"CHANGED: {bad}")
        sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
