"""zjai optimize: the experiment file, a tiny search end to end, resuming after kill -9."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from model.cli import main
from model.optimize import search
from model.optimize_spec import load_spec
from model.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]

TARGETS = """
[[target]]
indicator = "talent_engineers"
year = 2019
value = 6500
section = "test"
text = "engineers in 2019"

[[target]]
indicator = "new_startups"
year = 2019
value = 150
section = "test"
text = "start-ups in 2019"
"""


def _experiment(tmp_path, population=6, generations=2, extra="", levers=None) -> Path:
    """A tiny optimisation: a short plan with 2019 targets beside it (scale 0.02)."""
    (tmp_path / "targets.toml").write_text(TARGETS, encoding="utf-8")
    (tmp_path / "short.toml").write_text(
        f'[scenario]\nname = "plan_short"\nextends = "{ROOT / "scenarios" / "plan.toml"}"\n'
        "end = 2019\n", encoding="utf-8")
    levers = levers or ('talent_program_engineers_per_year = { low = 200, high = 3000 }\n'
                        '"incubator_seats@Hangzhou" = { low = 0, high = 600 }\n')
    exp = tmp_path / "opt.toml"
    exp.write_text(
        '[optimize]\nname = "tiny"\nscenario = "short.toml"\n'
        f"population = {population}\ngenerations = {generations}\nreplicates = 2\n"
        f"verification_replicates = 3\nseed = 5\nscale = 0.02\nend = 2019\n{extra}"
        f"[levers]\n{levers}"
        '[objectives]\nminimise_public_cost = true\np_met = ["talent_engineers", '
        '"new_startups"]\n', encoding="utf-8")
    return exp


def _ids(out: Path) -> list[str]:
    lines = (out / "evaluations.jsonl").read_text().splitlines()
    return [json.loads(line)["id"] for line in lines]


def test_optimize_end_to_end(tmp_path):
    exp = _experiment(tmp_path)
    out = tmp_path / "out"
    assert main(["optimize", str(exp), "--out", str(out), "--quiet"]) == 0
    pareto = pd.read_csv(out / "pareto.csv")
    assert {"talent_program_engineers_per_year", "incubator_seats@Hangzhou",
            "public_cost_100m_yuan", "p_met_talent_engineers@2019"} <= set(pareto.columns)
    assert pareto.public_cost_100m_yuan.is_monotonic_increasing
    ver = pd.read_csv(out / "verification.csv")
    assert set(ver.mix) == {"recommended", "base_scenario"}
    assert (ver.replicates == 3).all() and ver.p_met.between(0, 1).all()
    spec = load_spec(exp)
    search_seeds = {json.loads(line)["seed"] for line in
                    (out / "evaluations.jsonl").read_text().splitlines()
                    if json.loads(line)["kind"] == "search"}
    fresh = {int(s) for s in ver.seeds.iloc[0].split()}
    assert len(search_seeds) == spec.replicates and not fresh & search_seeds
    # recommended.toml extends the base by a relative path, loads and runs
    text = (out / "recommended.toml").read_text()
    assert 'extends = "../short.toml"' in text
    sc = load_scenario(out / "recommended.toml")
    assert sc.city_levers["Hangzhou"]["incubator_seats"][2018] >= 0
    assert main(["run", str(out / "recommended.toml"), "--scale", "0.02", "--replicates", "1",
                 "--out", str(tmp_path / "run"), "--quiet"]) == 0
    assert (out / "pareto.png").stat().st_size > 5000
    # a rerun computes nothing and writes the same results
    before = (out / "pareto.csv").read_text()
    assert main(["optimize", str(exp), "--out", str(out), "--quiet"]) == 0
    assert (out / "pareto.csv").read_text() == before
    ids = _ids(out)
    assert len(ids) == len(set(ids))


@pytest.mark.slow
def test_kill_9_mid_run_then_resume_equals_an_uninterrupted_run(tmp_path):
    exp = _experiment(tmp_path, population=8, generations=4)
    reference = tmp_path / "reference"
    search(load_spec(exp), reference)
    out = tmp_path / "killed"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "model.cli", "optimize", str(exp), "--out",
                             str(out), "--quiet", "--workers", "2"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    store = out / "evaluations.jsonl"
    deadline = time.time() + 120
    while time.time() < deadline:
        if store.exists() and len(store.read_text().splitlines()) >= 10:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    n_before = len(_ids(out))
    assert 10 <= n_before < len(_ids(reference)), "the kill came too late to test a resume"
    assert not (out / "pareto.csv").exists()
    res = subprocess.run([sys.executable, "-m", "model.cli", "optimize", str(exp), "--out",
                          str(out), "--quiet"], env=env, capture_output=True, text=True,
                         check=False)
    assert res.returncode == 0, res.stderr
    ids = _ids(out)
    assert len(ids) == len(set(ids)), "an evaluation was repeated"
    assert set(ids) == set(_ids(reference))
    for name in ("pareto.csv", "verification.csv"):
        pd.testing.assert_frame_equal(pd.read_csv(out / name), pd.read_csv(reference / name))
    assert (out / "recommended.toml").read_text() == \
        (reference / "recommended.toml").read_text()


@pytest.mark.parametrize("edit, message", [
    (("population = 6", "population = 2"), "optimize.population: expected a value in [4"),
    (('"incubator_seats@Hangzhou"', '"incubator_seats@Hangzou"'),
     "did you mean 'Hangzhou'"),
    (('"incubator_seats@Hangzhou"', '"tax_incentive_pct_points@Hangzhou"'),
     "province-wide"),
    (('"new_startups"]', '"new_startup"]'), "did you mean 'new_startups'"),
    (("high = 3000", "high = 100"), "expected high > low"),
    (("end = 2019", "end = 2017"), "optimize.end"),
    (("scale = 0.02", "scael = 0.02"), "did you mean 'scale'"),
])
def test_bad_experiment_files_are_one_line_and_exit_2(zjai, tmp_path, edit, message):
    exp = _experiment(tmp_path)
    exp.write_text(exp.read_text().replace(*edit), encoding="utf-8")
    res = zjai("optimize", str(exp), "--out", str(tmp_path / "out"))
    assert res.returncode == 2, res.stderr
    assert message in res.stderr and len(res.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_shipped_optimisation_experiments_load():
    smoke = load_spec(ROOT / "experiments" / "optimize_smoke.toml")
    assert smoke.scale <= 0.1 and smoke.end == 2022 and len(smoke.objectives) >= 2
    real = load_spec(ROOT / "experiments" / "optimize_2022.toml")
    assert real.end == 2022 and len(real.p_met) >= 3
    assert real.population * real.generations > smoke.population * smoke.generations
