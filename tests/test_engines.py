"""Both engines run the same rules on the same draws: the same trajectories.

Integer indicators must be identical and real-valued ones equal within 1e-9 relative,
2017-2030, for the plan and for a shock scenario (issue 3).
"""

import numpy as np
import pytest

from model import AIEcosystemModel, load_scenario
from model.agents import Enterprise, Talent


def _run(scenario, engine, seed=4, scale=0.02):
    m = AIEcosystemModel.from_scenario(scenario, seed=seed, engine=engine, scale=scale)
    while m.running:
        m.step()
    return m


@pytest.fixture(scope="module")
def shock_scenario(scenarios_dir, tmp_path_factory):
    path = tmp_path_factory.mktemp("sc") / "shock.toml"
    path.write_text(
        f'[scenario]\nname = "shock"\nextends = "{scenarios_dir / "plan.toml"}"\n'
        "[[events]]\nkind = \"demand_shock\"\nstart = 2020\nduration = 0.5\nmagnitude = 0.7\n"
        "[[events]]\nkind = \"chip_restriction\"\nstart = 2019\nduration = 3\nmagnitude = 0.8\n"
        "[[events]]\nkind = \"talent_outflow\"\nstart = 2021\nduration = 1\nmagnitude = 1.5\n"
        "[[events]]\nkind = \"demand_shock\"\nstart = 2022\nduration = 1\nmagnitude = 0.5\n"
        "regions = [\"Hangzhou\", \"Ningbo\"]\n"
        "[[events]]\nkind = \"rival_push\"\nstart = 2019\nduration = 2\nmagnitude = 2\n"
        "rival = \"Beijing\"\n"
        "[[events]]\nkind = \"lever_change\"\nstart = 2021\nduration = 2\n"
        "lever = \"fiscal_ai_funding_100m_yuan_per_year\"\nvalue = 0\n",
        encoding="utf-8")
    return load_scenario(path)


@pytest.mark.parametrize("name", ["plan", "shock"])
def test_engines_give_the_same_trajectories(name, scenarios_dir, shock_scenario):
    sc = shock_scenario if name == "shock" else load_scenario(scenarios_dir / "plan.toml")
    a = _run(sc, "mesa").recorder.frame()
    b = _run(sc, "numba").recorder.frame()
    assert (a[["year", "region", "indicator"]].values == b[["year", "region", "indicator"]].values).all()
    np.testing.assert_allclose(b.value.to_numpy(), a.value.to_numpy(), rtol=1e-9, atol=1e-9)


def test_mesa_views_stay_live_under_the_numba_engine(scenarios_dir):
    m = AIEcosystemModel.from_scenario(load_scenario(scenarios_dir / "plan.toml"), seed=2,
                                       engine="numba", scale=0.02)
    for _ in range(30):
        m.step()
    e, t = m.state.enterprises, m.state.talent
    assert len(m.agents_by_type[Enterprise]) == int(e.alive[: e.n].sum())
    assert len(m.agents_by_type[Talent]) == int(t.alive[: t.n].sum())
    firm = next(iter(m.agents_by_type[Enterprise]))
    assert firm.revenue_month_100m_yuan == e.revenue_month_100m_yuan[firm.row]


def test_spawned_process_reuses_cached_kernels_and_agrees(scenarios_dir):
    """`import mesa` makes multiprocessing spawn fresh interpreters: they must load the
    kernels from numba's on-disk cache (no compile) and give identical results."""
    import multiprocessing as mp

    from model.runner import run_one, run_one_with_cache_report

    sc = load_scenario(scenarios_dir / "plan.toml")
    sc.end = 2018
    here = run_one(sc, 77, scale=0.02)               # compiles or loads, fills the cache
    with mp.get_context("spawn").Pool(1) as pool:
        there, report = pool.apply(run_one_with_cache_report, (sc, 77, 0.02))
    assert report, "no kernel ran in the child"
    misses = {name: m for name, (h, m) in report.items() if m}
    assert not misses, f"recompiled in the spawned process: {misses}"
    assert all(h > 0 for h, _ in report.values())
    assert (here.value.to_numpy() == there.value.to_numpy()).all()
