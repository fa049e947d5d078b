"""zjai run: trajectories, metadata and the target table; the shipped scenarios run."""

import json

import pandas as pd
import pytest

from model.cli import main
from model.indicators import INDICATORS


def test_run_writes_trajectories_metadata_and_target_table(tmp_path, short_scenario, capsys):
    short = short_scenario("plan", end=2022)
    out = tmp_path / "out"
    code = main(["run", str(short), "--replicates", "2", "--scale", "0.02", "--seed", "5",
                 "--engine", "mesa", "--out", str(out), "--quiet"])
    assert code == 0
    printed = capsys.readouterr().out
    assert "core_industry_revenue_100m_yuan" in printed and "2022" in printed
    df = pd.read_parquet(out / "trajectories.parquet")
    csv = pd.read_csv(out / "trajectories.csv")
    rows_per_year = sum(1 if ind.province_only else 12 for ind in INDICATORS.values())
    assert len(df) == len(csv) == 2 * 6 * rows_per_year
    assert "public cost 2018-2022" in printed and "replicates, standard error" in printed
    assert set(df.replicate) == {0, 1}
    meta = json.loads((out / "metadata.json").read_text())
    assert meta["engine"] == "mesa" and meta["scale"] == 0.02 and meta["master_seed"] == 5
    assert len(meta["replicate_seeds"]) == 2
    assert meta["scenario"]["sha256"] and "plan" in meta["scenario"]["text"]
    assert meta["versions"]["mesa"].startswith("3.")
    assert meta["timings"]["total_seconds"] > 0
    assert not list(out.glob(".*.tmp"))


def test_run_trajectories_are_the_python_api_s(tmp_path, short_scenario):
    """The CLI adds nothing to the numbers: its file equals `run_scenario`'s frame."""
    from model import load_scenario, run_scenario

    short = short_scenario("plan")
    out = tmp_path / "out"
    assert main(["run", str(short), "--replicates", "2", "--scale", "0.02", "--out", str(out),
                 "--quiet"]) == 0
    api = run_scenario(load_scenario(short), replicates=2, scale=0.02)
    pd.testing.assert_frame_equal(pd.read_parquet(out / "trajectories.parquet"), api)


@pytest.mark.parametrize("args, needle", [
    (["run", "missing.toml"], "file not found"),
    (["run", "{plan}", "--engine", "jax"], "invalid choice: 'jax'"),
    (["run", "{plan}", "--scale", "0"], "scale"),
    (["run", "{plan}", "--replicates", "x"], "whole number"),
])
def test_bad_input_exits_2_with_one_line_and_writes_nothing(tmp_path, scenarios_dir, zjai, args,
                                                            needle):
    args = [a.replace("{plan}", str(scenarios_dir / "plan.toml")) for a in args]
    out = tmp_path / "out"
    res = zjai(*args, "--out", str(out), cwd=tmp_path)
    assert res.returncode == 2
    assert needle in res.stderr
    assert "Traceback" not in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
    assert not out.exists()


@pytest.mark.parametrize("name", ["baseline", "plan", "plan_accelerated", "talent_first",
                                  "capital_first", "hangzhou_ningbo_core", "balanced_regions",
                                  "fiscal_squeeze", "covid_2020", "chip_restrictions_2019",
                                  "rivals_respond"])
def test_shipped_scenarios_load_describe_and_run(name, scenarios_dir):
    from model import load_scenario, run_scenario

    sc = load_scenario(scenarios_dir / f"{name}.toml")
    assert sc.name == name and len(sc.description) > 100
    sc.end = 2019
    df = run_scenario(sc, replicates=1, scale=0.02)
    assert df.value.notna().all()
