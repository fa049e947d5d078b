"""ABC-SMC (model/posterior.py, `zjai calibrate --method abc`): the distance is the MSM's
for one replicate; a tiny run gives the same sample in this process, on a Dask cluster and
on the local pool; the CLI writes the sample with its provenance and links it."""

import json
from pathlib import Path

import numpy as np
import pytest

from model.calibration import distance, load_calibration, moment_rows
from model.cli import main
from model.draws import load_posterior
from model.executors import InProcessExecutor
from model.posterior import MomentDistance, load_abc, resample, run_abc
from model.scenario import ScenarioError, load_scenario

ROOT = Path(__file__).resolve().parents[1]
TINY = f"""[calibration]
scenario = "{ROOT / "scenarios" / "plan.toml"}"
replicates = 1
seed = 5
scale = 0.05
max_evaluations = 4
years = [2019]
facts = []
output = "point.toml"
[posterior]
population = 6
generations = 2
max_evaluations = 500
[parameters.external_market_growth_per_year]
low = 0.0
high = 0.2
start = 0.12
[parameters.startup_rate_per_engineer_per_year]
low = 0.002
high = 0.05
start = 0.012
prior = "loguniform"
[initial.hangzhou_revenue_share]
low = 0.40
high = 0.65
start = 0.502
"""


@pytest.fixture
def tiny(tmp_path):
    path = tmp_path / "tiny.toml"
    path.write_text(TINY, encoding="utf-8")
    return path


def test_the_distance_is_the_msm_objective_of_one_replicate():
    rows = moment_rows(load_calibration(ROOT / "experiments" / "calibration.toml"))
    x = {r["moment"]: (np.mean(r["observed"]) * 1.3 if r["kind"] != "fact"
                       else r["observed"][1] + 0.1) for r in rows}
    assert MomentDistance(rows)(x) == pytest.approx(sum(distance(r, x[r["moment"]]) ** 2
                                                         for r in rows))
    assert MomentDistance(rows)({**x, "tail_exponent": float("nan")}) == float("inf")
    del x["five_year_survival"]
    assert MomentDistance(rows)(x) == float("inf")        # too few firms: rejected


def test_systematic_resampling_keeps_the_weights():
    import pandas as pd

    particles = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0]})
    rows = resample(particles, np.array([0.5, 0.25, 0.25, 0.0]), 200, seed=3)
    assert [int((rows[:, 0] == v).sum()) for v in (1, 2, 3, 4)] == [100, 50, 50, 0]


def test_a_tiny_abc_gives_the_same_sample_here_and_on_dask(tiny):
    from distributed import LocalCluster

    from model.executors import DaskExecutor

    abc = load_abc(tiny)
    with InProcessExecutor() as ex:
        here = run_abc(abc, ex)
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                      dashboard_address=None) as cluster, \
            DaskExecutor(cluster.scheduler_address) as ex:
        there = run_abc(abc, ex)
    assert here["generations"] == 2 and len(here["epsilons"]) == 2
    assert here["epsilons"][1] <= here["epsilons"][0]
    assert here["evaluations"] >= 6 * 3 and np.isclose(here["weights"].sum(), 1)
    assert np.array_equal(here["sample"], there["sample"])
    assert here["evaluations"] == there["evaluations"]
    low = np.array([0.0, 0.002, 0.40])
    high = np.array([0.2, 0.05, 0.65])
    assert ((here["sample"] >= low) & (here["sample"] <= high)).all()


def test_calibrate_abc_writes_the_sample_with_provenance_and_links_it(tiny, tmp_path, capsys):
    point = tmp_path / "point.toml"
    assert main(["calibrate", str(tiny), "--method", "abc", "--quiet"]) == 2
    assert "point.toml not found" in capsys.readouterr().err and not point.exists()
    assert main(["calibrate", str(tiny), "--quiet"]) == 0          # the MSM point first
    assert main(["calibrate", str(tiny), "--method", "abc", "--population", "5", "--quiet"]) == 0
    sample = tmp_path / "point.posterior.csv"
    post = load_posterior(sample)
    assert post.values.shape == (5, 3)
    header = "\n".join(post.header)
    for needle in ("command: ", "calibration file: tiny.toml (sha256 of text ", "git ",
                   "population 5, generations 2 (of 2), evaluations ", "wall time ",
                   "epsilon per generation: ", "hangzhou_revenue_share = ",
                   "startup_rate_per_engineer_per_year loguniform(0.002, 0.05)"):
        assert needle in header
    sc = load_scenario(point)
    assert sc.posterior.path == str(sample) and sc.parameter_source == "posterior"
    fitted = load_scenario(point, posterior=False).parameters
    assert main(["calibrate", str(tiny), "--quiet"]) == 0          # a new point keeps the link
    assert "keeps its [posterior] link" in capsys.readouterr().out
    assert load_scenario(point).posterior.sha256 == sc.posterior.sha256
    assert json.loads(point.with_suffix(".fit.json").read_text())["theta"]
    assert load_scenario(point, posterior=False).parameters == fitted


@pytest.mark.parametrize("args, needle", [
    (["--population", "3"], "--population is an option of --method abc"),
    (["--method", "abc", "--years", "2019"], "--years (the out-of-sample check) is an option"),
    (["--method", "abc", "--out", "x.toml"], "expected a .csv file"),
    (["--method", "abc", "--population", "1", "--out", "x.csv"], "expected at least 2"),
])
def test_bad_abc_options_exit_2(tiny, capsys, args, needle):
    assert main(["calibrate", str(tiny), *args]) == 2
    assert needle in capsys.readouterr().err


@pytest.mark.parametrize("line, key", [
    ("population = 1", "posterior.population"),
    ("particles = 10", "posterior.particles"),
    ('output = "x.toml"', "posterior.output"),
])
def test_bad_posterior_tables_name_the_file_and_key(tmp_path, line, key):
    path = tmp_path / "c.toml"
    path.write_text(TINY.replace("population = 6", line))
    with pytest.raises(ScenarioError) as info:
        load_abc(path)
    assert info.value.file == str(path) and info.value.key == key


def test_a_loguniform_prior_needs_a_positive_low(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text(TINY.replace('high = 0.2\nstart = 0.12\n',
                                 'high = 0.2\nstart = 0.12\nprior = "loguniform"\n'))
    with pytest.raises(ScenarioError) as info:
        load_calibration(path)
    assert info.value.key == "parameters.external_market_growth_per_year.low"


def test_calibrate_abc_on_the_local_pool_gives_the_in_process_sample(tiny, tmp_path):
    """The local pool (forked or spawned workers) draws the same sample (about 10 s)."""
    samples = []
    for workers in ("1", "2"):
        out = tmp_path / f"w{workers}.csv"
        assert main(["calibrate", str(tiny), "--method", "abc", "--workers", workers,
                     "--out", str(out), "--keep-database", "--quiet"]) == 0
        assert out.with_suffix(".db").stat().st_size > 0
        samples.append(load_posterior(out).values)
    assert np.array_equal(*samples)


def test_the_point_fit_gives_the_same_result_here_and_on_dask(tiny):
    """The MSM fit (`zjai calibrate`, the point values) on a Dask scheduler is the fit of
    this process: common random numbers and a seeded search, whatever the executor."""
    from distributed import LocalCluster

    from model.calibration import calibrate
    from model.executors import DaskExecutor

    spec = load_calibration(tiny)
    spec.scale = 0.03
    with InProcessExecutor() as ex:
        here = calibrate(spec, ex)
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                      dashboard_address=None) as cluster, \
            DaskExecutor(cluster.scheduler_address) as ex:
        there = calibrate(spec, ex)
    assert here["theta"] == there["theta"] and here["objective"] == there["objective"]
    assert here["evaluations"] == there["evaluations"] >= 4
