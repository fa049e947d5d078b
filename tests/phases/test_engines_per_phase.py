"""From one identical state, each phase alone leaves identical state under both engines.

Two models with the same seed are stepped to December 2018; the month then begins on both
and the phases before the one under test run on both (their states must agree), then the
phase runs and every column of every population, the cities, tallies, month cache,
province, economy and random stream are compared (integers exactly, reals to 1e-12).
"""

import numpy as np
import pytest

from model.phases import ORDER

from .conftest import small_model

PHASES = {module.__name__.rsplit(".", 1)[1]: module for module in ORDER}
PHASE_FUNCTION = {"policy": "apply_policy"}
MONTH = 23                                       # December 2018: record writes a year


def run_phase(m, name: str) -> None:
    getattr(PHASES[name], PHASE_FUNCTION.get(name, name))(m)


def assert_same(a, b, what: str) -> None:
    a, b = np.asarray(a), np.asarray(b)
    assert a.shape == b.shape, what
    if a.dtype.kind == "f":
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12, err_msg=what)
    else:
        np.testing.assert_array_equal(a, b, err_msg=what)


def assert_same_state(a, b) -> None:
    for name in ("enterprises", "talent", "funds", "deals"):
        pa, pb = getattr(a.state, name), getattr(b.state, name)
        assert pa.n == pb.n, f"{name}: {pa.n} rows vs {pb.n}"
        for column in pa.columns:
            assert_same(pa.view(column), pb.view(column), f"{name}.{column}")
    for column in (*a.state.cities.COLUMNS, *a.state.cities.TIER_COLUMNS):
        assert_same(getattr(a.state.cities, column), getattr(b.state.cities, column),
                    f"cities.{column}")
    for kind in ("cum", "year_counts", "flows"):
        for key, value in getattr(a.tally, kind).items():
            assert_same(value, getattr(b.tally, kind)[key], f"tally.{kind}.{key}")
    assert a.tally.firm_flows == b.tally.firm_flows
    for field in ("staff", "talent_counts", "researchers", "labour_need", "vacancies",
                  "unfilled_vacancies", "vacancies_by_city", "seekers_by_city",
                  "labour_by_city"):
        assert_same(getattr(a.cache, field), getattr(b.cache, field), f"cache.{field}")
    assert a.province.budget_left_100m_yuan == pytest.approx(b.province.budget_left_100m_yuan,
                                                             rel=1e-12, abs=1e-12)
    assert a.province.spent_month_100m_yuan == pytest.approx(b.province.spent_month_100m_yuan,
                                                             rel=1e-12, abs=1e-12)
    ea, eb = a.economy, b.economy
    assert ea.frontier == pytest.approx(eb.frontier, rel=1e-12)
    assert ea.external_share == pytest.approx(eb.external_share, rel=1e-12)
    for field in ("home_share", "national_adoption", "external_market_100m_yuan"):
        assert getattr(ea, field) == pytest.approx(getattr(eb, field), rel=1e-12), field
    assert_same(ea.rival_knowledge, eb.rival_knowledge, "economy.rival_knowledge")
    assert_same(ea.national_ytd, eb.national_ytd, "economy.national_ytd")
    for key in ("log_tightness", "log_unemployment"):
        assert_same(ea.labour_reference[key], eb.labour_reference[key], f"economy.{key}")
    assert_same(ea.revenue_history, eb.revenue_history, "economy.revenue_history")
    fa, fb = a.recorder.frame(), b.recorder.frame()
    assert fa[["year", "region", "indicator"]].equals(fb[["year", "region", "indicator"]])
    assert_same(fa.value, fb.value, "recorder rows")
    assert a.rng.bit_generator.state == b.rng.bit_generator.state, "random streams diverged"


@pytest.fixture(scope="module")
def compiled():
    """Load the kernels once (numba's on-disk cache) outside the timed tests."""
    m = small_model("numba")
    m.step()


@pytest.mark.parametrize("phase", list(PHASES))
def test_one_phase_gives_identical_state_under_both_engines(phase, compiled):
    models = [small_model(engine, seed=21, scale=0.02) for engine in ("mesa", "numba")]
    for m in models:
        for _ in range(MONTH):
            m.step()
        m.begin_month()
        for name in PHASES:
            if name == phase:
                break
            run_phase(m, name)
    mesa_model, numba_model = models
    assert_same_state(mesa_model, numba_model)
    for m in models:
        run_phase(m, phase)
    assert_same_state(mesa_model, numba_model)
    # the mesa engine's views are exactly the living agents
    for population in ("enterprises", "talent", "funds"):
        pop = getattr(mesa_model.state, population)
        assert len(mesa_model.agent_set(population)) == int(pop.alive[: pop.n].sum())
