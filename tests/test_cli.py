"""The zjai command line: run writes its files and table; bad input exits 2 cleanly."""

import json
import subprocess
import sys

import pandas as pd
import pytest

from model.cli import main
from model.indicators import INDICATORS


def _zjai(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "model.cli", *args], capture_output=True,
                          text=True, cwd=cwd)


def test_run_writes_trajectories_metadata_and_target_table(tmp_path, scenarios_dir, capsys):
    short = tmp_path / "short.toml"
    short.write_text(f'[scenario]\nname = "short"\nextends = "{scenarios_dir / "plan.toml"}"\n'
                     "end = 2022\n", encoding="utf-8")
    out = tmp_path / "out"
    code = main(["run", str(short), "--replicates", "2", "--scale", "0.02", "--seed", "5",
                 "--engine", "mesa", "--out", str(out), "--quiet"])
    assert code == 0
    printed = capsys.readouterr().out
    assert "core_industry_revenue_100m_yuan" in printed and "2022" in printed
    df = pd.read_parquet(out / "trajectories.parquet")
    csv = pd.read_csv(out / "trajectories.csv")
    assert len(df) == len(csv) == 2 * 6 * 12 * len(INDICATORS)
    assert set(df.replicate) == {0, 1}
    meta = json.loads((out / "metadata.json").read_text())
    assert meta["engine"] == "mesa" and meta["scale"] == 0.02 and meta["master_seed"] == 5
    assert len(meta["replicate_seeds"]) == 2
    assert meta["scenario"]["sha256"] and "plan" in meta["scenario"]["text"]
    assert meta["versions"]["mesa"].startswith("3.")
    assert meta["timings"]["total_seconds"] > 0
    assert not list(out.glob(".*.tmp"))


@pytest.mark.parametrize("args, needle", [
    (["run", "missing.toml"], "file not found"),
    (["run", "{plan}", "--engine", "jax"], "invalid choice: 'jax'"),
    (["run", "{plan}", "--scale", "0"], "scale"),
    (["run", "{plan}", "--replicates", "x"], "whole number"),
])
def test_bad_input_exits_2_with_one_line_and_writes_nothing(tmp_path, scenarios_dir, args, needle):
    args = [a.replace("{plan}", str(scenarios_dir / "plan.toml")) for a in args]
    out = tmp_path / "out"
    res = _zjai(*args, "--out", str(out), cwd=tmp_path)
    assert res.returncode == 2
    assert needle in res.stderr
    assert "Traceback" not in res.stderr
    assert not out.exists()


def test_levers_targets_and_show(scenarios_dir):
    res = _zjai("levers")
    assert res.returncode == 0 and "fiscal_ai_funding" in res.stdout
    res = _zjai("targets")
    assert res.returncode == 0 and "core_invention_patents" in res.stdout
    res = _zjai("show", str(scenarios_dir / "plan.toml"))
    assert res.returncode == 0
    assert "key_rd_projects_per_year = { 2017 = 15, 2018 = 50 }" in res.stdout
    assert "[levers.city.Huzhou]" in res.stdout


def test_compare_writes_tables_figures_and_report(tmp_path, scenarios_dir):
    out = tmp_path / "cmp"
    short = []
    for name in ("baseline", "plan"):
        p = tmp_path / f"{name}_short.toml"
        p.write_text(f'[scenario]\nname = "{name}"\nextends = "{scenarios_dir / (name + ".toml")}"\n'
                     "end = 2022\n", encoding="utf-8")
        short.append(str(p))
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


BAD_FILES = {
    "syntax": ("[levers]\nland_guarantee = = 1\n", "line 2"),
    "unknown key": ("[scenario]\nnmae = 'x'\n", "did you mean 'name'"),
    "wrong type": ("[scenario]\nreplicates = 'four'\n", "expected an integer"),
    "out of range": ("[levers]\nland_guarantee = 1.5\n", "expected a value in [0, 1]"),
    "unknown city": ("[levers.city.Hangzou]\nincubator_seats = 5\n", "did you mean 'Hangzhou'"),
    "unknown lever": ("[levers]\nkey_rd_project = 50\n", "did you mean"),
    "missing extends": ("[scenario]\nextends = 'nowhere.toml'\n", "file not found"),
    "cycle": ("[scenario]\nextends = 'bad.toml'\n", "cycle in extends"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
@pytest.mark.parametrize("command", ["run", "compare", "show"])
def test_bad_scenario_files_exit_2_naming_file_and_key(tmp_path, case, command, capsys):
    text, needle = BAD_FILES[case]
    bad = tmp_path / "bad.toml"
    bad.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    args = [command, str(bad)] + (["--out", str(out)] if command != "show" else [])
    assert main(args) == 2
    err = capsys.readouterr().err
    assert needle in err and "bad.toml" in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_show_output_is_a_scenario_that_loads_the_same(tmp_path, scenarios_dir):
    from model import load_scenario

    res = _zjai("show", str(scenarios_dir / "covid_2020.toml"))
    resolved = tmp_path / "resolved.toml"
    resolved.write_text(res.stdout, encoding="utf-8")
    a, b = load_scenario(resolved), load_scenario(scenarios_dir / "covid_2020.toml")
    assert (a.name, a.levers, a.city_levers, a.events, a.description) == (
        b.name, b.levers, b.city_levers, b.events, b.description)


@pytest.mark.parametrize("name", ["baseline", "plan", "plan_accelerated", "talent_first",
                                  "capital_first", "hangzhou_ningbo_core", "balanced_regions",
                                  "fiscal_squeeze", "covid_2020", "chip_restrictions_2019"])
def test_shipped_scenarios_load_describe_and_run(name, scenarios_dir):
    from model import load_scenario, run_scenario

    sc = load_scenario(scenarios_dir / f"{name}.toml")
    assert sc.name == name and len(sc.description) > 100
    sc.end = 2019
    df = run_scenario(sc, replicates=1, scale=0.02)
    assert df.value.notna().all()


def test_validate_writes_the_observed_table_facts_and_figures(tmp_path, scenarios_dir):
    from model.validation import FACT_BANDS, OBSERVED_TARGETS

    out = tmp_path / "val"
    assert main(["validate", str(scenarios_dir / "plan.toml"), "--replicates", "2",
                 "--scale", "0.05", "--out", str(out), "--quiet"]) == 0
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
    assert (out / "figures" / "stylized_facts.png").exists()
