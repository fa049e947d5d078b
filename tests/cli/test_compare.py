"""zjai compare: tables, figures and a report; the report is `reports.compare_report`'s."""

import json
from pathlib import Path

import pandas as pd

from model import plots, reports
from model.cli import main


def test_compare_writes_tables_figures_and_report(tmp_path, short_scenario):
    out = tmp_path / "cmp"
    short = [str(short_scenario(name, end=2022)) for name in ("baseline", "plan")]
    code = main(["compare", *short, "--replicates", "2", "--scale", "0.02", "--out", str(out),
                 "--quiet"])
    assert code == 0
    table = pd.read_csv(out / "attainment.csv")
    assert set(table.scenario) == {"baseline", "plan"}
    assert {"median", "p10", "p90", "p_met", "diff_vs_first"} <= set(table.columns)
    assert (table[table.scenario == "baseline"].diff_vs_first == 0).all()
    figures = sorted(p.name for p in (out / "figures").glob("*.png"))
    assert "attainment_heatmap.png" in figures and "city_panel.png" in figures
    assert sum(f.startswith("fan_") for f in figures) == 8
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "## Target attainment" in report and "figures/attainment_heatmap.png" in report
    meta = json.loads((out / "metadata.json").read_text())
    assert [s["name"] for s in meta["scenarios"]] == ["baseline", "plan"]
    df = pd.read_parquet(out / "trajectories.parquet")
    assert set(df.scenario) == {"baseline", "plan"}


def test_a_notebook_writes_the_same_report_as_the_cli(tmp_path, short_scenario):
    """reports.compare_report from the Python API (run_scenario, attainment) gives the bytes
    of the CLI's report.md, given the same metadata."""
    from model import load_scenario, run_scenario
    from model.targets import attainment, load_targets, targets_path

    files = [short_scenario(name, end=2022) for name in ("baseline", "plan")]   # a 2022 target
    out = tmp_path / "cmp"
    assert main(["compare", *map(str, files), "--replicates", "2", "--scale", "0.02",
                 "--out", str(out), "--quiet"]) == 0
    scenarios = [load_scenario(f) for f in files]
    trajectories = pd.concat([run_scenario(sc, replicates=2, scale=0.02) for sc in scenarios],
                             ignore_index=True)
    table = attainment(trajectories, load_targets(targets_path(files[0])))
    figures = [Path("figures/attainment_heatmap.png"),
               *[Path(f"figures/fan_{ind}.png") for ind in plots.KEY_INDICATORS],
               Path("figures/city_panel.png")]
    meta = json.loads((out / "metadata.json").read_text())
    text = reports.compare_report(scenarios, table, figures, meta)
    assert text == (out / "report.md").read_text(encoding="utf-8")
    assert text.startswith("# Scenario comparison: baseline, plan\n")


def test_compare_refuses_two_scenarios_of_the_same_name(tmp_path, short_scenario, capsys):
    plan = str(short_scenario("plan"))
    out = tmp_path / "cmp"
    assert main(["compare", plan, plan, "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err == "zjai: error: scenario names must differ, got ['plan', 'plan']\n"
    assert not out.exists()
