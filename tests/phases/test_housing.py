"""Phase 3c, housing (model/phases/housing.py): income and AI-induced inflow raise the
housing-cost index, slowly, and the index does not depend on the scale."""

import numpy as np
import pytest

from model.phases.housing import housing, induced_population_10k

from .conftest import small_model

HANGZHOU, LISHUI = 0, 10


@pytest.fixture
def m():
    model = small_model("numba", scale=0.1)
    model.begin_month()
    model.cache.talent_counts = model.state.cities.talent_2017.copy()
    return model


def test_nothing_changes_without_inflow_or_income(m):
    housing(m)
    np.testing.assert_allclose(m.state.cities.housing_cost_index, 1.0)
    np.testing.assert_allclose(m.state.cities.ai_induced_population_10k, 0.0)


def test_inflow_raises_housing_cost(m):
    m.cache.talent_counts[HANGZHOU, 3] += 5000 * m.scale   # 5,000 more engineers (1:1)
    for _ in range(24):
        housing(m)
    cs = m.state.cities
    jobs = 5000 * (1 + m.params.local_jobs_per_ai_job)
    assert cs.ai_induced_population_10k[HANGZHOU] == pytest.approx(
        jobs * m.params.residents_per_job / 1e4)
    assert cs.housing_cost_index[HANGZHOU] > 1.0
    np.testing.assert_allclose(np.delete(cs.housing_cost_index, HANGZHOU), 1.0)


def test_outflow_lowers_housing_cost(m):
    m.cache.talent_counts[LISHUI] *= 0.5
    housing(m)
    assert m.state.cities.housing_cost_index[LISHUI] < 1.0


def test_income_raises_housing_cost_slowly(m):
    cs = m.state.cities
    cs.gdp_100m_yuan[HANGZHOU] *= 1.2
    housing(m)
    first = np.log(cs.housing_cost_index[HANGZHOU])
    for _ in range(300):
        housing(m)
    target = m.params.housing_cost_income_elasticity * np.log(1.2)
    assert np.log(cs.housing_cost_index[HANGZHOU]) == pytest.approx(target, rel=1e-6)
    assert first == pytest.approx(target / m.params.housing_adjustment_months, rel=1e-9)


def test_the_induced_population_is_the_same_at_every_scale(m):
    m.cache.talent_counts = m.state.cities.talent_2017 * 1.3
    at_01 = induced_population_10k(m)
    m.state.cities.talent_2017 *= 10.0                # the same economy sampled at 1:1
    m.cache.talent_counts = m.state.cities.talent_2017 * 1.3
    m.scale = 1.0
    np.testing.assert_allclose(induced_population_10k(m), at_01, rtol=1e-12)


def test_housing_cost_lowers_the_citys_pull(m):
    """Talent weighs wages against housing: a dearer Hangzhou is a less attractive one."""
    from model.phases.talent_migration import city_utility

    m.cache.talent_counts = m.talent_by_city_tier()
    before = city_utility(m)
    m.state.cities.housing_cost_index[HANGZHOU] *= 1.2
    after = city_utility(m)
    assert (after[:, HANGZHOU] < before[:, HANGZHOU]).all()
    np.testing.assert_allclose(np.delete(after, HANGZHOU, axis=1),
                               np.delete(before, HANGZHOU, axis=1))
