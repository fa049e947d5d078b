"""Experiment files: validation, designs and seeds (the groundwork of `zjai sweep`)."""

from pathlib import Path

import numpy as np
import pytest

from model import AIEcosystemModel
from model.experiments import design_points, load_experiment, run_kwargs, runs
from model.scenario import ScenarioError

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name", ["smoke", "lever_sensitivity", "robustness"])
def test_shipped_experiments_load_with_their_designs(name):
    exp = load_experiment(ROOT / "experiments" / f"{name}.toml")
    pts = design_points(exp)
    k = len(exp.factors)
    expected = {"lhs": exp.points, "sobol": exp.points * (k + 2)}[exp.design]
    assert pts.shape == (expected, k)
    for f in exp.factors:
        assert pts[f.name].between(f.low, f.high).all()
    assert len(runs(exp)) == expected * exp.replicates


def test_seeds_are_fixed_distinct_and_shared_under_common_random_numbers(tmp_path):
    exp = load_experiment(ROOT / "experiments" / "smoke.toml")
    a, b = runs(exp), runs(exp)
    assert a == b
    assert len({r.seed for r in a}) == len(a)
    exp.common_random_numbers = True
    crn = runs(exp)
    by_rep = {}
    for r in crn:
        by_rep.setdefault(r.replicate, set()).add(r.seed)
    assert all(len(s) == 1 for s in by_rep.values())


def _write(tmp_path, body, scenario=True):
    head = f'[experiment]\nscenario = "{ROOT / "scenarios" / "plan.toml"}"\n' if scenario else ""
    p = tmp_path / "exp.toml"
    p.write_text(head + body, encoding="utf-8")
    return p


@pytest.mark.parametrize("body, key, needle", [
    ("design = 'sobl'\n[factors.land_guarantee]\nlow = 0\nhigh = 1\n", "experiment.design",
     "did you mean 'sobol'"),
    ("[factors.land_guarante]\nlow = 0\nhigh = 1\n", "factors.land_guarante", "did you mean"),
    ("[factors.land_guarantee]\nlow = 0\nhigh = 2\n", "factors.land_guarantee.high",
     "expected a value in [0, 1]"),
    ("[factors.land_guarantee]\nlow = 0.5\nhigh = 0.2\n", "factors.land_guarantee.high",
     "expected high > low"),
    ("design = 'grid'\n[factors.land_guarantee]\nlow = 0\nhigh = 1\n",
     "factors.land_guarantee.levels", "needs a list of levels"),
    ("replicates = 'two'\n[factors.land_guarantee]\nlow = 0\nhigh = 1\n",
     "experiment.replicates", "expected an integer"),
    ("[factors.land_guarantee]\nlow = 0\nhigh = 1\n[outcomes]\nindicators = ['revenue']\n",
     "outcomes.indicators", "unknown name"),
])
def test_bad_experiment_files_name_file_and_key(tmp_path, body, key, needle):
    p = _write(tmp_path, body)
    with pytest.raises(ScenarioError) as info:   # ExperimentError or a shared check
        load_experiment(p)
    assert info.value.key == key and needle in str(info.value) and str(p) in str(info.value)


def test_grid_points_and_run_kwargs_reach_the_model(tmp_path):
    p = _write(tmp_path, "design = 'grid'\nreplicates = 1\n[factors.land_guarantee]\n"
               "levels = [0.2, 0.9]\n[factors.bass_imitation_per_year]\nlevels = [0.1, 0.2]\n")
    exp = load_experiment(p)
    pts = design_points(exp)
    assert len(pts) == 4 and set(pts.land_guarantee) == {0.2, 0.9}
    run = runs(exp)[3]
    m = AIEcosystemModel(**run_kwargs(exp, run), seed=run.seed, scale=0.02)
    assert m.lever("land_guarantee") == run.values["land_guarantee"]
    assert m.params.bass_imitation_per_year == run.values["bass_imitation_per_year"]
    assert np.isclose(m.params.bass_imitation_per_year, 0.2)
