"""Phase 3b, wages (model/phases/wages.py): each mechanism alone, on a small model whose
labour market the test sets (the month cache `labour_market` writes)."""

import numpy as np
import pytest

from model.aggregates import EMPLOYED, SEEKERS
from model.phases import labour_market as lm
from model.phases.wages import market_log_terms, wage_premium, wages
from model.state import ENGINEER, N_TIERS

from .conftest import small_model

HANGZHOU = 0


def balanced_market(m, vacancies=50.0, seekers=50.0, employed=500.0):
    """Every city and tier with the same vacancies, seekers and employment (scaled counts);
    the 2017 reference is this market."""
    n = m.n_cities
    m.cache.vacancies_by_city = np.full((n, N_TIERS), vacancies)
    m.cache.seekers_by_city = np.full((n, N_TIERS), seekers)
    by_city = np.zeros((n, N_TIERS, 3), dtype=np.int64)
    by_city[:, :, EMPLOYED] = employed
    by_city[:, :, SEEKERS] = seekers
    m.cache.labour_by_city = by_city
    wages(m)                         # month 0: the reference is this market


@pytest.fixture
def m():
    model = small_model("numba", scale=0.1)
    model.begin_month()
    balanced_market(model)
    model.month = 12                 # the 2017 reference is fixed from here on
    return model


def test_a_balanced_market_pays_the_trend_wage(m):
    np.testing.assert_allclose(wage_premium(m), 1.0, rtol=1e-4)
    np.testing.assert_allclose(m.state.cities.wage_index, 1.0, rtol=1e-4)


def test_a_vacancy_surplus_raises_the_wage(m):
    before = m.state.cities.wage_100m_yuan_per_year.copy()
    m.cache.vacancies_by_city[HANGZHOU, ENGINEER] = 500.0      # ten vacancies per seeker
    wages(m)
    after = m.state.cities.wage_100m_yuan_per_year
    assert after[HANGZHOU, ENGINEER] > before[HANGZHOU, ENGINEER] * 1.003
    # the other markets are (nearly: the province's tightness moved) unchanged
    np.testing.assert_allclose(after[1:], before[1:], rtol=1e-3)
    assert m.state.cities.wage_index[HANGZHOU] > 1.0


def test_unemployment_lowers_the_wage(m):
    before = m.state.cities.wage_100m_yuan_per_year.copy()
    m.cache.labour_by_city[HANGZHOU, ENGINEER, SEEKERS] = 500   # half the tier looking
    wages(m)
    assert m.state.cities.wage_100m_yuan_per_year[HANGZHOU, ENGINEER] < before[
        HANGZHOU, ENGINEER] * 0.997


def test_wages_are_sticky(m):
    """One month closes 1/wage_adjustment_months of the log gap; a year most of it."""
    m.cache.vacancies_by_city[HANGZHOU, ENGINEER] = 500.0
    m.params.wage_adjustment_months = 12.0
    w0 = m.state.cities.wage_100m_yuan_per_year[HANGZHOU, ENGINEER]
    wages(m)
    step1 = np.log(m.state.cities.wage_100m_yuan_per_year[HANGZHOU, ENGINEER] / w0)
    for _ in range(200):
        wages(m)
    full = np.log(m.state.cities.wage_100m_yuan_per_year[HANGZHOU, ENGINEER] / w0)
    assert step1 == pytest.approx(full / 12.0, rel=1e-6)


def test_wages_follow_income(m):
    m.state.cities.gdp_100m_yuan[HANGZHOU] *= 1.1
    wages(m)
    np.testing.assert_allclose(wage_premium(m)[HANGZHOU], 1.0, rtol=1e-4)
    assert m.state.cities.wage_index[HANGZHOU] == pytest.approx(
        1.1 ** m.params.wage_income_elasticity, rel=1e-4)


def test_firms_want_fewer_staff_where_the_wage_is_above_trend(m):
    e = m.state.enterprises
    firms = e.alive_rows()[e.city[e.alive_rows()] == HANGZHOU]
    assert len(firms) > 0
    need = lm.labour_needs(m)[firms, ENGINEER]
    m.state.cities.wage_premium[HANGZHOU, :] *= 1.2
    lower = lm.labour_needs(m)[firms, ENGINEER]
    big = need > 5            # start-up teams are set by cash, not by the wage
    assert big.any()
    np.testing.assert_allclose(lower[big], need[big] * 1.2 ** -m.params.labour_demand_wage_elasticity)


def test_the_market_terms_are_the_same_at_every_scale(m):
    """Counts that scale with the sample give the same tightness and unemployment."""
    rng = np.random.default_rng(0)
    v, s, u, e = (rng.integers(0, 200, (m.n_cities, N_TIERS)).astype(float) for _ in range(4))
    at_1 = market_log_terms(m, v, s, u, e)
    m.scale *= 0.1
    at_01 = market_log_terms(m, 0.1 * v, 0.1 * s, 0.1 * u, 0.1 * e)
    for a, b in zip(at_1[:2], at_01[:2]):
        np.testing.assert_allclose(a, b, rtol=1e-12)


def test_job_seekers_are_not_counted_as_talent():
    """The talent indicators count employed talent (firms, institutes); seekers are
    `unemployed_talent`: laying off one engineer moves one person from one to the other."""
    from model.state import SEEKING

    model = small_model("numba", scale=0.05)
    t = model.state.talent
    values = model.recorder.compute()
    living = int(t.alive[: t.n].sum())
    talent = sum(values[f"talent_{k}"].sum() for k in
                 ("top_scientists", "leading_entrepreneurs", "high_end_rd", "engineers",
                  "high_skill"))
    assert talent + values["unemployed_talent"].sum() == living
    worker = np.flatnonzero(t.alive[: t.n] & (t.employer[: t.n] >= 0)
                            & (t.tier[: t.n] == ENGINEER))[0]
    t.employer[worker] = SEEKING
    after = model.recorder.compute()
    assert after["talent_engineers"].sum() == values["talent_engineers"].sum() - 1
    assert after["unemployed_talent"].sum() == values["unemployed_talent"].sum() + 1


def test_talent_weighs_the_expected_wage(m):
    """A higher wage, or a better chance of a job, makes a city more attractive to the tier."""
    from model.phases.talent_migration import city_utility

    m.cache.talent_counts = m.talent_by_city_tier()
    before = city_utility(m)
    m.state.cities.wage_100m_yuan_per_year[HANGZHOU, ENGINEER] *= 1.1
    higher_wage = city_utility(m)
    assert higher_wage[ENGINEER, HANGZHOU] > before[ENGINEER, HANGZHOU]
    m.state.cities.employment_rate[HANGZHOU, ENGINEER] *= 0.5
    fewer_jobs = city_utility(m)
    assert fewer_jobs[ENGINEER, HANGZHOU] < higher_wage[ENGINEER, HANGZHOU]
    others = [k for k in range(N_TIERS) if k != ENGINEER]
    np.testing.assert_allclose(fewer_jobs[others], before[others])
