"""Scale invariance of the plan: medians of the headline indicators at scales 0.2 and 0.1
as ratios to 1:1, with bootstrap 90% intervals (README, "Scale and engines"; issue 12).

    python benchmarks/scale_check.py [--replicates 36,64,96] [--seed 2024]

Runs the plan at the calibrated point values (a scale comparison at fixed parameters: with
posterior draws the medians would mix different draws) for 2017-2030; about 5 minutes on
2 cores with the defaults.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from model import load_scenario
from model.runner import run_scenario

ROOT = Path(__file__).resolve().parents[1]
INDICATORS = ["ai_enterprise_revenue_100m_yuan", "core_industry_revenue_100m_yuan",
              "related_industry_revenue_100m_yuan", "ai_enterprises", "talent_engineers",
              "invention_patents"]
SCALES = (1.0, 0.2, 0.1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--replicates", default="36,64,96",
                    help="replicates at 1:1, 0.2 and 0.1 (comma-separated)")
    ap.add_argument("--seed", type=int, default=2024)
    args = ap.parse_args()
    reps = [int(x) for x in args.replicates.split(",")]
    sc = load_scenario(ROOT / "scenarios" / "plan.toml", posterior=False)
    values = {}
    for scale, n in zip(SCALES, reps):
        df = run_scenario(sc, replicates=n, seed=args.seed, scale=scale)
        d = df[(df.region == "Zhejiang") & df.year.isin([2022, 2030])
               & df.indicator.isin(INDICATORS)]
        values[scale] = {k: g.value.to_numpy() for k, g in d.groupby(["indicator", "year"])}
    rng = np.random.default_rng(0)
    rows = []
    for key, one in values[1.0].items():
        row = {"indicator": key[0], "year": key[1], "median 1:1": np.median(one)}
        for scale in SCALES[1:]:
            x = values[scale][key]
            boot = [np.median(rng.choice(x, len(x))) / np.median(rng.choice(one, len(one)))
                    for _ in range(2000)]
            row[f"ratio {scale:g}"] = np.median(x) / np.median(one)
            row[f"90% {scale:g}"] = f"{np.percentile(boot, 5):.3f}-{np.percentile(boot, 95):.3f}"
        rows.append(row)
    print(pd.DataFrame(rows).round(3).to_string(index=False))


if __name__ == "__main__":
    main()
