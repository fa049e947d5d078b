"""zjai analyze: indices, drivers and figures of a finished sweep; analysis.md is
`reports.analysis_report`'s."""

from pathlib import Path

import pandas as pd
import pytest

from model.cli import main

ROOT = Path(__file__).resolve().parents[2]


def _experiment(tmp_path, design: str, extra: str, years: str = "[2020]",
                indicators: str = "['new_startups']") -> Path:
    exp = tmp_path / f"{design}.toml"
    exp.write_text(f'[experiment]\nname = "mini_{design}"\n'
                   f'scenario = "{ROOT / "scenarios" / "plan.toml"}"\n'
                   f"design = '{design}'\n{extra}scale = 0.02\n"
                   "[factors.incubator_seats]\nlow = 100\nhigh = 1000\n"
                   "[factors.public_data_opening]\nlow = 0.1\nhigh = 0.9\n[outcomes]\n"
                   f"indicators = {indicators}\nyears = {years}\n", encoding="utf-8")
    return exp


def test_analyze_a_sobol_sweep(tmp_path):
    exp = _experiment(tmp_path, "sobol", "points = 8\nseed = 3\ncommon_random_numbers = true\n",
                      years="[2022]",
                      indicators="['new_startups', 'related_industry_revenue_100m_yuan']")
    out = tmp_path / "sweep"
    assert main(["sweep", str(exp), "--out", str(out), "--workers", "2", "--quiet"]) == 0
    assert main(["analyze", str(out)]) == 0
    table = pd.read_csv(out / "analysis" / "indices.csv")
    assert {"S1", "S1_conf", "ST", "ST_conf"} <= set(table.columns)
    assert len(table) == 2 * 2
    drivers = pd.read_csv(out / "analysis" / "drivers.csv")
    assert set(drivers.outcome) == {"new_startups@2022", "related_industry_revenue_100m_yuan@2022"}
    assert len(list((out / "analysis" / "figures").glob("*.png"))) == 2
    report = (out / "analysis" / "analysis.md").read_text()
    assert "| outcome | 1st | 2nd | 3rd |" in report and "new_startups@2022" in report


@pytest.mark.parametrize("design, extra, columns", [
    ("morris", "points = 3\nmorris_levels = 4\nseed = 5\n", {"mu_star", "mu_star_conf", "sigma"}),
    ("lhs", "points = 6\nseed = 5\n", {"SRC"}),
])
def test_analyze_morris_and_other_designs(tmp_path, design, extra, columns):
    out = tmp_path / "sweep"
    assert main(["sweep", str(_experiment(tmp_path, design, extra)), "--out", str(out),
                 "--quiet"]) == 0
    assert main(["analyze", str(out)]) == 0
    table = pd.read_csv(out / "analysis" / "indices.csv")
    assert columns <= set(table.columns) and len(table) == 2
    figures = {p.name for p in (out / "analysis" / "figures").glob("*.png")}
    assert "sensitivity_new_startups_2020.png" in figures
    if design == "lhs":
        assert "effects_new_startups_2020.png" in figures


def test_a_notebook_writes_the_same_analysis_report(tmp_path, capsys):
    """reports.analysis_report and drivers_table from the analysis functions: the CLI's
    analysis.md byte for byte, and the table it prints."""
    from rich.console import Console

    from model import analysis, reports
    from model.experiments import load_experiment

    exp_file = _experiment(tmp_path, "lhs", "points = 6\nseed = 5\n")
    out = tmp_path / "sweep"
    assert main(["sweep", str(exp_file), "--out", str(out), "--quiet"]) == 0
    assert main(["analyze", str(out)]) == 0
    printed = capsys.readouterr().out
    exp = load_experiment(exp_file)
    results = pd.read_parquet(out / "results.parquet")
    table = analysis.indices(exp, results)
    ranked = analysis.drivers(table, exp.design, list(table.outcome.unique()))
    key = analysis.measure(exp.design)
    figures = [*analysis.bar_charts(table, exp.design, tmp_path / "nb"),
               *analysis.effect_plots(exp, results, tmp_path / "nb")]
    text = reports.analysis_report(exp.name, exp.design, results.run_id.nunique(), ranked,
                                   key, figures)
    assert text == (out / "analysis" / "analysis.md").read_text(encoding="utf-8")
    console = Console(width=160, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(reports.drivers_table(ranked, key, exp.design))
    assert console.export_text() in printed
