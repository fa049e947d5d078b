"""Out-of-sample forecast scores: the CRPS, the naive forecasts, the origins allowed, the
scored rows and the fitted scenario (model/forecast_scores.py)."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from model import forecast_scores as fs
from model.calibration import load_calibration, moment_rows, restrict_years
from model.data import PROVINCE
from model.initial import BACKCAST_YEAR
from model.params import PARAMETERS
from model.validation import OBSERVED_TARGETS, ObservedTarget

ROOT = Path(__file__).resolve().parents[1]


def brute_force_crps(x, y):
    x = np.asarray(x, dtype=float)
    return np.mean(np.abs(x - y)) - 0.5 * np.mean(np.abs(x[:, None] - x[None, :]))


def test_crps_of_a_point_ensemble_is_the_absolute_error():
    assert fs.crps_ensemble([3.0], 5.5) == pytest.approx(2.5)
    assert fs.crps_ensemble([7.0] * 16, 5.5) == pytest.approx(1.5)
    assert fs.crps_ensemble([5.5] * 4, 5.5) == 0


def test_crps_is_the_energy_form_nonnegative_and_rewards_a_sharper_correct_ensemble():
    rng = np.random.default_rng(1)
    for _ in range(20):
        x, y = rng.normal(size=int(rng.integers(2, 40))), float(rng.normal())
        assert fs.crps_ensemble(x, y) == pytest.approx(brute_force_crps(x, y))
        assert fs.crps_ensemble(x, y) >= 0
    z = rng.normal(size=400)
    sharp, wide = fs.crps_ensemble(10 + 0.5 * z, 10.0), fs.crps_ensemble(10 + 5 * z, 10.0)
    assert 0 < sharp < wide
    # an ensemble centred away from the truth loses to one centred on it
    assert fs.crps_ensemble(12 + 0.5 * z, 10.0) > sharp
    with pytest.raises(ValueError):
        fs.crps_ensemble([], 1.0)


def test_naive_forecasts_of_an_exact_exponential_series_are_exact():
    years = [2016, 2017, 2019]
    values = [100 * 1.1 ** (t - 2016) for t in years]
    f = fs.naive_forecasts(years, values, 2020)
    assert f["last_growth"] == pytest.approx(100 * 1.1**4)
    assert f["trend"] == pytest.approx(100 * 1.1**4)
    assert f["no_change"] == pytest.approx(100 * 1.1**3)
    # order of the rows does not matter; a gap between the last two rows is annualised
    g = fs.naive_forecasts([2019, 2016], [100 * 1.1**3, 100.0], 2021)
    assert g["last_growth"] == pytest.approx(100 * 1.1**5) == g["trend"]


def test_naive_forecasts_need_their_earlier_rows():
    one = fs.naive_forecasts([2019], [482.0], 2020)
    assert one["no_change"] == 482 and np.isnan(one["last_growth"]) and np.isnan(one["trend"])
    assert all(np.isnan(v) for v in fs.naive_forecasts([], [], 2020).values())
    signs = fs.naive_forecasts([2018, 2019], [-1.0, 2.0], 2020)      # no log of a negative
    assert signs["no_change"] == 2 and np.isnan(signs["trend"])


@pytest.mark.parametrize("origin, ok", [(2019, True), (BACKCAST_YEAR - 1, False),
                                        (2016, False), (2020, False), (2030, False)])
def test_origins_that_can_be_scored(origin, ok):
    problem = fs.origin_problem(origin, [2018, 2019, 2020])
    assert (problem is None) == ok
    if not ok:
        assert problem.startswith("expected 2019: ") and "held out by design" in problem


def _traj(values: dict) -> pd.DataFrame:
    """A two-replicate trajectory: {(year, region, indicator): (replicate 0, replicate 1)}."""
    return pd.DataFrame([{"year": y, "region": r, "indicator": i, "replicate": k, "value": v}
                         for (y, r, i), pair in values.items() for k, v in enumerate(pair)])


def test_a_scored_row_has_bands_crps_and_naive_skill():
    obs = pd.Series({"value": 110.0, "series": "macro", "confidence": "high"})
    history = pd.DataFrame({"year": [2017, 2019], "value": [100.0, 105.0]})
    t = ObservedTarget(2020, "Ningbo", "gdp", "gdp_100m_yuan")
    row = fs.score_row(t, np.array([108.0, 109.0, 111.0, 112.0]), obs, history)
    assert row["in_50"] and row["in_80"] and row["earlier_rows"] == 2
    assert row["crps_no_change"] == pytest.approx(5.0)
    assert row["forecast_last_growth"] == pytest.approx(105 * (105 / 100) ** 0.5)
    assert row["skill_vs_no_change"] == pytest.approx(1 - row["crps_model"] / 5.0)
    assert row["scored_by"] == "model and naive"
    floor = fs.score_row(ObservedTarget(2020, PROVINCE, "core_industry_scale_forecast",
                                        "core_industry_revenue_100m_yuan", "lower_bound"),
                         np.array([700.0, 900.0]), obs.replace(110.0, 800.0), history.iloc[:0])
    assert "crps_model" not in floor and floor["scored_by"].startswith("none: a forecast's floor")
    assert fs.skill(1.0, 0.0) == -np.inf and np.isnan(fs.skill(1.0, np.nan))


def test_score_forecasts_covers_every_mapped_row_after_the_origin():
    targets = fs.scored_targets(2019)
    assert {(t.region, t.metric) for t in targets} >= {
        (PROVINCE, "ai_enterprise_revenue"), (PROVINCE, "ai_enterprises"),
        ("Ningbo", "gdp"), ("Ningbo", "ai_industry_value_added_growth")}
    assert all(t.year == 2020 for t in targets)
    values = {}
    for t in targets:
        values[(2019, t.region, t.indicator)] = (50.0, 50.0)
        values[(2020, t.region, t.indicator)] = (55.0, 50.0)
        for y in (2019, 2020):
            values[(y, PROVINCE, t.indicator)] = (100.0, 120.0)
    table = fs.score_forecasts(_traj(values), 2019)
    assert list(table.columns) == fs.COLUMNS and len(table) == len(targets)
    ningbo = table[table.metric == "gdp"].iloc[0]
    assert ningbo.earlier_rows == 2 and ningbo.scored_by == "model and naive"
    growth = table[table.kind == "growth"].iloc[0]
    assert growth.model_median == pytest.approx(5.0)             # 50 -> 55 is +10%, 0%
    summary = fs.forecast_summary(table)
    assert summary["rows"] == len(targets) and summary["scored"] == len(targets) - 1
    assert summary["rows_vs_trend"] == 1 and 0 <= summary["coverage_80"] <= 1


def test_only_moment_rows_are_fitted():
    spec = load_calibration(ROOT / "experiments" / "calibration.toml")
    fitted = {r["moment"] for r in moment_rows(spec)}
    assert fitted == {f"{t.year} {t.region} {t.metric}" for t in OBSERVED_TARGETS
                      if t.moment and t.year in spec.years} | set(spec.facts)
    assert {t.metric for t in OBSERVED_TARGETS if not t.moment} == {
        "gdp", "ai_industry_value_added_growth"}


def test_the_fitted_scenario_keeps_nothing_of_the_full_data_fit():
    full = load_calibration(ROOT / "experiments" / "calibration.toml")
    spec, dropped = restrict_years(full, [2018, 2019])
    theta = {p[0]: p[3] for p in spec.parameters}          # any values, not the committed
    sc = fs.fitted_scenario(full.scenario, full, spec, theta)
    values = {**sc.parameters, **sc.initial}
    assert dropped == ["directory_threshold_2020_on_100m_yuan_per_year"]
    assert values[dropped[0]] == PARAMETERS[dropped[0]].default
    assert all(values[k] == pytest.approx(v) for k, v in theta.items())
    assert full.scenario.parameters[dropped[0]] != PARAMETERS[dropped[0]].default
