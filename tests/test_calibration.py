"""Calibration: moments and distances, determinism, and a regression guard on the
committed calibrated parameters."""

import json
from pathlib import Path

import numpy as np
import pytest

from model.calibration import (
    CalibrationSpec,
    Objective,
    calibrate,
    distance,
    held_out_table,
    load_calibration,
    moment_rows,
    restrict_years,
    write_calibrated,
)
from model.executors import InProcessExecutor
from model.params import PARAMETERS
from model.scenario import ScenarioError, load_scenario
from model.validation import OBSERVED_TARGETS, plausible_band

ROOT = Path(__file__).resolve().parents[1]
CALIBRATED = ROOT / "scenarios" / "calibrated.toml"


def test_distances_are_in_units_of_the_plausible_half_width():
    fact = {"kind": "fact", "observed": (0.4, 0.6), "half_width": 0.1}
    assert distance(fact, 0.5) == 0 and distance(fact, 0.7) == pytest.approx(1.0)
    assert distance(fact, 0.3) == pytest.approx(-1.0)
    assert distance({"kind": "share", "observed": 0.5, "half_width": 0.05}, 0.6) == pytest.approx(2.0)
    floor = {"kind": "lower_bound", "observed": 800, "half_width": 240}
    assert distance(floor, 900) == 0
    assert distance(floor, 560) == pytest.approx(-1.0)
    assert distance({"kind": "level", "observed": 200, "half_width": 20}, 300) == pytest.approx(5.0)


def test_plausible_bands_follow_the_data_rows_confidence():
    assert plausible_band(2693.43, "high") == pytest.approx((2424.087, 2962.773))
    assert plausible_band(482, "medium") == pytest.approx((385.6, 578.4))
    assert plausible_band(800, "low", "lower_bound") == (560, np.inf)
    spec = load_calibration(ROOT / "experiments" / "calibration.toml")
    rows = {r["moment"]: r for r in moment_rows(spec)}
    assert rows["2020 Zhejiang ai_enterprises"]["half_width"] == pytest.approx(72.1)
    assert rows["2019 Zhejiang ai_enterprises"]["half_width"] == pytest.approx(96.4)
    assert rows["tail_exponent"]["half_width"] == pytest.approx(0.175)


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


def test_out_of_sample_fit_drops_what_it_cannot_identify_and_reports_the_held_out_rows(tmp_path):
    spec = load_calibration(ROOT / "experiments" / "calibration.toml")
    fitted, dropped = restrict_years(spec, [2019])
    assert dropped == ["directory_threshold_2020_on_100m_yuan_per_year"]
    # blind to the committed fit: the dropped parameter at its model default, starts too
    assert spec.scenario.parameters[dropped[0]] < 0.2
    assert fitted.scenario.parameters[dropped[0]] == PARAMETERS[dropped[0]].default == 0.2
    starts = {name: start for name, _, _, start, _ in fitted.parameters}
    assert starts["opex_share_of_revenue"] == PARAMETERS["opex_share_of_revenue"].default
    assert starts["largest_firm_revenue_100m_yuan"] == 420
    assert fitted.years == [2019] and not any(f.endswith("2020") for f in fitted.facts)
    assert all(r["target"].year == 2019 for r in moment_rows(fitted) if r["kind"] != "fact")
    tiny = _tiny_spec()
    tiny.years, tiny.max_evaluations = [2019, 2020], 4
    fitted, dropped = restrict_years(tiny, [2019])
    assert dropped == []
    with InProcessExecutor() as ex:
        result = calibrate(fitted, ex)
        held = held_out_table(tiny, fitted, result["theta"], ex)
    assert set(held.moment) == {f"2020 {m}" for m in (
        "Zhejiang ai_enterprise_revenue", "Zhejiang ai_enterprises", "Zhejiang ai_enterprise_profit",
        "Hangzhou share_of_provincial_ai_enterprises", "Hangzhou share_of_provincial_ai_revenue",
        "Zhejiang core_industry_scale_forecast")} | {"hangzhou_firm_share_2020"}
    # the written file: a loadable scenario with the fitted values and the held-out rows
    result["held_out"] = held
    out = tmp_path / "cal2019.toml"
    write_calibrated(fitted, result, out, "zjai calibrate … --years 2019")
    text = out.read_text()
    assert "to the observed 2019 Zhejiang data" in text
    assert "#   stylized fact hangzhou_firm_share_2020: 0.4-0.47 | " in text
    assert "# held out, not fitted" in text and "#   2020,Zhejiang,ai_enterprises (A, high): 721 |" in text
    written = load_scenario(out)
    assert {**written.parameters, **written.initial} == pytest.approx(result["theta"])
    assert json.loads(out.with_suffix(".fit.json").read_text())["held_out"]


@pytest.fixture(scope="module")
def refit():
    """The committed fit's moments simulated again as in the fit: the plan (which extends
    calibrated.toml through baseline.toml), the fit's seed, replicates and scale."""
    fit = json.loads(CALIBRATED.with_suffix(".fit.json").read_text())
    spec = load_calibration(ROOT / "experiments" / "calibration.toml")
    spec.years, spec.facts = fit["years"], fit["facts"]
    spec.replicates, spec.seed, spec.scale = fit["replicates"], fit["seed"], fit["scale"]
    with InProcessExecutor() as ex:
        obj = Objective(spec, ex)
        table = obj.table(fit["theta"]).set_index("moment")
    return fit, spec, table


def test_committed_calibration_reproduces_its_moments(refit):
    """Regression guard: each moment inside the fit's replicate band (10-90%) widened by
    that band's width: the replicate spread is the noise a model change must stay within."""
    fit, spec, table = refit
    for name, value in fit["theta"].items():
        assert {**spec.scenario.parameters, **spec.scenario.initial}[name] == pytest.approx(value)
    assert float(table.contribution.sum()) == pytest.approx(fit["objective"], rel=0.25)
    for m in fit["moments"]:
        row = table.loc[m["moment"]]
        width = m["simulated_p90"] - m["simulated_p10"]
        tol = max(width, 0.02 * abs(m["simulated_mean"]), 1e-9)
        assert m["simulated_p10"] - tol <= row.simulated_mean <= m["simulated_p90"] + tol, m


def test_plan_2019_2020_inside_the_observed_plausible_bands(refit):
    """The issue's bar: every observed row the plan is fitted to (series A and B, province
    and Hangzhou, 2018-2020) has its simulated mean inside the observed value's plausible
    band (|distance| <= 1 half-width)."""
    _, _, table = refit
    observed_rows = [m for m in table.index if m[:4] in ("2018", "2019", "2020")]
    assert len(observed_rows) == 12
    for moment in observed_rows:
        row = table.loc[moment]
        assert abs(row.distance) <= 1.0, (moment, row.simulated_mean, row.observed)


def test_observed_targets_exist_in_the_data():
    from model.data import observed

    obs = observed()
    for t in OBSERVED_TARGETS:
        assert len(obs[(obs.year == t.year) & (obs.region == t.region)
                       & (obs.metric == t.metric)]) == 1
    assert np.isfinite(obs.value).all()


def test_the_committed_posterior_is_not_older_than_the_point_fit(scenarios_dir):
    """Replicates draw from `calibrated.posterior.csv`: a point fit rewritten after it (a
    recalibration without `--method abc`) would leave every replicate on the old model's
    posterior. The sample must date from the point fit or later."""
    from datetime import datetime

    def written(path):
        line = next(x for x in path.read_text(encoding="utf-8").splitlines()
                    if x.startswith("# date:"))
        return datetime.fromisoformat(line.split()[2].rstrip(","))

    point = written(scenarios_dir / "calibrated.toml")
    sample = written(scenarios_dir / "calibrated.posterior.csv")
    assert sample >= point, (f"the posterior sample ({sample}) predates the point fit "
                             f"({point}): rerun `zjai calibrate experiments/calibration.toml "
                             "--method abc`")
