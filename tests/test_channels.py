"""The parameters the levers act through (model/channels.py): the ODD's table agrees with
params.py, and the robustness experiment varies every uncertain one over its range."""

import dataclasses
from pathlib import Path

import pandas as pd
import pytest

from model import channels
from model.channels import (END, LEVER_CHANNELS, START, channel_parameters, channel_table,
                            replace_table, uncertain_parameters)
from model.executors import InProcessExecutor
from model.experiments import load_experiment
from model.levers import LEVERS
from model.params import PARAMETERS
from model.sweep import sweep

ROOT = Path(__file__).resolve().parents[1]
ODD = ROOT / "docs" / "ODD.md"
ROBUSTNESS = ROOT / "experiments" / "robustness.toml"


def test_every_lever_has_its_channels_and_every_channel_is_a_parameter():
    assert set(LEVER_CHANNELS) == set(LEVERS)
    missing = [n for n in channel_parameters() if n not in PARAMETERS]
    assert not missing
    for n in channel_parameters():
        p = PARAMETERS[n]
        assert p.source.strip() and p.low <= p.default <= p.high, n


def test_the_odd_table_is_the_table_params_py_gives():
    text = ODD.read_text(encoding="utf-8")
    block = text.split(START, 1)[1].split(END, 1)[0].strip()
    assert block == channel_table(), ("docs/ODD.md's channel table is stale: run "
                                      "`python -m model.channels docs/ODD.md`")
    for n in channel_parameters():
        assert f"| `{n}` |" in block


def test_the_table_follows_a_changed_parameter(monkeypatch):
    name = "pilot_effect_decay_per_year"
    changed = dict(PARAMETERS)
    changed[name] = dataclasses.replace(PARAMETERS[name], default=0.3, low=0.1, high=0.5)
    monkeypatch.setattr(channels, "PARAMETERS", changed)
    table = channel_table()
    row = next(r for r in table.splitlines() if r.startswith(f"| `{name}` |"))
    assert "| 0.3 |" in row and "| 0.1 to 0.5 |" in row
    text = f"a\n{START}\nold\n{END}\nb"
    assert replace_table(text) == f"a\n{START}\n{table}\n{END}\nb"
    with pytest.raises(ValueError, match="markers"):
        replace_table("no table here")


def test_robustness_varies_every_uncertain_channel_parameter_over_its_range():
    exp = load_experiment(ROBUSTNESS)
    factors = {f.name: f for f in exp.factors}
    for n in uncertain_parameters():
        assert n in factors, f"{n} has no evidence or a wide range: add it to robustness.toml"
        p = PARAMETERS[n]
        assert (factors[n].low, factors[n].high) == (p.low, p.high), n
    # the lag and decay of pilots and zones are among them
    for n in ("policy_effect_lag_months", "pilot_effect_decay_per_year",
              "demo_zone_effect_decay_per_year", "pilot_innovation_uplift_per_year"):
        assert n in factors


@pytest.mark.slow
def test_robustness_runs_at_a_tiny_size(tmp_path):
    exp = load_experiment(ROBUSTNESS)
    exp.points, exp.replicates, exp.scale = 2, 1, 0.02
    report = sweep(exp, tmp_path / "sweep", InProcessExecutor())
    assert report.done == 2 and not report.failed
    results = pd.read_parquet(tmp_path / "sweep" / "results.parquet")
    assert len(results) > 0
    assert set(uncertain_parameters()) <= set(results.columns)
