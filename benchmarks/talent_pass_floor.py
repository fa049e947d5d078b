"""The talent kernels per living row against the floor of one pass that makes every draw a
single pass over the talent must make.

Runs the plan scenario at 1:1 (numba engine, seed 1) to month `--start`, then times each
talent kernel over the next `--months` months, in ns per living talent row and month: the
talent's month (ageing, review of location and layoffs in one pass), the matching and the
founding scan. The floor is one compiled pass over the living rows of the same month that
draws what any such pass draws (ageing and review for every row, a layoff draw for
employees of firms that lay off, a matching draw for seekers), reads every row's tier,
city and employer once and keeps the living rows in place, but does none of the events'
work (moves, hires, founding). Before the talent's month the sum was 20.1 ns against a
floor of 7.3 (benchmarks/README.md, 2026-11-29 07:00-08:15). Never asserted in tests;
results go in benchmarks/README.md.

    python benchmarks/talent_pass_floor.py [--start 100] [--months 20] [--repeats 7]
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
from numba import njit

from model import AIEcosystemModel, streams
from model.phases import entry_exit, labour_market, talent_month

KERNELS = {"talent's month": (talent_month, "live_month_kernel"),
           "matching": (labour_market, "seek_job_kernel"),
           "founding scan": (entry_exit, "consider_founding_kernel")}


@njit(cache=True)
def floor_pass(rows, tier, city, employer, layoff_prob, keys, p_age, p_review):
    """The draws and reads of a fused talent pass, without the events' work."""
    u_age = np.empty(streams.BLOCK)
    u_review = np.empty(streams.BLOCK)
    events = 0
    for lo in range(0, len(rows), streams.BLOCK):
        hi = min(lo + streams.BLOCK, len(rows))
        streams.block_uniforms(keys[0], rows, lo, hi, 0, u_age)
        streams.block_uniforms(keys[1], rows, lo, hi, 0, u_review)
        for j in range(lo, hi):
            i = rows[j]
            k, c, firm = tier[i], city[i], employer[i]
            if u_age[j - lo] < p_age or u_review[j - lo] < p_review:
                events += c
            if firm >= 0:
                p = layoff_prob[firm, k]
                if p > 0.0 and streams.uniform(keys[2], i, 1) < p:
                    events += 1
            elif firm == -1:
                events += streams.uniform(keys[2], i, 0) < 0.5
            rows[j] = i
    return events


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--start", type=int, default=100)
    ap.add_argument("--months", type=int, default=20)
    ap.add_argument("--repeats", type=int, default=7)
    args = ap.parse_args()
    print(f"machine: {os.cpu_count()} cores; load average before: {os.getloadavg()[0]:.2f}")
    model = AIEcosystemModel.from_scenario("scenarios/plan.toml", seed=1, scale=1.0)
    for _ in range(args.start):
        model.step()
    spent = dict.fromkeys(KERNELS, 0.0)
    originals = {}
    for name, (module, attr) in KERNELS.items():
        originals[name] = original = getattr(module, attr)

        def timed(*a, _original=original, _name=name):
            t = time.perf_counter()
            out = _original(*a)
            spent[_name] += time.perf_counter() - t
            return out
        setattr(module, attr, timed)
    rows_months = 0
    try:
        for _ in range(args.months):
            t = model.state.talent
            rows_months += int(t.alive[: t.n].sum())
            model.step()
    finally:
        for name, (module, attr) in KERNELS.items():
            setattr(module, attr, originals[name])
    t, P = model.state.talent, model.params
    rows = t.alive_rows()
    n_firms = model.state.enterprises.n
    layoff = np.where(np.random.default_rng(0).random((n_firms, 5)) < 0.3, 0.01, 0.0)
    args_floor = (t.tier, t.city, t.employer, layoff, np.array([1, 2, 3], dtype=np.uint64),
                  P.attrition_per_year / 12.0, P.relocation_review_rate_per_year / 12.0)
    floor_pass(rows.copy(), *args_floor)
    best = float("inf")
    for _ in range(args.repeats):
        work = rows.copy()
        t0 = time.perf_counter()
        floor_pass(work, *args_floor)
        best = min(best, time.perf_counter() - t0)
    print(f"\nns per living talent row and month, 1:1, months {args.start}-"
          f"{args.start + args.months} ({rows_months / args.months:,.0f} rows a month):")
    for name, seconds in spent.items():
        print(f"  {name:<14} {seconds / rows_months * 1e9:6.2f}")
    total = sum(spent.values()) / rows_months * 1e9
    print(f"  {'sum':<14} {total:6.2f}")
    print(f"  {'fused floor':<14} {best / len(rows) * 1e9:6.2f}  (best of {args.repeats})")
    print(f"(load average after: {os.getloadavg()[0]:.2f})")


if __name__ == "__main__":
    main()
