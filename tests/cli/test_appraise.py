"""zjai appraise: each lever's effect per 1e8 yuan, with common random numbers."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from model.appraise import (
    PER_COST,
    appraise,
    paired_ratio,
    perturbations,
)
from model.cli import main
from model.levers import LEVERS
from model.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
PLAN = ROOT / "scenarios" / "plan.toml"
FEW = ["fiscal_ai_funding_100m_yuan_per_year", "talent_program_engineers_per_year",
       "land_guarantee", "tax_incentive_pct_points"]


def test_the_default_appraises_every_lever(zjai):
    plan = perturbations(load_scenario(PLAN))
    assert [p.lever for p in plan] == list(LEVERS)
    assert all(p.step != 0 for p in plan)
    for p in plan:
        if LEVERS[p.lever].integer:
            assert abs(p.raw_step) >= 1
    res = zjai("appraise", str(PLAN), "--dry-run", "--replicates", "2")
    assert res.returncode == 0, res.stderr
    assert f"{len(LEVERS)} levers, {(len(LEVERS) + 1) * 2} runs" in res.stdout


def test_paired_ratio_interval():
    dy = np.array([2.0, 4.0, 6.0])
    dc = np.array([1.0, 2.0, 3.0])
    r, lo, hi = paired_ratio(dy, dc, 0.95)
    assert r == pytest.approx(2.0) and lo == pytest.approx(2.0) and hi == pytest.approx(2.0)
    r, lo, hi = paired_ratio(np.array([1.0, 3.0]), np.array([1.0, 1.0]), 0.95)
    assert lo < r < hi


def test_appraise_a_few_levers_end_to_end(tmp_path):
    out = tmp_path / "appraisal"
    assert main(["appraise", str(PLAN), "--scale", "0.03", "--end", "2020", "--replicates",
                 "2", "--levers", ",".join(FEW), "--out", str(out), "--quiet"]) == 0
    table = pd.read_csv(out / "cost_effectiveness.csv")
    assert {"lever", "indicator", "year", "effect_per_100m_yuan", "ci_low", "ci_high", "basis",
            "delta_cost_100m_yuan", "replicates"} <= set(table.columns)
    assert set(table.lever) == set(FEW)
    assert (table.replicates == 2).all() and (table.year <= 2020).all()
    assert table.basis.str.startswith(("per 1e8 yuan", "per lever unit")).all()
    finite = table.dropna(subset=["ci_low"])
    assert (finite.ci_low <= finite.effect_per_100m_yuan + 1e-9).all()
    assert (finite.effect_per_100m_yuan <= finite.ci_high + 1e-9).all()
    # the tax relief costs tax expenditure: it is appraised per 1e8 yuan; land has no
    # budget line: per unit of the lever
    assert (table[table.lever == "tax_incentive_pct_points"].basis == PER_COST).all()
    assert (table[table.lever == "land_guarantee"].basis != PER_COST).all()
    assert (out / "ranking.png").stat().st_size > 5000
    text = (out / "appraisal.md").read_text()
    assert "2 replicates" in text and "per unit" in text
    assert not list(tmp_path.glob(".*.tmp"))


def test_an_appraisal_is_reproducible_and_paired():
    """The same seed gives the same table; base and perturbed runs share their seeds."""
    sc = load_scenario(PLAN)
    a = appraise(sc, levers=["tax_incentive_pct_points"], replicates=2, scale=0.02, end=2018,
                 years=(2018, 2018))
    b = appraise(sc, levers=["tax_incentive_pct_points"], replicates=2, scale=0.02, end=2018,
                 years=(2018, 2018))
    pd.testing.assert_frame_equal(a.table, b.table)
    assert a.table.replicates.eq(2).all() and len(a.table) > 0


@pytest.mark.parametrize("args, message", [
    (["--levers", "fiscal_ai_fundin"], "did you mean 'fiscal_ai_funding_100m_yuan_per_year'"),
    (["--years", "2022-2018"], "FIRST <= LAST"),
    (["--headline", "nope"], "not a target indicator"),
    (["--end", "2040"], "--end 2040"),
])
def test_bad_input_is_one_line_and_exit_2(zjai, tmp_path, args, message):
    res = zjai("appraise", str(PLAN), "--scale", "0.02", "--replicates", "1",
               "--out", str(tmp_path / "x"), *args)
    assert res.returncode == 2
    assert message in res.stderr and len(res.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x").exists()
