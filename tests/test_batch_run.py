"""The model runs under `mesa.batch_run`: indicators are model-reporter columns, NaN before
the first December and finite from step 12 on; agent reporters passed to the model
collect agent rows."""

import math

import mesa
import numpy as np
import pandas as pd

from model import AIEcosystemModel
from model.agents import Enterprise
from model.indicators import INDICATORS


def test_batch_run_returns_the_indicators_per_collected_step():
    rows = mesa.batch_run(AIEcosystemModel,
                          parameters={"seed": [1, 2], "scale": [0.01], "end_year": [2018]},
                          iterations=1, max_steps=24, number_processes=1,
                          data_collection_period=12, display_progress=False)
    frame = pd.DataFrame(rows)
    assert set(INDICATORS) <= set(frame.columns)
    assert {"RunId", "iteration", "Step", "seed", "scale", "end_year"} <= set(frame.columns)
    assert sorted(frame.seed.unique()) == [1, 2]
    for _, run in frame.groupby("RunId"):
        assert sorted(run.Step) == [0, 12, 23]        # every 12 steps and the last
    start = frame[frame.Step == 0]
    assert start[list(INDICATORS)].isna().all().all()
    later = frame[frame.Step >= 12]
    assert np.isfinite(later[list(INDICATORS)].to_numpy(dtype=float)).all()
    assert (later.core_industry_revenue_100m_yuan > 0).all()
    # two seeds are two different economies
    by_seed = later[later.Step == 23].set_index("seed").core_industry_revenue_100m_yuan
    assert by_seed[1] != by_seed[2]


def test_model_reporters_hold_the_last_december():
    m = AIEcosystemModel(seed=3, scale=0.01, end_year=2018)
    for _ in range(13):
        m.step()
    data = m.datacollector.get_model_vars_dataframe()
    assert len(data) == 14                              # the start and every month
    assert data.core_industry_revenue_100m_yuan.iloc[:12].isna().all()
    recorded = m.recorder.frame()
    value_2017 = recorded[(recorded.year == 2017) & (recorded.region == "Zhejiang")
                          & (recorded.indicator == "core_industry_revenue_100m_yuan")].value
    assert len(value_2017) == 1
    assert data.core_industry_revenue_100m_yuan.iloc[12] == value_2017.iloc[0]
    assert data.core_industry_revenue_100m_yuan.iloc[13] == value_2017.iloc[0]


def test_agent_reporters_collect_agent_rows():
    m = AIEcosystemModel(seed=1, scale=0.01, end_year=2018,
                         agent_reporters={"cash": "cash_100m_yuan"})
    for _ in range(3):
        m.step()
    agents = m.datacollector.get_agent_vars_dataframe()
    assert list(agents.columns) == ["cash"]
    steps = agents.index.get_level_values("Step")
    assert sorted(set(steps)) == [0, 1, 2, 3]
    # enterprises report their cash; other agents have no cash column
    last = agents.xs(3, level="Step").cash.dropna()
    assert len(last) == len(m.agents_by_type[Enterprise])
    assert all(math.isfinite(v) for v in last)
    e = m.state.enterprises
    assert sorted(last) == sorted(e.cash_100m_yuan[e.alive_rows()])


def test_batch_run_collects_agent_rows_when_asked():
    rows = mesa.batch_run(AIEcosystemModel,
                          parameters={"seed": 5, "scale": 0.01, "end_year": 2018,
                                      "agent_reporters": [{"cash": "cash_100m_yuan"}]},
                          iterations=1, max_steps=24, number_processes=1,
                          data_collection_period=12, display_progress=False)
    frame = pd.DataFrame(rows)
    assert {"AgentID", "cash", "core_industry_revenue_100m_yuan"} <= set(frame.columns)
    assert frame[frame.Step == 23].cash.notna().sum() > 0
