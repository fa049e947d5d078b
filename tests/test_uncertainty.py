"""The variance decomposition (model/uncertainty.py): components of known designs, and
`zjai decompose` end to end on a small posterior."""

import json

import numpy as np
import pandas as pd
import pytest

from model.cli import main
from model.uncertainty import components

RNG = np.random.default_rng(3)


def test_pure_seed_noise_is_all_seeds():
    y = RNG.normal(0.0, 1.0, (6, 8, 16))
    c = components(y)
    assert c["share_seeds"] > 0.9
    assert c["var_seeds"] == pytest.approx(1.0, rel=0.15)


def test_a_parameter_effect_is_found_and_the_seed_noise_in_the_means_removed():
    # each draw shifts the outcome by a value of variance 4; seeds add variance 1
    shift = RNG.normal(0.0, 2.0, 40)
    y = shift[None, :, None] + RNG.normal(0.0, 1.0, (1, 40, 8))
    c = components(y)
    assert c["var_parameters"] == pytest.approx(4.0, rel=0.4)
    assert c["var_levers"] == 0.0
    assert 0.7 < c["share_parameters"] < 0.9


def test_a_lever_effect_dominates_when_levers_move_the_outcome_most():
    lever = np.linspace(-10, 10, 8)
    y = (lever[:, None, None] + RNG.normal(0.0, 1.0, (1, 6, 1))
         + RNG.normal(0.0, 0.5, (8, 6, 4)))
    c = components(y)
    assert c["share_levers"] > 0.9
    assert c["share_seeds"] + c["share_parameters"] + c["share_levers"] == pytest.approx(1.0)


def test_one_draw_and_one_lever_point_leave_only_seeds():
    c = components(RNG.normal(0.0, 1.0, (1, 1, 5)))
    assert c["share_seeds"] == 1.0 and c["var_parameters"] == 0.0 and c["var_levers"] == 0.0


def test_decompose_end_to_end_with_a_posterior(posterior_scenarios, tmp_path):
    exp = tmp_path / "unc.toml"
    exp.write_text(f"""
[experiment]
name = "unc"
scenario = "{(posterior_scenarios / 'plan.toml').as_posix()}"
design = "lhs"
points = 2
replicates = 1
seed = 5
scale = 0.02
[factors.fiscal_ai_funding_100m_yuan_per_year]
low = 5
high = 60
[outcomes]
indicators = ["ai_enterprise_revenue_100m_yuan", "talent_engineers"]
years = [2022]
regions = ["Zhejiang"]
""", encoding="utf-8")
    out = tmp_path / "dec"
    assert main(["decompose", str(exp), "--lever-points", "2", "--draws", "2", "--seeds", "2",
                 "--out", str(out), "--quiet"]) == 0
    t = pd.read_csv(out / "decomposition.csv")
    assert set(t.design) == {"plan", "levers"}
    plan = t[t.design == "plan"]
    assert (plan.share_levers == 0).all() and (plan.draws == 2).all()
    shares = t[["share_seeds", "share_parameters", "share_levers"]].sum(axis=1)
    assert np.allclose(shares, 1.0)
    meta = json.loads((out / "metadata.json").read_text())
    assert meta["runs"] == 12 and "posterior" in meta["parameters"]
    assert "seeds against parameters" in (out / "decomposition.md").read_text()


def test_bad_counts_are_refused_with_exit_2(capsys):
    with pytest.raises(SystemExit) as err:
        main(["decompose", "experiments/uncertainty.toml", "--lever-points", "-1"])
    assert err.value.code == 2
    assert "expected a number >= 0" in capsys.readouterr().err
