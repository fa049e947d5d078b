"""Posterior draws through the commands: run, compare and sweep record one draw per
replicate (or run); `--point-estimate` runs the point values; a bad sample file exits 2."""

import json

import pandas as pd
import pytest

from model.cli import main
from model.draws import with_posterior_block


def short(folder, name="plan", end=2019):
    """A scenario in `folder` that extends `name` there, cut at `end`."""
    p = folder / f"{name}_short.toml"
    p.write_text(f'[scenario]\nname = "{name}"\nextends = "{name}.toml"\nend = {end}\n',
                 encoding="utf-8")
    return p


def test_run_draws_a_row_per_replicate_and_repeats_them_for_a_seed(posterior_scenarios,
                                                                     tmp_path):
    plan = short(posterior_scenarios)
    outs = [tmp_path / "a", tmp_path / "b"]
    for out in outs:
        assert main(["run", str(plan), "--replicates", "6", "--scale", "0.02", "--out",
                     str(out), "--quiet"]) == 0
    meta = json.loads((outs[0] / "metadata.json").read_text())
    draws = meta["parameter_draws"]
    assert meta["parameters"] == "posterior" and len(draws) == 6
    assert [d["seed"] for d in draws] == meta["replicate_seeds"]
    # rows are drawn with replacement (each replicate an independent posterior draw): of 200
    # rows, 6 replicates share one with probability 7%; here two do
    assert len({d["posterior_row"] for d in draws}) >= 5
    varying = [k for k in draws[0] if k not in ("replicate", "seed", "posterior_row")
               and len({d[k] for d in draws}) >= 5]
    sample_columns = meta["scenario"]["posterior"].get("columns") or [
        k for k in draws[0] if k not in ("replicate", "seed", "posterior_row")]
    assert len(varying) == len(sample_columns) > 10           # every column drawn varies
    assert meta["scenario"]["posterior"]["rows"] == 200
    again = json.loads((outs[1] / "metadata.json").read_text())
    assert again["parameter_draws"] == draws
    pd.testing.assert_frame_equal(pd.read_parquet(outs[0] / "trajectories.parquet"),
                                  pd.read_parquet(outs[1] / "trajectories.parquet"))


def test_point_estimate_runs_the_point_values(posterior_scenarios, scenarios_dir, tmp_path):
    """--point-estimate gives the trajectories of the same scenario without a posterior."""
    out, drawn, plain = tmp_path / "point", tmp_path / "drawn", tmp_path / "plain"
    args = ["--replicates", "2", "--scale", "0.02", "--seed", "4", "--quiet"]
    assert main(["run", str(short(posterior_scenarios)), "--point-estimate", "--out", str(out),
                 *args]) == 0
    assert main(["run", str(short(posterior_scenarios)), "--out", str(drawn), *args]) == 0
    unlinked = tmp_path / "unlinked"          # the same scenarios, no [posterior] table
    unlinked.mkdir()
    for f in scenarios_dir.glob("*.toml"):
        text = f.read_text(encoding="utf-8")
        if f.name == "calibrated.toml":
            text = with_posterior_block(text, "")
        (unlinked / f.name).write_text(text, encoding="utf-8")
    assert main(["run", str(short(unlinked)), "--out", str(plain), *args]) == 0
    meta = json.loads((out / "metadata.json").read_text())
    assert meta["parameters"] == "point-estimate" and meta["parameter_draws"] == []
    point = pd.read_parquet(out / "trajectories.parquet")
    pd.testing.assert_frame_equal(point, pd.read_parquet(plain / "trajectories.parquet"))
    assert not point.value.equals(pd.read_parquet(drawn / "trajectories.parquet").value)


def test_compare_draws_common_rows_for_common_seeds(posterior_scenarios, tmp_path):
    out = tmp_path / "cmp"
    assert main(["compare", str(short(posterior_scenarios)),
                 str(short(posterior_scenarios, "baseline")), "--replicates", "2", "--scale",
                 "0.02", "--out", str(out), "--quiet"]) == 0
    meta = json.loads((out / "metadata.json").read_text())
    a, b = (sc["parameter_draws"] for sc in meta["scenarios"])
    assert meta["parameters"] == "posterior" and a == b and len(a) == 2
    assert "posterior sample, picked by its seed" in (out / "report.md").read_text()


def test_sweep_draws_per_run_and_a_factor_wins(posterior_scenarios, tmp_path):
    exp = tmp_path / "exp.toml"
    exp.write_text(f'[experiment]\nname = "e"\nscenario = "{short(posterior_scenarios, end=2018)}"\n'
                   "design = 'points'\nscale = 0.02\nreplicates = 2\n"
                   "[factors.bass_imitation_per_year]\nlow = 0.05\nhigh = 0.3\n"
                   "[[point]]\nbass_imitation_per_year = 0.1\n"
                   "[[point]]\nbass_imitation_per_year = 0.2\n"
                   "[outcomes]\nindicators = ['ai_enterprise_revenue_100m_yuan']\n",
                   encoding="utf-8")
    out, point = tmp_path / "sweep", tmp_path / "sweep_point"
    assert main(["sweep", str(exp), "--out", str(out), "--quiet"]) == 0
    meta = json.loads((out / "metadata.json").read_text())
    draws = meta["parameter_draws"]
    assert meta["parameters"] == "posterior" and len(draws) == 4
    assert all("bass_imitation_per_year" not in d for d in draws)
    assert len({d["posterior_row"] for d in draws}) == 4        # no common random numbers
    assert main(["sweep", str(exp), "--out", str(point), "--point-estimate", "--quiet"]) == 0
    assert json.loads((point / "metadata.json").read_text())["parameter_draws"] == []
    drawn, fixed = (pd.read_parquet(o / "results.parquet") for o in (out, point))
    assert not drawn.value.equals(fixed.value)
    # a resumed sweep must not mix draws and point values: another experiment hash
    assert main(["sweep", str(exp), "--out", str(out), "--point-estimate", "--quiet"]) == 2


@pytest.mark.parametrize("body, needle", [
    ("opex_share_of_revenue,bogus\n0.7,1\n", "line 1, column 2 'bogus': unknown parameter"),
    ("opex_share_of_revenue\nx\n", "line 2, column opex_share_of_revenue: expected a number"),
])
def test_a_bad_sample_file_exits_2_naming_file_and_column(posterior_scenarios, zjai, tmp_path,
                                                          body, needle):
    sample = posterior_scenarios / "calibrated.posterior.csv"
    sample.write_text(body)
    out = tmp_path / "out"
    res = zjai("run", str(posterior_scenarios / "plan.toml"), "--out", str(out), cwd=tmp_path)
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
    assert f"{sample}: {needle}" in res.stderr
    assert not out.exists()
