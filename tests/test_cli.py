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
