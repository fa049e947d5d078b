"""Calibration: moments and distances, determinism, and a regression guard on the
committed calibrated parameters."""

import json
from pathlib import Path

import numpy as np
import pytest

from model.calibration import (CalibrationSpec, Objective, calibrate, distance,
                               load_calibration, moment_rows)
from model.executors import InProcessExecutor
from model.scenario import ScenarioError, load_scenario
from model.validation import OBSERVED_TARGETS

ROOT = Path(__file__).resolve().parents[1]
CALIBRATED = ROOT / "scenarios" / "calibrated.toml"


def test_distances():
    fact = {"kind": "fact", "observed": (0.4, 0.6)}
    assert distance(fact, 0.5) == 0 and distance(fact, 0.7) == pytest.approx(1.0)
    assert distance(fact, 0.3) == pytest.approx(-1.0)
    assert distance({"kind": "share", "observed": 0.5}, 0.6) == pytest.approx(2.0)
    assert distance({"kind": "lower_bound", "observed": 800}, 900) == 0
    assert distance({"kind": "lower_bound", "observed": 800}, 400) == pytest.approx(-0.5)
    assert distance({"kind": "level", "observed": 200}, 300) == pytest.approx(0.5)


def test_shipped_calibration_file_and_its_moments():
    spec = load_calibration(ROOT / "experiments" / "calibration.toml")
    rows = moment_rows(spec)
    names = {r["moment"] for r in rows}
    assert "2019 Zhejiang ai_enterprise_revenue" in names
    assert "2020 Hangzhou share_of_provincial_ai_revenue" in names
    assert "five_year_survival" in names
    assert all(r["target"].year in spec.years for r in rows if r["kind"] != "fact")


@pytest.mark.parametrize("body, key", [
    ("[parameters.bass_imitation]\nlow = 0.1\nhigh = 0.2\n", "parameters.bass_imitation"),
    ("[parameters.bass_imitation_per_year]\nlow = 0.1\nhigh = 5\n",
     "parameters.bass_imitation_per_year.high"),
    ("[parameters.bass_imitation_per_year]\nlow = 0.1\nhigh = 0.2\nstart = 0.5\n",
     "parameters.bass_imitation_per_year.start"),
])
def test_bad_calibration_files(tmp_path, body, key):
    p = tmp_path / "c.toml"
    p.write_text(f'[calibration]\nscenario = "{ROOT / "scenarios" / "plan.toml"}"\n' + body,
                 encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_calibration(p)
    assert info.value.key == key


def _tiny_spec():
    return CalibrationSpec(
        name="tiny", path=str(ROOT / "experiments" / "calibration.toml"),
        scenario=load_scenario(ROOT / "scenarios" / "plan.toml"),
        parameters=[("external_market_growth_per_year", 0.0, 0.2, 0.12, "parameters"),
                    ("largest_firm_revenue_100m_yuan", 100, 420, 420, "initial")],
        replicates=2, seed=5, scale=0.03, max_evaluations=8, years=[2019],
        facts=["hangzhou_firm_share_2020"])


def test_calibration_is_deterministic_and_improves_the_objective():
    results = []
    for _ in range(2):
        with InProcessExecutor() as ex:
            results.append(calibrate(_tiny_spec(), ex))
    a, b = results
    assert a["theta"] == b["theta"] and a["objective"] == b["objective"]
    assert a["objective"] <= a["start_objective"]
    assert a["evaluations"] >= 8


@pytest.mark.skipif(not CALIBRATED.with_suffix(".fit.json").exists(),
                    reason="no committed calibration yet")
def test_committed_calibration_reproduces_its_moments():
    """Regression guard: the plan (which extends calibrated.toml through baseline.toml)
    simulated as in the fit gives each moment inside the fit's replicate band widened by
    that band's width (the replicate spread is the noise a model change must stay within)."""
    fit = json.loads(CALIBRATED.with_suffix(".fit.json").read_text())
    spec = load_calibration(ROOT / "experiments" / "calibration.toml")
    for name, value in fit["theta"].items():
        assert {**spec.scenario.parameters, **spec.scenario.initial}[name] == pytest.approx(value)
    spec.years, spec.facts = fit["years"], fit["facts"]
    spec.replicates, spec.seed, spec.scale = fit["replicates"], fit["seed"], fit["scale"]
    with InProcessExecutor() as ex:
        obj = Objective(spec, ex)
        table = obj.table(fit["theta"]).set_index("moment")
    assert float(table.contribution.sum()) == pytest.approx(fit["objective"], rel=0.25)
    for m in fit["moments"]:
        row = table.loc[m["moment"]]
        width = m["simulated_p90"] - m["simulated_p10"]
        tol = max(width, 0.02 * abs(m["simulated_mean"]), 1e-9)
        assert m["simulated_p10"] - tol <= row.simulated_mean <= m["simulated_p90"] + tol, m


def test_observed_targets_exist_in_the_data():
    from model.data import observed

    obs = observed()
    for t in OBSERVED_TARGETS:
        assert len(obs[(obs.year == t.year) & (obs.region == t.region)
                       & (obs.metric == t.metric)]) == 1
    assert np.isfinite(obs.value).all()


@pytest.mark.slow
def test_calibrate_reproduces_the_committed_file(tmp_path):
    """`zjai calibrate` from the committed seed gives the committed values (about 2 minutes
    on 2 cores; run with `pytest -m slow`)."""
    from model.cli import main

    out = tmp_path / "calibrated.toml"
    assert main(["calibrate", str(ROOT / "experiments" / "calibration.toml"), "--workers", "2",
                 "--out", str(out), "--quiet"]) == 0
    fresh, committed = load_scenario(out), load_scenario(CALIBRATED)
    assert fresh.parameters == pytest.approx(committed.parameters, rel=1e-6)
    assert fresh.initial == pytest.approx(committed.initial, rel=1e-6)
