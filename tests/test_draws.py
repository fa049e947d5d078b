"""Posterior draws: the sample file's checks, one row per replicate seed, and which values
win (an explicit scenario value over the draw; `--point-estimate` over both)."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from model.draws import (
    ROW_KEY,
    draw_index,
    load_posterior,
    posterior_block,
    posterior_text,
    with_posterior_block,
)
from model.runner import replicate_seeds, run_scenario
from model.scenario import ScenarioError, load_scenario

ROOT = Path(__file__).resolve().parents[1]


def test_a_replicate_draws_its_row_from_its_seed_alone():
    seeds = replicate_seeds(11, 400)
    rows = [draw_index(s, 50) for s in seeds]
    assert rows == [draw_index(s, 50) for s in seeds]
    counts = np.bincount(rows, minlength=50)
    assert counts.min() >= 1 and counts.max() <= 20          # every row, none favoured


def test_a_sample_file_reads_back_exactly(tmp_path):
    values = np.array([[0.1 / 3, 1234.5], [0.2, 1500.0]])
    path = tmp_path / "s.csv"
    path.write_text(posterior_text(["made by hand", "two rows"], [
        "external_market_growth_per_year", "register_revenue_100m_yuan"], values))
    post = load_posterior(path)
    assert post.header == ("made by hand", "two rows")
    assert np.array_equal(post.values, values)
    assert post.names == ("external_market_growth_per_year", "register_revenue_100m_yuan")


@pytest.mark.parametrize("body, key, needle", [
    ("bogus_rate,opex_share_of_revenue\n1,0.7\n", "line 2, column 1 'bogus_rate'",
     "unknown parameter"),
    ("opex_share_of_revenue,opex_share_of_revenue\n0.7,0.7\n",
     "line 2, column 2 opex_share_of_revenue", "repeated column"),
    ("opex_share_of_revenue\nabc\n", "line 3, column opex_share_of_revenue",
     "expected a number"),
    ("opex_share_of_revenue\nnan\n", "line 3, column opex_share_of_revenue",
     "expected a number"),
    ("opex_share_of_revenue\n7\n", "line 3, column opex_share_of_revenue", "expected a number in"),
    ("opex_share_of_revenue,core_share_multiplier\n0.7\n", "line 3", "1 values; expected 2"),
    ("opex_share_of_revenue\n", None, "no rows"),
    ("", None, "no header row"),
])
def test_bad_sample_files_name_the_file_line_and_column(tmp_path, body, key, needle):
    path = tmp_path / "bad.csv"
    path.write_text("# a comment\n" + body)
    with pytest.raises(ScenarioError) as info:
        load_posterior(path)
    assert info.value.file == str(path) and info.value.key == key
    assert needle in info.value.message


def test_replicates_run_their_rows_and_explicit_values_win(posterior_scenarios, tmp_path):
    plan = load_scenario(posterior_scenarios / "plan.toml")
    assert plan.parameter_source == "posterior"
    assert len(plan.posterior.drawn) == len(plan.posterior.names) > 10   # every column drawn
    seed = replicate_seeds(plan.seed, 1)[0]
    draw = plan.draw(seed)
    run = plan.for_replicate(seed)
    for name, value in draw.items():
        if name != ROW_KEY:
            assert {**run.parameters, **run.initial}[name] == value
    assert run.levers == plan.levers and run.posterior is None
    child = tmp_path / "child.toml"
    child.write_text(f'[scenario]\nname = "child"\nextends = "{posterior_scenarios / "plan.toml"}"\n'
                     "[parameters]\nbass_imitation_per_year = 0.15\n"
                     '[posterior]\nfixed = ["register_revenue_100m_yuan"]\n')
    sc = load_scenario(child)
    assert "bass_imitation_per_year" not in sc.draw(seed)
    assert "register_revenue_100m_yuan" not in sc.draw(seed)
    assert sc.for_replicate(seed).parameters["bass_imitation_per_year"] == 0.15
    assert sc.for_replicate(seed).initial["register_revenue_100m_yuan"] == plan.initial[
        "register_revenue_100m_yuan"]
    assert sc.draw(seed)["opex_share_of_revenue"] == draw["opex_share_of_revenue"]
    assert sc.sha256 != load_scenario(child, posterior=False).sha256


def test_the_point_estimate_does_not_read_the_sample(posterior_scenarios):
    (posterior_scenarios / "calibrated.posterior.csv").unlink()
    with pytest.raises(ScenarioError) as info:
        load_scenario(posterior_scenarios / "plan.toml")
    assert info.value.file.endswith("calibrated.toml") and info.value.key == "posterior.file"
    assert "file not found" in info.value.message
    sc = load_scenario(posterior_scenarios / "plan.toml", posterior=False)
    assert sc.parameter_source == "point-estimate" and sc.draw(1) == {}
    assert sc.for_replicate(1) is sc


def test_draws_change_the_runs_and_the_same_seed_repeats_them(posterior_scenarios):
    plan = load_scenario(posterior_scenarios / "plan.toml")
    plan.end = 2018
    a = run_scenario(plan, replicates=2, seed=3, scale=0.02)
    b = run_scenario(plan, replicates=2, seed=3, scale=0.02)
    point = run_scenario(plan.point_estimate(), replicates=2, seed=3, scale=0.02)
    assert a.equals(b)
    assert not np.allclose(a.value, point.value)


@pytest.mark.parametrize("body, key", [
    ('[posterior]\nfile = 3\n', "posterior.file"),
    ('[posterior]\nfiles = "x.csv"\n', "posterior.files"),
    ('[posterior]\nfixed = ["bass_imitation"]\n', "posterior.fixed"),
])
def test_bad_posterior_tables(tmp_path, body, key):
    p = tmp_path / "s.toml"
    p.write_text('[scenario]\nname = "s"\n' + body)
    with pytest.raises(ScenarioError) as info:
        load_scenario(p)
    assert info.value.key == key


def test_the_posterior_table_of_a_point_file_is_replaced_or_appended():
    text = '[scenario]\nname = "x"\n\n[parameters]\na = 1\n'
    block = '[posterior]\nfile = "x.posterior.csv"\n'
    linked = with_posterior_block(text, block)
    assert posterior_block(linked) == block and linked.startswith(text)
    relinked = with_posterior_block(linked, '[posterior]\nfile = "y.csv"\n')
    assert relinked.count("[posterior]") == 1 and 'file = "y.csv"' in relinked
    assert posterior_block(text) == "" and with_posterior_block(text, "") == text


def test_a_sweep_on_dask_draws_what_it_draws_in_process(posterior_scenarios, tmp_path):
    from distributed import LocalCluster

    from model.executors import DaskExecutor, InProcessExecutor
    from model.experiments import load_experiment
    from model.sweep import sweep

    exp_file = tmp_path / "exp.toml"
    exp_file.write_text(f'[experiment]\nname = "e"\nscenario = "{posterior_scenarios / "plan.toml"}"'
                        "\ndesign = 'lhs'\npoints = 2\nscale = 0.02\nreplicates = 2\n"
                        "[factors.land_guarantee]\nlow = 0\nhigh = 1\n"
                        "[outcomes]\nindicators = ['ai_enterprises']\nyears = [2018]\n")
    exp = load_experiment(exp_file)
    with InProcessExecutor() as ex:
        sweep(exp, tmp_path / "here", ex)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                      dashboard_address=None) as cluster, \
            DaskExecutor(cluster.scheduler_address) as ex:
        sweep(exp, tmp_path / "dask", ex)
    here, there = (pd.read_parquet(tmp_path / f / "results.parquet") for f in ("here", "dask"))
    pd.testing.assert_frame_equal(here, there)
    point = load_experiment(exp_file, posterior=False)
    with InProcessExecutor() as ex:
        sweep(point, tmp_path / "point", ex)
    assert not here.value.equals(pd.read_parquet(tmp_path / "point" / "results.parquet").value)


def test_optimize_and_appraise_runs_draw_the_row_of_their_seed(posterior_scenarios, tmp_path):
    from model.appraise import perturbed_kwargs
    from model.optimize import model_kwargs, search_seeds
    from model.optimize_spec import load_spec

    text = (ROOT / "experiments" / "optimize_smoke.toml").read_text()
    spec_file = tmp_path / "opt.toml"
    spec_file.write_text(text.replace('"../scenarios/plan.toml"',
                                      f'"{posterior_scenarios / "plan.toml"}"'))
    spec, point = load_spec(spec_file), load_spec(spec_file, posterior=False)
    assert spec.sha256 != point.sha256          # a store of point runs is not resumed
    seed = search_seeds(spec)[0]
    kwargs = model_kwargs(spec, None, seed)
    for name, value in spec.scenario.draw(seed).items():
        if name != ROW_KEY:
            assert {**kwargs["parameters"], **kwargs["initial"]}[name] == value
    assert model_kwargs(point, None, seed)["parameters"] == point.scenario.parameters
    sc = spec.scenario.for_replicate(seed)
    assert perturbed_kwargs(sc, None, 2018, 2020)["parameters"] == kwargs["parameters"]


def test_show_prints_a_scenario_that_draws_the_same(posterior_scenarios, tmp_path):
    from model.cli.show import resolved_text

    child = tmp_path / "child.toml"
    child.write_text(f'[scenario]\nname = "child"\nextends = "{posterior_scenarios / "plan.toml"}"\n'
                     "[parameters]\nbass_imitation_per_year = 0.15\n")
    sc = load_scenario(child)
    shown = tmp_path / "shown.toml"
    shown.write_text(resolved_text(sc))
    again = load_scenario(shown)
    for seed in replicate_seeds(1, 5):
        a, b = sc.for_replicate(seed), again.for_replicate(seed)
        assert (a.parameters, a.initial) == (b.parameters, b.initial)


def test_the_kernel_step_keeps_the_sample_mean_and_makes_repeated_rows_differ():
    """Liu-West: replicates that pick the same (resampled, repeated) row run different
    values, and over many seeds the draws keep the sample's mean and spread."""
    from model.draws import Posterior

    rng = np.random.default_rng(1)
    base = rng.normal([0.07, 0.7], [0.02, 0.01], (20, 2))
    values = np.repeat(base, 10, axis=0)                     # resampled: each row ten times
    p = Posterior("t.csv", "", ("external_market_growth_per_year", "opex_share_of_revenue"),
                  values)
    seeds = replicate_seeds(3, 4000)
    draws = np.array([[p.draw(s)[n] for n in p.names] for s in seeds])
    same_row = [s for s in seeds if p.draw(s)[ROW_KEY] == p.draw(seeds[0])[ROW_KEY]]
    assert len(same_row) > 1 and p.draw(same_row[0]) != p.draw(same_row[1])
    assert np.allclose(draws.mean(axis=0), values.mean(axis=0), rtol=0.02)
    assert np.allclose(draws.std(axis=0), values.std(axis=0), rtol=0.1)
    assert p.draw(seeds[5]) == p.draw(seeds[5])
