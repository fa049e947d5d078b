"""zjai validate: observed rows, stylized facts, figures; the report is
`reports.validation_report`'s."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from model import reports
from model.cli import main


@pytest.fixture(scope="module")
def validated(tmp_path_factory, scenarios_dir):
    """One validation run with the report's clock and revision fixed."""
    out = tmp_path_factory.mktemp("val") / "val"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(reports, "now_iso", lambda: "2030-01-01T00:00:00+00:00")
        mp.setattr(reports, "git_revision", lambda: "abc123")
        assert main(["validate", str(scenarios_dir / "plan.toml"), "--replicates", "2",
                     "--scale", "0.05", "--out", str(out), "--quiet"]) == 0
    return out


def test_validate_writes_the_observed_table_facts_and_figures(validated):
    from model.validation import FACT_BANDS, OBSERVED_TARGETS

    out = validated
    obs = pd.read_csv(out / "validation.csv")
    assert len(obs) == len(OBSERVED_TARGETS)
    assert {"observed", "model_median", "model_p10", "model_p90", "error",
            "observed_in_band"} <= set(obs.columns)
    hz = obs[obs.observed_metric == "share_of_provincial_ai_revenue"].iloc[0]
    assert hz.observed == pytest.approx(0.578) and 0 < hz.model_median < 1
    facts = pd.read_csv(out / "stylized_facts.csv")
    assert set(facts.fact) == set(FACT_BANDS)
    report = (out / "validation.md").read_text(encoding="utf-8")
    assert "## Observed rows" in report and "figures/observed_vs_model.png" in report
    assert "(2030-01-01T00:00:00+00:00, git abc123)" in report
    assert (out / "figures" / "stylized_facts.png").exists()


def test_a_notebook_writes_the_same_validation_report(validated, scenarios_dir):
    """The notebook route (validation.simulate, the tables, reports.validation_report) gives
    the CLI's validation.md byte for byte."""
    from model import load_scenario, validation

    sc = load_scenario(scenarios_dir / "plan.toml")
    traj, facts = validation.simulate(sc, 2, sc.seed, 0.05)
    obs, ft = validation.observed_table(traj), validation.facts_table(facts)
    text = reports.validation_report(sc.name, 2, 0.05, sc.seed, "numba", obs, ft,
                                     Path("observed_vs_model.png"), Path("stylized_facts.png"),
                                     created="2030-01-01T00:00:00+00:00", git="abc123")
    assert text == (validated / "validation.md").read_text(encoding="utf-8")


# --- zjai validate --origin: forecasts scored out of sample ----------------------------------

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def tiny_fit(tmp_path_factory):
    """A parameter file as `zjai calibrate --years 2018,2019` writes it (the committed values
    stand in for a fit), with the sidecar that says which years it was fitted to."""
    import json

    from model.calibration import load_calibration, restrict_years
    from model.scenario import load_scenario

    spec, _ = restrict_years(load_calibration(ROOT / "experiments" / "calibration.toml"),
                             [2018, 2019])
    committed = load_scenario(ROOT / "scenarios" / "calibrated.toml")
    values = {**committed.parameters, **committed.initial}
    folder = tmp_path_factory.mktemp("fit")
    lines = ['[scenario]', 'name = "fit_2019"', "[parameters]"]
    lines += [f"{n} = {values[n]!r}" for n, *_, t in spec.parameters if t == "parameters"]
    lines += ["[initial]"] + [f"{n} = {values[n]!r}" for n, *_, t in spec.parameters
                              if t == "initial"]
    (folder / "fit.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "fit.fit.json").write_text(json.dumps({"years": [2018, 2019]}), encoding="utf-8")
    return folder / "fit.toml"


@pytest.fixture(scope="module")
def forecast(tmp_path_factory, tiny_fit):
    out = tmp_path_factory.mktemp("oos") / "val"
    assert main(["validate", "--origin", "2019", "--fit", str(tiny_fit), "--replicates", "4",
                 "--scale", "0.05", "--out", str(out), "--quiet"]) == 0
    return out


def test_validate_origin_scores_the_later_rows_beside_naive_forecasts(forecast):
    from model.forecast_scores import COLUMNS, scored_targets

    scores = pd.read_csv(forecast / "forecast_scores.csv")
    assert list(scores.columns) == COLUMNS and len(scores) == len(scored_targets(2019))
    assert (scores.year == 2020).all()
    assert {"in_50", "in_80", "crps_model", "crps_trend", "skill_vs_last_growth"} <= set(COLUMNS)
    scored = scores[scores.crps_model.notna()]
    assert (scored.crps_model >= 0).all() and len(scored) >= 6
    ningbo = scores[scores.metric == "gdp"].iloc[0]
    assert ningbo.scored_by == "model and naive" and ningbo.crps_trend > 0
    assert scores[scores.earlier_rows < 2].scored_by.str.startswith("model").sum() >= 5
    report = (forecast / "validation.md").read_text(encoding="utf-8")
    assert "## Forecasts from 2019, scored out of sample" in report
    assert "Parameters from fit.toml (fitted to the rows of 2018,2019)." in report
    assert "CRPS log-linear trend" in report and "inside its 80% band" in report
    assert (forecast / "validation.csv").exists()


@pytest.mark.parametrize("args, message", [
    (["--origin", "2030"], "--origin 2030: expected 2019: "),
    (["--origin", "2015"], "--origin 2015: expected 2019: "),
    (["--origin", "2020"], "--origin 2020: expected 2019: "),
    (["--origin", "2019.5"], "argument --origin: expected a whole number, got '2019.5'"),
    (["--origin", "x"], "argument --origin: expected a whole number, got 'x'"),
    (["--max-evaluations", "5"], "--max-evaluations is for forecasts: expected --origin YEAR"),
    (["--origin", "2019", "--fit", str(ROOT / "scenarios" / "calibrated.toml")],
     "fitted to the rows of [2018, 2019, 2020] (calibrated.fit.json), after --origin 2019"),
    (["--origin", "2019", "--fit", str(ROOT / "scenarios" / "plan.toml")],
     "plan.toml: no readable plan.fit.json beside it says which years it was fitted to"),
])
def test_validate_refuses_a_bad_origin_in_one_line_and_writes_nothing(tmp_path, capsys, args,
                                                                      message):
    out = tmp_path / "never"
    try:
        code = main(["validate", *args, "--scale", "0.05", "--out", str(out), "--quiet"])
    except SystemExit as exc:            # argparse's errors (common.Parser)
        code = exc.code
    err = capsys.readouterr().err
    assert code == 2 and message in err, err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not out.exists() and not list(tmp_path.iterdir())


def test_validate_refuses_a_fit_without_every_fitted_parameter(tmp_path, capsys, tiny_fit):
    partial = tmp_path / "partial.toml"
    partial.write_text("\n".join(line for line in tiny_fit.read_text().splitlines()
                                 if not line.startswith("opex_share")), encoding="utf-8")
    (tmp_path / "partial.fit.json").write_text('{"years": [2019]}', encoding="utf-8")
    assert main(["validate", "--origin", "2019", "--fit", str(partial), "--out",
                 str(tmp_path / "never"), "--quiet"]) == 2
    assert "partial.toml: no value for opex_share_of_revenue" in capsys.readouterr().err
    assert not (tmp_path / "never").exists()


TINY_ABC = f"""[calibration]
scenario = "{(ROOT / "scenarios" / "plan.toml").as_posix()}"
replicates = 1
seed = 5
scale = 0.05
max_evaluations = 4
years = [2019, 2020]
facts = []
output = "point.toml"
[posterior]
population = 6
generations = 2
max_evaluations = 200
scale = 0.05
[parameters.external_market_growth_per_year]
low = 0.0
high = 0.2
start = 0.12
[initial.hangzhou_revenue_share]
low = 0.40
high = 0.65
start = 0.502
"""


def test_validate_origin_with_a_posterior_draws_each_replicate_from_it(tmp_path):
    """--posterior: ABC-SMC on the rows up to the origin; the sample is written beside the
    scores and the report says the bands include parameter uncertainty."""
    from model.draws import load_posterior

    cal = tmp_path / "tiny.toml"
    cal.write_text(TINY_ABC, encoding="utf-8")
    out = tmp_path / "val"
    assert main(["validate", "--origin", "2019", "--calibration", str(cal), "--posterior",
                 "--replicates", "3", "--scale", "0.05", "--out", str(out), "--quiet"]) == 0
    sample = load_posterior(out / "posterior_origin_2019.csv")
    assert sample.names == ("external_market_growth_per_year", "hangzhou_revenue_share")
    assert len(np.unique(sample.values[:, 0])) > 1
    report = (out / "validation.md").read_text(encoding="utf-8")
    assert "drew its parameters from a posterior sampled by ABC-SMC on the observed rows of " \
           "2019" in report
    assert "the bands include parameter uncertainty" in report
    assert (out / "forecast_scores.csv").exists()


@pytest.mark.parametrize("args, message", [
    (["--posterior"], "--posterior is for forecasts: expected --origin YEAR as well"),
    (["--origin", "2019", "--population", "5"], "--population is for --posterior"),
])
def test_validate_refuses_posterior_options_out_of_place(tmp_path, capsys, args, message):
    out = tmp_path / "never"
    assert main(["validate", *args, "--scale", "0.05", "--out", str(out), "--quiet"]) == 2
    assert message in capsys.readouterr().err and not out.exists()
